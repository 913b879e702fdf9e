import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { Key } from '../schemas/common.js';

/** A field of a related record, joined on read; not stored, not filterable until joins come to rules. */
export const lookup: FieldTypeDef = {
  type: 'lookup',
  settings: Type.Object({ through: Key, field: Key }),
  columns: () => [],
  valueKind: () => null,
  operators: [],
  wireSchema: () => Type.Unknown(),
  computed: true,
  supports: { unique: false, indexed: false, searchable: false },
};
