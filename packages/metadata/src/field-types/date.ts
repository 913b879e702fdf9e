import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { DATE_OPS, nullable, oneColumn } from './helpers.js';

export const date: FieldTypeDef = {
  type: 'date',
  settings: Type.Object({}),
  columns: oneColumn('date'),
  valueKind: () => 'date',
  operators: DATE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'date' })),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
