import { Type } from '@sinclair/typebox';
import { defineFieldType } from './field-type.js';
import { DATE_OPS, FLAG_OPS, L, NUMBER_OPS, RESULT_TYPES, TEXT_OPS, resultColumn, resultKind, resultWire } from './helpers.js';
import { StringEnum } from '../schemas/common.js';

/**
 * Computed on write from the record's own fields and stored in a column of its
 * `resultType`. `expression` is data in a small allowlisted language
 * (formula-language.ts) that @crm/query compiles to SQL; never evaluated as code:
 *
 *   {"round": [{"*": [{"var": "quantity"}, {"var": "unit_price"}]}, 2]}
 */
export const formula = defineFieldType({
  type: 'formula',
  label: L('公式', 'Formula'),
  settings: Type.Object({
    expression: Type.Unknown({ description: 'formula expression (formula-language.ts)' }),
    resultType: StringEnum(RESULT_TYPES),
    /** Decimals of a decimal result (default 2). */
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  }),
  columns: (f) => [{ name: f.key, sqlType: resultColumn(f) }],
  valueKind: resultKind,
  // Which of these apply follows the result type (rules are checked against valueKind).
  operators: [...new Set([...TEXT_OPS, ...NUMBER_OPS, ...DATE_OPS, ...FLAG_OPS])],
  wireSchema: resultWire,
  computed: true,
  sortable: true,
  supports: { unique: false, indexed: true, searchable: false },
});
