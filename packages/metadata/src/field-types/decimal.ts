import { Type } from '@sinclair/typebox';
import { defineFieldType, type FieldLike } from './field-type.js';
import { L, NUMBER_OPS, decimalWire, num, numeric } from './helpers.js';

const precision = (f: FieldLike) => num(f, 'precision', 18);
const scale = (f: FieldLike) => num(f, 'scale', 4);

/** numeric(precision, scale), default (18,4); a string on the wire ("3.1416"), never a float. */
export const decimal = defineFieldType({
  type: 'decimal',
  label: L('小数', 'Decimal'),
  settings: Type.Object({ precision: Type.Optional(Type.Integer({ minimum: 1, maximum: 38 })), scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) }),
  columns: (f) => [{ name: f.key, sqlType: numeric(precision(f), scale(f)) }],
  valueKind: () => 'decimal',
  operators: NUMBER_OPS,
  wireSchema: (f) => decimalWire(precision(f), scale(f)),
  computed: false,
  sortable: true,
  supports: { unique: true, indexed: true, searchable: false },
});
