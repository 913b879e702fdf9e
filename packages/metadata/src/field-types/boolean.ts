import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { FLAG_OPS, nullable, oneColumn } from './helpers.js';

export const boolean: FieldTypeDef = {
  type: 'boolean',
  settings: Type.Object({}),
  columns: oneColumn('boolean'),
  valueKind: () => 'boolean',
  operators: FLAG_OPS,
  wireSchema: () => nullable(Type.Boolean()),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
