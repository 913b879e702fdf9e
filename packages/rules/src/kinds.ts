import { compareDecimal, DECIMAL_LITERAL, DECIMAL_WIRE } from './decimal.js';
import { isDate, parseDateTime } from './dates.js';
import { isStorableText } from './text.js';
import type { ValueKind } from './types.js';

/** A literal as it sits in a parsed rule: already in wire format for its kind. */
export type LiteralValue = string | number | boolean;

/** What `read` turns a wire value into, per kind, for comparing in memory. */
export interface KindValues {
  text: string;
  integer: number;
  decimal: string;
  boolean: boolean;
  date: string;
  datetime: number; // epoch ms
  textArray: readonly unknown[];
  uuid: string; // lower case
}

export interface KindSpec<T> {
  /** `<`, `<=`, `>`, `>=` apply. */
  readonly ordered: boolean;
  /** `==`, `!=` and `in` apply. */
  readonly scalar: boolean;
  /** Shown in RULE_BAD_LITERAL as {expected}. */
  readonly expected: string;
  /** A literal written in a rule -> its wire form, or undefined when it is not a valid literal of the kind. */
  literal(x: unknown): LiteralValue | undefined;
  /** A wire value (record, context or literal) -> comparable, or undefined for null, missing or malformed. */
  read(v: unknown): T | undefined;
  compare(a: T, b: T): number;
  /** A read value back to the wire form SQL binds (datetime: UTC with milliseconds), or undefined if it cannot be bound. */
  wire(r: T): unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 1000;

const order = <T extends string | number>(a: T, b: T) => (a === b ? 0 : a < b ? -1 : 1);
const same = <T>(r: T) => r;
const textLiteral = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_TEXT && isStorableText(x);

/**
 * The value kinds, one entry each; a new ValueKind without an entry does not
 * compile. The SQL compiler (packages/query) has the matching column casts.
 */
export const kinds: { readonly [K in ValueKind]: KindSpec<KindValues[K]> } = {
  text: {
    ordered: false, scalar: true, expected: 'text',
    literal: (x) => (textLiteral(x) ? x : undefined),
    read: (v) => (typeof v === 'string' ? v : undefined),
    compare: order,
    wire: (r) => (isStorableText(r) ? r : undefined),
  },
  integer: {
    ordered: true, scalar: true, expected: 'integer',
    literal: (x) => (Number.isSafeInteger(x) ? (x as number) : undefined),
    read: (v) => (Number.isSafeInteger(v) ? (v as number) : undefined),
    compare: order,
    wire: same,
  },
  decimal: {
    ordered: true, scalar: true, expected: 'decimal string like "12000.50"',
    // A JSON number is accepted when its shortest form is a plain decimal (1000, 0.5; not 1e21).
    literal: (x) => {
      const s = typeof x === 'number' && Number.isFinite(x) ? String(x) : x;
      return typeof s === 'string' && DECIMAL_LITERAL.test(s) ? s : undefined;
    },
    read: (v) => (typeof v === 'string' && DECIMAL_WIRE.test(v) ? v : undefined),
    compare: compareDecimal,
    wire: same,
  },
  boolean: {
    ordered: false, scalar: true, expected: 'true or false',
    literal: (x) => (typeof x === 'boolean' ? x : undefined),
    read: (v) => (typeof v === 'boolean' ? v : undefined),
    compare: (a, b) => (a === b ? 0 : a ? 1 : -1),
    wire: same,
  },
  date: {
    ordered: true, scalar: true, expected: 'date YYYY-MM-DD',
    literal: (x) => (isDate(x) ? x : undefined),
    read: (v) => (isDate(v) ? v : undefined),
    compare: order,
    wire: same,
  },
  datetime: {
    ordered: true, scalar: true, expected: 'ISO 8601 datetime with Z or an offset, at most milliseconds',
    // Normalised to UTC with milliseconds: "2026-11-22T08:30:00+08:00" -> "2026-11-22T00:30:00.000Z".
    literal: (x) => {
      const ms = parseDateTime(x, 3);
      return ms === undefined ? undefined : new Date(ms).toISOString();
    },
    read: (v) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? undefined : v.getTime()) : parseDateTime(v)),
    compare: order,
    wire: (r) => new Date(r).toISOString(),
  },
  textArray: {
    ordered: false, scalar: false, expected: 'option key',
    literal: () => undefined,
    read: (v) => (Array.isArray(v) ? v : undefined),
    compare: () => Number.NaN,
    wire: (r) => (r.every((e) => typeof e === 'string' && isStorableText(e)) ? r : undefined),
  },
  uuid: {
    ordered: false, scalar: true, expected: 'uuid',
    literal: (x) => (typeof x === 'string' && UUID.test(x) ? x.toLowerCase() : undefined),
    read: (v) => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : undefined),
    compare: order,
    wire: same,
  },
};

/** The literal check of `contains` / `startsWith` values: a string PostgreSQL can store, at most 1,000 characters. */
export const isTextLiteral = textLiteral;

/** True for null, missing, '' and []: what `isEmpty` tests, in memory and in SQL. */
export function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * A context or bound value in the wire form SQL binds: null for null or
 * missing, undefined for a malformed value (refused rather than guessed).
 * Used by packages/query for `{ kind, value }` variables.
 */
export function toWire(kind: ValueKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const spec = kinds[kind] as KindSpec<unknown>;
  const r = spec.read(v);
  return r === undefined ? undefined : spec.wire(r);
}
