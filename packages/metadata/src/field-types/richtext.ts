import { Type } from '@sinclair/typebox';
import { EMPTY_OPS, L, nullable, num, textType } from './helpers.js';

/** Sanitised HTML (allowlist on the server); not filterable or sortable by value. */
export const richtext = textType('richtext', L('富文本', 'Rich text'), Type.Object({ maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }), (f) =>
  nullable(Type.String({ maxLength: num(f, 'maxLength', 100_000) })), {
  valueKind: () => null,
  operators: EMPTY_OPS,
  sortable: false,
  supports: { unique: false, indexed: false, searchable: false },
});
