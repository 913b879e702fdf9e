import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { L, NUMBER_OPS, resultColumn, resultKind, resultWire } from './helpers.js';
import { Key, StringEnum } from '../schemas/common.js';

export const AGGREGATES = ['count', 'sum', 'min', 'max'] as const;
export const ROLLUP_RESULT_TYPES = ['integer', 'decimal', 'date'] as const;

/**
 * count / sum / min / max over the child records that point here: `child` is
 * the child entity key, `via` its relation field whose target is this entity,
 * `field` the child field aggregated (not for count). Stored in a column of
 * `resultType` and maintained in the write's transaction (quote total, paid amount).
 */
export const rollup = defineFieldType({
  type: 'rollup',
  label: L('汇总', 'Rollup'),
  settings: Type.Object({
    child: Key,
    via: Key,
    aggregate: StringEnum(AGGREGATES),
    field: Type.Optional(Key),
    resultType: StringEnum(ROLLUP_RESULT_TYPES),
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  }),
  columns: (f) => [{ name: f.key, sqlType: resultColumn(f) }],
  valueKind: resultKind,
  operators: NUMBER_OPS,
  wireSchema: resultWire,
  computed: true,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
