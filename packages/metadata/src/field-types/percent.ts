import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { NUMBER_OPS, decimalWire, num } from './helpers.js';

/** Stored as 0–100 (not 0–1), with `scale` decimals. */
export const percent: FieldTypeDef = {
  type: 'percent',
  settings: Type.Object({ scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })) }),
  columns: (f) => [{ name: f.key, sqlType: `numeric(${3 + num(f, 'scale', 2)},${num(f, 'scale', 2)})` }],
  valueKind: () => 'decimal',
  operators: NUMBER_OPS,
  wireSchema: (f) => decimalWire({ ...f, precision: 3 + num(f, 'scale', 2) }, 2),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
