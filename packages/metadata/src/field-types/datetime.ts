import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { DATE_OPS, nullable, oneColumn } from './helpers.js';

/** timestamptz; ISO 8601 UTC on the wire, shown in the workspace time zone. */
export const datetime: FieldTypeDef = {
  type: 'datetime',
  settings: Type.Object({}),
  columns: oneColumn('timestamptz'),
  valueKind: () => 'datetime',
  operators: DATE_OPS,
  wireSchema: () => nullable(Type.String({ format: 'date-time' })),
  computed: false,
  supports: { unique: false, indexed: true, searchable: false },
};
