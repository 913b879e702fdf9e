import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { NUMBER_OPS, resultColumn, resultKind, resultWire } from './helpers.js';
import { Key } from '../schemas/common.js';

/** count / sum / min / max over child records (quote total, paid amount), maintained in the write's transaction. */
export const rollup: FieldTypeDef = {
  type: 'rollup',
  settings: Type.Object({
    child: Key,
    via: Key,
    aggregate: Type.Union([Type.Literal('count'), Type.Literal('sum'), Type.Literal('min'), Type.Literal('max')]),
    field: Type.Optional(Key),
    resultType: Type.Union([Type.Literal('integer'), Type.Literal('decimal'), Type.Literal('date')]),
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  }),
  columns: (f) => [{ name: f.key, sqlType: resultColumn(f) }],
  valueKind: resultKind,
  operators: NUMBER_OPS,
  wireSchema: resultWire,
  computed: true,
  supports: { unique: false, indexed: true, searchable: false },
};
