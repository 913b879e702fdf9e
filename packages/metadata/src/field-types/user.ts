import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { CHOICE_OPS, L, nullable } from './helpers.js';

/** A user of the workspace: a uuid with a foreign key to the system users table. */
export const user = defineFieldType({
  type: 'user',
  label: L('人员', 'User'),
  settings: Type.Object({}),
  columns: (f) => [{ name: f.key, sqlType: 'uuid', references: { kind: 'users' } }],
  valueKind: () => 'uuid',
  operators: CHOICE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'uuid' })),
  computed: false,
  sortable: false,
  supports: { unique: false, indexed: true, searchable: false },
});
