import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { NUMBER_OPS, decimalWire, num } from './helpers.js';

/** Money: numeric(precision, scale) in the field's currency, or the workspace default (e.g. CNY). */
export const currency: FieldTypeDef = {
  type: 'currency',
  settings: Type.Object({
    precision: Type.Optional(Type.Integer({ minimum: 1, maximum: 38 })),
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  }),
  columns: (f) => [{ name: f.key, sqlType: `numeric(${num(f, 'precision', 18)},${num(f, 'scale', 2)})` }],
  valueKind: () => 'decimal',
  operators: NUMBER_OPS,
  wireSchema: (f) => decimalWire(f, 2),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
