import { Type, type TSchema } from '@sinclair/typebox';
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

/** Decimal on the wire: a string with at most `scale` decimals ("12000.50"). */
export function decimalWire(f: FieldLike, defaultScale: number) {
  const scale = num(f, 'scale', defaultScale);
  const frac = scale > 0 ? `(\\.\\d{1,${scale}})?` : '';
  return nullable(Type.String({ pattern: `^-?\\d{1,${num(f, 'precision', 18) - scale}}${frac}$` }));
}

/** A text-stored type with the usual text operators and search support. */
export function textType(type: FieldType, settings: TSchema, wire: (f: FieldLike) => TSchema, opts: Partial<FieldTypeDef> = {}): FieldTypeDef {
  return {
    type,
    settings,
    columns: oneColumn('text'),
    valueKind: (): ValueKind => 'text',
    operators: TEXT_OPS,
    wireSchema: wire,
    computed: false,
    supports: { unique: true, indexed: true, searchable: true },
    ...opts,
  };
}

/** formula / rollup store their result in a column of the result type. */
export const RESULT_TYPES = ['text', 'integer', 'decimal', 'date', 'boolean'] as const;
export function resultColumn(f: FieldLike): string {
  switch (f.resultType) {
    case 'integer': return 'bigint';
    case 'decimal': return `numeric(18,${num(f, 'scale', 2)})`;
    case 'date': return 'date';
    case 'boolean': return 'boolean';
    default: return 'text';
  }
}
export function resultKind(f: FieldLike): ValueKind {
  return (({ integer: 'integer', decimal: 'decimal', date: 'date', boolean: 'boolean' }) as Record<string, ValueKind>)[String(f.resultType)] ?? 'text';
}
export function resultWire(f: FieldLike): TSchema {
  switch (f.resultType) {
    case 'integer': return nullable(Type.Integer());
    case 'decimal': return decimalWire(f, 2);
    case 'date': return nullable(Type.String({ format: 'date' }));
    case 'boolean': return nullable(Type.Boolean());
    default: return nullable(Type.String());
  }
}
