import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { CHOICE_OPS, nullable } from './helpers.js';
import { Key } from '../schemas/common.js';

/** Many-to-one: a uuid column with a foreign key to the target entity's table. */
export const relation: FieldTypeDef = {
  type: 'relation',
  settings: Type.Object({
    target: Key,
    onDelete: Type.Union([Type.Literal('restrict'), Type.Literal('cascade'), Type.Literal('keep')]),
  }),
  columns: (f) => [{ name: f.key, sqlType: 'uuid', references: { kind: 'entity', entity: String(f.target) } }],
  valueKind: () => 'uuid',
  operators: CHOICE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'uuid' })),
  computed: false,
  supports: { unique: true, indexed: true, searchable: false },
};
