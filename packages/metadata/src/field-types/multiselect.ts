import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { L, nullable } from './helpers.js';
import { SelectOptions, optionKeys } from './options.js';

/** Several option keys in a text[] column; filtered with `contains`. */
export const multiselect = defineFieldType({
  type: 'multiselect',
  label: L('多选', 'Multi-select'),
  settings: Type.Object({ options: SelectOptions }),
  columns: (f) => [{ name: f.key, sqlType: 'text[]' }],
  valueKind: () => 'textArray',
  operators: ['contains', 'isEmpty'],
  wireSchema: (f) => nullable(Type.Array(Type.Union(optionKeys(f).map((k) => Type.Literal(k))), { uniqueItems: true })),
  computed: false,
  sortable: false,
  supports: { unique: false, indexed: false, searchable: false },
});
