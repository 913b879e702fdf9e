import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { CHOICE_OPS, L, nullable, oneColumn } from './helpers.js';
import { Id } from '../schemas/common.js';
import { SelectOptions, optionKeys } from './options.js';

/** One option key in a text column (never a PostgreSQL enum: option edits must not need DDL). */
export const select = defineFieldType({
  type: 'select',
  label: L('单选', 'Select'),
  settings: Type.Object({
    options: SelectOptions,
    /** The pipeline (document id) whose stages these options are. */
    pipeline: Type.Optional(Id),
  }),
  columns: oneColumn('text'),
  valueKind: () => 'text',
  operators: CHOICE_OPS,
  // Inactive options stay valid on the wire for stored values; the records service refuses them on new writes.
  wireSchema: (f) => nullable(Type.Union(optionKeys(f).map((k) => Type.Literal(k)))),
  computed: false,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
