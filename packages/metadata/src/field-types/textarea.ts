import { Type } from '@sinclair/typebox';
import { L, nullable, num, textType } from './helpers.js';

/**
 * Several lines of plain text: 10,000 characters unless `maxLength` says
 * otherwise. Searchable, but no unique/plain index (long values overflow a btree entry).
 */
export const textarea = textType('textarea', L('多行文本', 'Long text'), Type.Object({ maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) }), (f) =>
  nullable(Type.String({ maxLength: num(f, 'maxLength', 10_000) })),
  { sortable: false, supports: { unique: false, indexed: false, searchable: true } },
);
