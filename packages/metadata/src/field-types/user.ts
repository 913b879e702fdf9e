import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { CHOICE_OPS, nullable } from './helpers.js';

export const user: FieldTypeDef = {
  type: 'user',
  settings: Type.Object({}),
  columns: (f) => [{ name: f.key, sqlType: 'uuid', references: { kind: 'users' } }],
  valueKind: () => 'uuid',
  operators: CHOICE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'uuid' })),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
