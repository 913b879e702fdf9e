import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { L } from './helpers.js';
import { Key } from '../schemas/common.js';

/**
 * A field of the related record (`through`: a relation field of this entity;
 * `field`: a field of its target), joined on read: no column, and neither
 * filterable nor sortable until rules learn joins.
 */
export const lookup = defineFieldType({
  type: 'lookup',
  label: L('引用字段', 'Lookup'),
  settings: Type.Object({ through: Key, field: Key }),
  columns: () => [],
  valueKind: () => null,
  operators: [],
  wireSchema: () => Type.Unknown(),
  computed: true,
  sortable: false,
  supports: { unique: false, indexed: false, searchable: false },
});
