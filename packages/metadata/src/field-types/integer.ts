import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { NUMBER_OPS, nullable, oneColumn } from './helpers.js';

export const integer: FieldTypeDef = {
  type: 'integer',
  settings: Type.Object({ min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()) }),
  columns: oneColumn('bigint'),
  valueKind: () => 'integer',
  operators: NUMBER_OPS,
  wireSchema: () => nullable(Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })),
  computed: false,
  supports: { unique: true, indexed: true, searchable: false },
};
