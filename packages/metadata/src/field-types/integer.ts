import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { L, NUMBER_OPS, nullable, oneColumn } from './helpers.js';

/** bigint; a JSON number on the wire, so limited to the safe integer range (and to `min`/`max`). */
export const integer = defineFieldType({
  type: 'integer',
  label: L('整数', 'Integer'),
  settings: Type.Object({ min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()) }),
  columns: oneColumn('bigint'),
  valueKind: () => 'integer',
  operators: NUMBER_OPS,
  wireSchema: (f) => nullable(Type.Integer({
    minimum: typeof f.min === 'number' ? f.min : Number.MIN_SAFE_INTEGER,
    maximum: typeof f.max === 'number' ? f.max : Number.MAX_SAFE_INTEGER,
  })),
  computed: false,
  sortable: true,
  supports: { unique: true, indexed: true, searchable: false },
});
