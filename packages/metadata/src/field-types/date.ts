import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { DATE_OPS, L, nullable, oneColumn } from './helpers.js';

/** A calendar day, "YYYY-MM-DD" on the wire (a real day: 2026-02-30 is refused). */
export const date = defineFieldType({
  type: 'date',
  label: L('日期', 'Date'),
  settings: Type.Object({}),
  columns: oneColumn('date'),
  valueKind: () => 'date',
  operators: DATE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'date' })),
  computed: false,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
