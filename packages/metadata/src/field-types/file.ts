import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { EMPTY_OPS, nullable } from './helpers.js';

/** References to stored files; the bytes live in a FileStore. */
export const file: FieldTypeDef = {
  type: 'file',
  settings: Type.Object({ maxFiles: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), accept: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })) }),
  columns: (f) => [{ name: f.key, sqlType: 'jsonb' }],
  valueKind: () => null,
  operators: EMPTY_OPS,
  wireSchema: () =>
    nullable(Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String({ maxLength: 255 }), size: Type.Integer({ minimum: 0 }), mime: Type.String({ maxLength: 255 }) }, { additionalProperties: false }))),
  computed: false,
  supports: { unique: false, indexed: false, searchable: false },
};
