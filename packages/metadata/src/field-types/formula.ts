import { Type } from '@sinclair/typebox';
import type { FieldTypeDef } from './field-type.js';
import { DATE_OPS, FLAG_OPS, NUMBER_OPS, RESULT_TYPES, TEXT_OPS, resultColumn, resultKind, resultWire } from './helpers.js';

/**
 * Computed on write from the record's own fields. `expression` is data in a
 * small allowlisted language (see formula-language.ts), never code.
 */
export const formula: FieldTypeDef = {
  type: 'formula',
  settings: Type.Object({
    expression: Type.Unknown(),
    resultType: Type.Union(RESULT_TYPES.map((t) => Type.Literal(t))),
    scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  }),
  columns: (f) => [{ name: f.key, sqlType: resultColumn(f) }],
  valueKind: resultKind,
  operators: [...new Set([...TEXT_OPS, ...NUMBER_OPS, ...DATE_OPS, ...FLAG_OPS])],
  wireSchema: resultWire,
  computed: true,
  supports: { unique: false, indexed: true, searchable: false },
};
