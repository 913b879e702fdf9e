import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { DATE_OPS, L, nullable, oneColumn } from './helpers.js';

/** timestamptz; ISO 8601 with a zone on the wire (answered in UTC), shown in the workspace time zone. */
export const datetime = defineFieldType({
  type: 'datetime',
  label: L('日期时间', 'Date and time'),
  settings: Type.Object({}),
  columns: oneColumn('timestamptz'),
  valueKind: () => 'datetime',
  operators: DATE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'date-time' })),
  computed: false,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
