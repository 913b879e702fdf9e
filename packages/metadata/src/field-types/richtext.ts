import { Type } from '@sinclair/typebox';
import { EMPTY_OPS, nullable, num, textType } from './helpers.js';

/** Sanitised HTML (allowlist on the server); not filterable by value. */
export const richtext = textType('richtext', Type.Object({ maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }), (f) =>
  nullable(Type.String({ maxLength: num(f, 'maxLength', 100_000) })), {
  valueKind: () => null,
  operators: EMPTY_OPS,
  supports: { unique: false, indexed: false, searchable: false },
});
