import { Type } from '@sinclair/typebox';
import { defineFieldType, type FieldLike } from './field-type.js';
import { L, NUMBER_OPS, decimalWire, num, numeric } from './helpers.js';

const precision = (f: FieldLike) => num(f, 'precision', 18);
const scale = (f: FieldLike) => num(f, 'scale', 2);

/** Money: numeric(18,2) by default, in the field's ISO 4217 `currency` or the workspace default (e.g. CNY). */
export const currency = defineFieldType({
  type: 'currency',
  label: L('金额', 'Currency'),
  settings: Type.Object({
    precision: Type.Optional(Type.Integer({ minimum: 1, maximum: 38 })),
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  }),
  columns: (f) => [{ name: f.key, sqlType: numeric(precision(f), scale(f)) }],
  valueKind: () => 'decimal',
  operators: NUMBER_OPS,
  wireSchema: (f) => decimalWire(precision(f), scale(f)),
  computed: false,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
