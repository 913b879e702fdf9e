import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { EMPTY_OPS, L, nullable, num } from './helpers.js';

/** References to stored files (a jsonb array); the bytes live in a FileStore. */
export const file = defineFieldType({
  type: 'file',
  label: L('附件', 'File'),
  settings: Type.Object({
    maxFiles: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** MIME types or extensions, e.g. "image/*", ".pdf". */
    accept: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
  }),
  columns: (f) => [{ name: f.key, sqlType: 'jsonb' }],
  valueKind: () => null,
  operators: EMPTY_OPS,
  wireSchema: (f) =>
    nullable(Type.Array(
      Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String({ minLength: 1, maxLength: 255 }), size: Type.Integer({ minimum: 0 }), mime: Type.String({ maxLength: 255 }) }, { additionalProperties: false }),
      { maxItems: num(f, 'maxFiles', 100) },
    )),
  computed: false,
  sortable: false,
  supports: { unique: false, indexed: false, searchable: false },
});
