import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ValueKind } from '@crm/rules';

/**
 * Record list queries: visible rows (permission predicate), a compiled filter,
 * search, sort with keyset paging. Identifiers must already be checked against
 * published metadata; this module still refuses anything that is not a plain
 * identifier, and binds every value.
 *
 *   compileList(db, { schema: 'ws_1', table: 'opportunities', columns: ['id', 'amount'],
 *     sort: [{ column: 'amount', direction: 'desc', kind: 'decimal' }], limit: 50, ... })
 *   -> select "id", "amount" from "ws_1"."opportunities"
 *      where "deleted_at" is null and (<permission>) order by "amount" desc, "id" asc limit $1
 */
export interface SortKey {
  column: string;
  direction: 'asc' | 'desc';
  kind: ValueKind;
}

export interface ListSpec {
  schema: string;
  table: string;
  columns: readonly string[];
  permission: Expression<SqlBool>;
  filter?: Expression<SqlBool>;
  /** `pinyin`: the entity's pinyin column, searched too when the query is pinyin letters. */
  search?: { columns: readonly string[]; q: string; pinyin?: string };
  sort: readonly SortKey[];
  /** Sort values of the last row of the previous page, then its id. */
  after?: readonly unknown[];
  limit: number;
  deleted?: 'exclude' | 'only';
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`query: refusing identifier ${JSON.stringify(name)}`);
  return name;
}

const CAST: Record<ValueKind, string> = {
  text: 'text', integer: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz', textArray: 'text[]', uuid: 'uuid',
};

const col = (c: string) => sql.ref(ident(c));
const val = (v: unknown, kind: ValueKind) => sql`${v}::${sql.raw(CAST[kind])}`;

/** Escapes LIKE metacharacters so user text matches literally. */
export function likeLiteral(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Text search over searchable columns. 1–2 characters (a Chinese word is often
 * two) use the grams GIN index; 3+ use the trigram index; both recheck with
 * ILIKE so the answer is a literal, case-insensitive substring match. The
 * cheap ILIKE comes first: where a row is read without the index (small
 * tables), AND stops before computing the grams of a row that cannot match.
 * With `pinyin` (the entity's pinyin column), a query of letters also matches
 * there: `zwkj` finds 张伟科技 through `search_pinyin ilike '%zwkj%'`.
 */
export function searchPredicate(columns: readonly string[], q: string, pinyin?: string): RawBuilder<SqlBool> {
  const needle = q.trim();
  const per = columns.map((c) => contains(c, needle));
  const letters = pinyin ? pinyinLetters(needle) : null;
  if (pinyin && letters) per.push(contains(pinyin, letters));
  return per.length ? sql<SqlBool>`(${sql.join(per, sql` or `)})` : sql<SqlBool>`false`;
}

function contains(column: string, needle: string): RawBuilder<SqlBool> {
  const pattern = `%${likeLiteral(needle)}%`;
  return [...needle].length <= 2 && !/\s/.test(needle)
    ? sql<SqlBool>`(${col(column)} ilike ${pattern} and crm.search_grams(${col(column)}) @> array[lower(${needle}::text)])`
    : sql<SqlBool>`${col(column)} ilike ${pattern}`;
}

/**
 * A query as pinyin: letters only once spaces and apostrophes are dropped
 * (`Zhang Wei` -> `zhangwei`, `xi'an` -> `xian`), at least two of them (one
 * letter is the initial of half the names in a table).
 */
export function pinyinLetters(q: string): string | null {
  const letters = q.trim().toLowerCase().replace(/[\s'’]/g, '');
  return /^[a-z]{2,60}$/.test(letters) ? letters : null;
}

/**
 * Rows strictly after `after` in the order of `sort` (+ id). Empty values sort
 * as the largest (PostgreSQL's own order: last ascending, first descending), so
 * a plain b-tree index on the column serves both directions.
 */
export function keysetPredicate(sort: readonly SortKey[], after: readonly unknown[]): RawBuilder<SqlBool> {
  const keys: SortKey[] = [...sort, { column: 'id', direction: 'asc', kind: 'uuid' }];
  if (after.length !== keys.length) throw new Error('query: cursor does not match the sort');
  const equal = (k: SortKey, v: unknown) => (v === null ? sql`${col(k.column)} is null` : sql`${col(k.column)} = ${val(v, k.kind)}`);
  const beyond = (k: SortKey, v: unknown): RawBuilder<unknown> => {
    if (k.direction === 'asc') return v === null ? sql`false` : sql`(${col(k.column)} > ${val(v, k.kind)} or ${col(k.column)} is null)`;
    return v === null ? sql`${col(k.column)} is not null` : sql`${col(k.column)} < ${val(v, k.kind)}`;
  };
  const ors = keys.map((k, i) => {
    const parts = [...keys.slice(0, i).map((p, j) => equal(p, after[j])), beyond(k, after[i])];
    return sql`(${sql.join(parts, sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(ors, sql` or `)})`;
}

function where(spec: ListSpec) {
  const parts: RawBuilder<unknown>[] = [
    spec.deleted === 'only' ? sql`${col('deleted_at')} is not null` : sql`${col('deleted_at')} is null`,
    sql`(${spec.permission})`,
  ];
  if (spec.filter) parts.push(sql`(${spec.filter})`);
  if (spec.search && spec.search.q.trim()) parts.push(searchPredicate(spec.search.columns, spec.search.q, spec.search.pinyin));
  return parts;
}

export function compileList(db: Kysely<any>, spec: ListSpec) {
  const parts = where(spec);
  if (spec.after) parts.push(keysetPredicate(spec.sort, spec.after));
  const order = [...spec.sort.map((s) => sql`${col(s.column)} ${sql.raw(s.direction)}`), sql`${col('id')} asc`];
  return sql`select ${sql.join(spec.columns.map(col))} from ${sql.table(`${ident(spec.schema)}.${ident(spec.table)}`)}
    where ${sql.join(parts, sql` and `)} order by ${sql.join(order)} limit ${spec.limit}`;
}

export function compileCount(db: Kysely<any>, spec: Omit<ListSpec, 'sort' | 'after' | 'limit' | 'columns'>) {
  void db;
  return sql<{ total: number }>`select count(*)::int as total from ${sql.table(`${ident(spec.schema)}.${ident(spec.table)}`)}
    where ${sql.join(where({ ...spec, sort: [], limit: 0, columns: [] }), sql` and `)}`;
}

/** Cursor <-> sort values: opaque to clients, checked on the way back in. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: readonly SortKey[]): unknown[] | undefined {
  if (cursor.length > 4096) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const keys: SortKey[] = [...sort, { column: 'id', direction: 'asc', kind: 'uuid' }];
  if (!Array.isArray(values) || values.length !== keys.length) return undefined;
  const ok = values.every((v, i) => (v === null ? keys[i]!.column !== 'id' : fitsKind(v, keys[i]!.kind)));
  return ok ? values : undefined;
}

const PATTERNS: Partial<Record<ValueKind, RegExp>> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  decimal: /^-?\d{1,40}(\.\d{1,20})?$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/,
};

/** A cursor value must be castable to its column kind, or the query would fail instead of answering 400. */
function fitsKind(v: unknown, kind: ValueKind): boolean {
  if (kind === 'integer') return Number.isSafeInteger(v);
  if (kind === 'boolean') return typeof v === 'boolean';
  if (typeof v !== 'string' || v.length > 200) return false;
  const p = PATTERNS[kind];
  return p ? p.test(v) : kind === 'text';
}
