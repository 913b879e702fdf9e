import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { FLAG_OPS, L, nullable, oneColumn } from './helpers.js';

export const boolean = defineFieldType({
  type: 'boolean',
  label: L('是/否', 'Yes/No'),
  settings: Type.Object({}),
  columns: oneColumn('boolean'),
  valueKind: () => 'boolean',
  operators: FLAG_OPS,
  wireSchema: () => nullable(Type.Boolean()),
  computed: false,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
