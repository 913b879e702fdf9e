import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { NUMBER_OPS, decimalWire, num } from './helpers.js';

export const decimal: FieldTypeDef = {
  type: 'decimal',
  settings: Type.Object({ precision: Type.Optional(Type.Integer({ minimum: 1, maximum: 38 })), scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) }),
  columns: (f) => [{ name: f.key, sqlType: `numeric(${num(f, 'precision', 18)},${num(f, 'scale', 4)})` }],
  valueKind: () => 'decimal',
  operators: NUMBER_OPS,
  wireSchema: (f) => decimalWire(f, 4),
  computed: false,
  supports: { unique: true, indexed: true, searchable: false },
};
