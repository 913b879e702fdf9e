import { Type } from '@sinclair/typebox';
import { defineFieldType, type FieldLike } from './field-type.js';
import { L, NUMBER_OPS, decimalWire, num, numeric } from './helpers.js';

const scale = (f: FieldLike) => num(f, 'scale', 2);

/** Stored as 0–100 (not 0–1): numeric(3 + scale, scale), default numeric(5,2), so 100.00 fits. */
export const percent = defineFieldType({
  type: 'percent',
  label: L('百分比', 'Percent'),
  settings: Type.Object({ scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })) }),
  columns: (f) => [{ name: f.key, sqlType: numeric(3 + scale(f), scale(f)) }],
  valueKind: () => 'decimal',
  operators: NUMBER_OPS,
  wireSchema: (f) => decimalWire(3 + scale(f), scale(f)),
  computed: false,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
