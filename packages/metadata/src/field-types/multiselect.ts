import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { nullable } from './helpers.js';
import { SelectOption, optionKeys } from './options.js';

export const multiselect: FieldTypeDef = {
  type: 'multiselect',
  settings: Type.Object({ options: Type.Array(SelectOption, { minItems: 1, maxItems: 500 }) }),
  columns: (f) => [{ name: f.key, sqlType: 'text[]' }],
  valueKind: () => 'textArray',
  operators: ['contains', 'isEmpty'],
  wireSchema: (f) => nullable(Type.Array(Type.Union(optionKeys(f).map((k) => Type.Literal(k))), { uniqueItems: true })),
  computed: false,
  supports: { unique: false, indexed: false, searchable: false },
};
