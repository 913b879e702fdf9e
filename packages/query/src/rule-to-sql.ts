import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import {
  asciiLower, daysValue, escapeLike, isEmptyValue, isValidTimeZone, MIRROR, parse, toWire,
  type CompareOp, type EvalContext, type Node, type NodeKind, type Operand, type OperandKind, type ValueKind,
} from '@crm/rules';

/**
 * The condition language (CONVENTIONS.md §4) as a PostgreSQL boolean
 * expression with exactly the meaning of `evaluate` in `@crm/rules`
 * (tests/rules-sql-agreement.test.ts checks it on random rules and records).
 * Pipeline as in Kysely: rule JSON -> `parse` (shared with memory) -> frozen
 * nodes -> one handler per node kind -> Kysely raw expression.
 *
 *   compileRule({"and": [{">": [{"var": "amount"}, "1000"]}, {"!": {"in": [{"var": "stage"}, ["won", "lost"]]}}]},
 *               { vars: { amount: { kind: 'decimal', column: 'amount' }, stage: { kind: 'text', column: 'stage' } } }, ctx)
 *   -> (("amount" > $1::numeric and "amount" is not null) and not ("stage" = any($2::text[]) and "stage" is not null))
 *      parameters: ["1000", ["won", "lost"]]
 *
 * - Never NULL: a comparison is guarded with `<column> is not null`, so it is
 *   false (not NULL) for an empty column and `not` negates it to true, as in
 *   memory. The guard keeps the comparison itself plain (`"amount" > $1`), so
 *   b-tree indexes still apply; a bound value that is empty makes the
 *   comparison `false` at compile time.
 * - Every literal is a bound parameter with a cast; so are `$now` (from
 *   `ctx.now`, whatever the target says), the other `{ kind, value }` variables,
 *   and the date helpers, which are computed here from `ctx.now` and
 *   `ctx.timeZone` exactly as in memory (no `now()`, no time-zone rules of the
 *   database, so PostgreSQL's tz data cannot disagree with the JS engine's).
 * - Columns are `sql.ref(column)`; the caller checked them against metadata
 *   and they must still be plain identifiers.
 * - Datetimes compare with millisecond precision, like the wire format the
 *   evaluator sees: `"seen" <= '…00.000Z'` becomes `"seen" < '…00.001Z'`, so
 *   a stored `…00.000400` (now() has microseconds) agrees with memory.
 * - `contains` / `startsWith` on text: `lower(x collate "C") like pattern`,
 *   folding A-Z only on every server, with `%`, `_` and `\` escaped.
 */
export type VarTarget = { kind: ValueKind; column: string } | { kind: ValueKind; value: unknown };

export interface RuleTarget {
  /** Each variable a rule may read: a column of the row, or a value bound as a parameter (`$user.id`, `$previous.x`). */
  vars: Readonly<Record<string, VarTarget>>;
  /** Optional qualifier for the columns (a table alias). */
  table?: string;
}

export class RuleCompileError extends Error {
  override name = 'RuleCompileError';
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

/** Column storage and parameter casts per value kind. */
const CAST: Readonly<Record<ValueKind, string>> = {
  text: 'text', integer: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz', textArray: 'text[]', uuid: 'uuid',
};

const SQL_OP: Readonly<Record<CompareOp, string>> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

export function compileRule(rule: unknown, target: RuleTarget, ctx: EvalContext): Expression<SqlBool> {
  const schema = { vars: Object.fromEntries(Object.entries(target.vars).map(([name, v]) => [name, { kind: v.kind }])) };
  const parsed = parse(rule, schema);
  if (!parsed.ok) throw new RuleCompileError(`invalid rule: ${parsed.issues.map((i) => `${i.code} at ${i.pointer || '/'}`).join(', ')}`);
  return compileNode(parsed.node, target, ctx);
}

export function compileNode(node: Node, target: RuleTarget, ctx: EvalContext): RawBuilder<SqlBool> {
  return (handlers[node.kind] as Handler<Node>)(node, target, ctx);
}

/**
 * One side of a comparison. A column may be NULL at run time and gets a guard;
 * a bound value is known now (`wire` is null when it is empty).
 */
type Side = { kind: 'column'; sql: RawBuilder<unknown> } | { kind: 'value'; sql: RawBuilder<unknown>; wire: unknown };

const bind = (wire: unknown, kind: ValueKind): RawBuilder<unknown> => sql`${wire}::${sql.raw(CAST[kind])}`;
const value = (wire: unknown, kind: ValueKind): Side => ({ kind: 'value', wire, sql: wire === null ? sql`null` : bind(wire, kind) });
const isNullValue = (s: Side) => s.kind === 'value' && s.wire === null;

function variable(name: string, kind: ValueKind, t: RuleTarget, ctx: EvalContext): Side {
  if (name === '$now') {
    if (kind !== 'datetime') throw new RuleCompileError('$now is a datetime');
    return value(ctx.now.toISOString(), 'datetime');
  }
  const v = Object.hasOwn(t.vars, name) ? t.vars[name] : undefined;
  if (!v) throw new RuleCompileError(`unknown var ${name}`);
  if ('column' in v) {
    if (typeof v.column !== 'string' || !IDENT.test(v.column) || (t.table !== undefined && !IDENT.test(t.table))) {
      throw new RuleCompileError(`refusing column ${JSON.stringify(v.column)}`);
    }
    return { kind: 'column', sql: sql.ref(t.table !== undefined ? `${t.table}.${v.column}` : v.column) };
  }
  const wire = toWire(kind, v.value);
  if (wire === undefined) throw new RuleCompileError(`the value of ${name} is not a ${kind}`);
  return value(wire, kind);
}

type OperandHandlers = { readonly [K in OperandKind]: (o: Extract<Operand, { kind: K }>, t: RuleTarget, c: EvalContext) => Side };

const operands: OperandHandlers = {
  var: (o, t, c) => variable(o.name, o.type, t, c),
  literal: (o) => value(o.value, o.type),
  days: (o, _t, c) => {
    if (!isValidTimeZone(c.timeZone)) throw new RuleCompileError(`unknown time zone ${JSON.stringify(c.timeZone)}`);
    return value(daysValue(o.offset, o.type, c), o.type);
  },
};

const side = (o: Operand, t: RuleTarget, c: EvalContext): Side =>
  (operands[o.kind] as (o: Operand, t: RuleTarget, c: EvalContext) => Side)(o, t, c);

/** `(expr and <column> is not null ...)`: never NULL, since bound sides are known not to be empty. */
function definite(expr: RawBuilder<unknown>, sides: readonly Side[]): RawBuilder<SqlBool> {
  const guards = sides.filter((s) => s.kind === 'column').map((s) => sql`${s.sql} is not null`);
  return sql<SqlBool>`(${sql.join([expr, ...guards], sql` and `)})`;
}

const ms = (s: RawBuilder<unknown>) => sql`date_trunc('milliseconds', ${s})`;

/**
 * A timestamptz column against a millisecond instant L, as if the column were
 * truncated to milliseconds (what the wire format shows), yet index-friendly:
 * trunc(x) <= L  <=>  x < L + 1 ms, and so on.
 */
const ON_MS_GRID: Readonly<Record<CompareOp, (x: RawBuilder<unknown>, lo: RawBuilder<unknown>, hi: RawBuilder<unknown>) => RawBuilder<unknown>>> = {
  '<': (x, lo) => sql`${x} < ${lo}`,
  '>=': (x, lo) => sql`${x} >= ${lo}`,
  '<=': (x, _lo, hi) => sql`${x} < ${hi}`,
  '>': (x, _lo, hi) => sql`${x} >= ${hi}`,
  '==': (x, lo, hi) => sql`${x} >= ${lo} and ${x} < ${hi}`,
  '!=': (x, lo, hi) => sql`(${x} < ${lo} or ${x} >= ${hi})`,
};

function comparison(op: CompareOp, type: ValueKind, l: Side, r: Side): RawBuilder<unknown> {
  if (type === 'datetime') {
    if (l.kind === 'column' && r.kind === 'value') {
      const at = Date.parse(r.wire as string);
      return ON_MS_GRID[op](l.sql, r.sql, bind(new Date(at + 1).toISOString(), 'datetime'));
    }
    if (l.kind === 'column' && r.kind === 'column') return sql`${ms(l.sql)} ${sql.raw(SQL_OP[op])} ${ms(r.sql)}`;
  }
  return sql`${l.sql} ${sql.raw(SQL_OP[op])} ${r.sql}`;
}

/** `isEmpty` on a column, per kind: null, and '' for text, [] for text arrays. */
const EMPTY: Readonly<Record<ValueKind, (x: RawBuilder<unknown>) => RawBuilder<SqlBool>>> = {
  text: (x) => sql`(${x} is null or ${x} = '')`,
  textArray: (x) => sql`(${x} is null or cardinality(${x}) = 0)`,
  integer: (x) => sql`${x} is null`,
  decimal: (x) => sql`${x} is null`,
  boolean: (x) => sql`${x} is null`,
  date: (x) => sql`${x} is null`,
  datetime: (x) => sql`${x} is null`,
  uuid: (x) => sql`${x} is null`,
};

const junction = (args: readonly Node[], word: 'and' | 'or', t: RuleTarget, c: EvalContext): RawBuilder<SqlBool> =>
  args.length === 1 ? compileNode(args[0]!, t, c) : sql<SqlBool>`(${sql.join(args.map((a) => compileNode(a, t, c)), sql.raw(` ${word} `))})`;

type Handler<N extends Node> = (n: N, t: RuleTarget, c: EvalContext) => RawBuilder<SqlBool>;
type Handlers = { readonly [K in NodeKind]: Handler<Extract<Node, { kind: K }>> };

const handlers: Handlers = {
  and: (n, t, c) => junction(n.args, 'and', t, c),
  or: (n, t, c) => junction(n.args, 'or', t, c),
  not: (n, t, c) => sql<SqlBool>`not ${compileNode(n.arg, t, c)}`,
  compare: (n, t, c) => {
    let l = side(n.left, t, c);
    let r = side(n.right, t, c);
    if (isNullValue(l) || isNullValue(r)) return FALSE;
    let op = n.op;
    if (l.kind === 'value' && r.kind === 'column') {
      [l, r] = [r, l];
      op = MIRROR[op];
    }
    return definite(comparison(op, n.type, l, r), [l, r]);
  },
  in: (n, t, c) => {
    const l = side(n.left, t, c);
    if (n.values.length === 0 || isNullValue(l)) return FALSE;
    const x = n.type === 'datetime' && l.kind === 'column' ? ms(l.sql) : l.sql;
    return definite(sql`${x} = any(${n.values.map((v) => v.value)}::${sql.raw(CAST[n.type])}[])`, [l]);
  },
  textContains: (n, t, c) => {
    const l = side(n.left, t, c);
    if (isNullValue(l)) return FALSE;
    return definite(sql`lower(${l.sql} collate "C") like ${`%${escapeLike(asciiLower(n.value))}%`}`, [l]);
  },
  startsWith: (n, t, c) => {
    const l = side(n.left, t, c);
    if (isNullValue(l)) return FALSE;
    return definite(sql`lower(${l.sql} collate "C") like ${`${escapeLike(asciiLower(n.value))}%`}`, [l]);
  },
  arrayContains: (n, t, c) => {
    const l = side(n.left, t, c);
    if (isNullValue(l)) return FALSE;
    return definite(sql`${l.sql} @> array[${n.value}::text]`, [l]);
  },
  isEmpty: (n, t, c) => {
    const l = side(n.left, t, c);
    if (l.kind === 'value') return isEmptyValue(l.wire) ? TRUE : FALSE;
    return EMPTY[n.left.type](l.sql);
  },
};
