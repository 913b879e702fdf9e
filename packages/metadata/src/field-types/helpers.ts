import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { ValueKind } from '@crm/rules';
import type { ColumnSpec, FieldLike, FieldTypeDef, FieldType, Operator } from './field-type.js';

export const TEXT_OPS: readonly Operator[] = ['==', '!=', 'in', 'contains', 'startsWith', 'isEmpty'];
export const CHOICE_OPS: readonly Operator[] = ['==', '!=', 'in', 'isEmpty'];
export const NUMBER_OPS: readonly Operator[] = ['==', '!=', '<', '<=', '>', '>=', 'in', 'isEmpty'];
export const DATE_OPS: readonly Operator[] = ['==', '!=', '<', '<=', '>', '>=', 'isEmpty'];
export const FLAG_OPS: readonly Operator[] = ['==', '!=', 'isEmpty'];
export const EMPTY_OPS: readonly Operator[] = ['isEmpty'];

export const nullable = (s: TSchema) => Type.Union([s, Type.Null()]);
export const oneColumn = (sqlType: string) => (f: FieldLike): ColumnSpec[] => [{ name: f.key, sqlType }];
export const num = (f: FieldLike, name: string, fallback: number) => (typeof f[name] === 'number' ? (f[name] as number) : fallback);
export const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** `numeric(precision,scale)` as written in DDL. */
export const numeric = (precision: number, scale: number) => `numeric(${precision},${scale})`;

/**
 * Decimal on the wire: a string with at most `scale` decimals and at most
 * `precision - scale` integer digits ("12000.50"), so it always fits the column.
 */
export function decimalWire(precision: number, scale: number): TSchema {
  const frac = scale > 0 ? `(\\.\\d{1,${scale}})?` : '';
  return nullable(Type.String({ pattern: `^-?\\d{1,${Math.max(1, precision - scale)}}${frac}$` }));
}

/** A text-stored type with the usual text operators and search support. */
export function textType<S extends TObject>(
  type: FieldType,
  label: FieldTypeDef['label'],
  settings: S,
  wire: (f: FieldLike) => TSchema,
  opts: Partial<Omit<FieldTypeDef, 'settings' | 'type' | 'label'>> = {},
): FieldTypeDef<S> {
  return {
    type,
    label,
    settings,
    columns: oneColumn('text'),
    valueKind: (): ValueKind => 'text',
    operators: TEXT_OPS,
    wireSchema: wire,
    computed: false,
    sortable: true,
    supports: { unique: true, indexed: true, searchable: true },
    ...opts,
  };
}

/** What a formula or rollup stores; its column, rule kind and wire format follow. */
export const RESULT_TYPES = ['text', 'integer', 'decimal', 'date', 'boolean'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];

/** Computed decimals are numeric(18, scale), scale 2 unless the field says otherwise. */
const RESULT_PRECISION = 18;
const resultScale = (f: FieldLike) => num(f, 'scale', 2);

export function resultColumn(f: FieldLike): string {
  switch (f.resultType as ResultType) {
    case 'integer': return 'bigint';
    case 'decimal': return numeric(RESULT_PRECISION, resultScale(f));
    case 'date': return 'date';
    case 'boolean': return 'boolean';
    default: return 'text';
  }
}

export function resultKind(f: FieldLike): ValueKind {
  return (({ integer: 'integer', decimal: 'decimal', date: 'date', boolean: 'boolean' }) as Record<string, ValueKind>)[String(f.resultType)] ?? 'text';
}

export function resultWire(f: FieldLike): TSchema {
  switch (f.resultType as ResultType) {
    case 'integer': return nullable(Type.Integer());
    case 'decimal': return decimalWire(RESULT_PRECISION, resultScale(f));
    case 'date': return nullable(Type.String({ format: 'date' }));
    case 'boolean': return nullable(Type.Boolean());
    default: return nullable(Type.String());
  }
}
