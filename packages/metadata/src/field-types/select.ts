import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { CHOICE_OPS, nullable, oneColumn } from './helpers.js';
import { SelectOption, optionKeys } from './options.js';

export const select: FieldTypeDef = {
  type: 'select',
  settings: Type.Object({ options: Type.Array(SelectOption, { minItems: 1, maxItems: 500 }), pipeline: Type.Optional(Type.String()) }),
  columns: oneColumn('text'),
  valueKind: () => 'text',
  operators: CHOICE_OPS,
  // Inactive options stay valid on the wire for stored values; the records service refuses them on new writes.
  wireSchema: (f) => nullable(Type.Union(optionKeys(f).map((k) => Type.Literal(k)))),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
