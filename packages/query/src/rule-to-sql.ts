import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { parse, type EvalContext, type Node, type NodeKind, type Operand, type ValueKind } from '@crm/rules';

/**
 * Compiles a rule to a Kysely boolean expression with the same meaning as
 * `@crm/rules` evaluate (a property test keeps the two in agreement).
 * Every literal, `$now`, `$user.*` and the time zone are bound parameters;
 * columns come from `target` (checked against metadata by the caller) and must
 * still look like plain identifiers.
 *
 *   {"and": [{">": [{"var": "amount"}, "1000"]}, {"in": [{"var": "stage"}, ["won", "lost"]]}]}
 *   -> (coalesce("amount" > $1::numeric, false) and coalesce("stage" in ($2, $3), false))
 */
export type VarTarget = { kind: ValueKind; column: string } | { kind: ValueKind; value: unknown };

export interface RuleTarget {
  vars: Readonly<Record<string, VarTarget>>;
  /** Optional qualifier for columns (a table alias). */
  table?: string;
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

export class RuleCompileError extends Error {}

export function compileRule(rule: unknown, target: RuleTarget, ctx: EvalContext): Expression<SqlBool> {
  const schema = { vars: Object.fromEntries(Object.entries(target.vars).map(([k, v]) => [k, { kind: v.kind }])) };
  const parsed = parse(rule, schema);
  if (!parsed.ok) throw new RuleCompileError(`invalid rule: ${parsed.issues.map((i) => `${i.code} at ${i.pointer || '/'}`).join(', ')}`);
  return compileNode(parsed.node, target, ctx);
}

/**
 * `positive` is true where NULL and false filter alike (not under a `!`):
 * there comparisons stay plain, so the planner can use indexes and estimate
 * them; under a negation they are made definite (never NULL) first.
 */
export function compileNode(node: Node, target: RuleTarget, ctx: EvalContext, positive = true): RawBuilder<SqlBool> {
  return (handlers[node.kind] as (n: Node, t: RuleTarget, c: EvalContext, p: boolean) => RawBuilder<SqlBool>)(node, target, ctx, positive);
}

const CAST: Record<ValueKind, string> = {
  text: 'text', integer: 'bigint', decimal: 'numeric', boolean: 'boolean', date: 'date', datetime: 'timestamptz', textArray: 'text[]', uuid: 'uuid',
};

/** A comparison that is never NULL where it matters: an empty side makes it false, so `!` behaves as in memory. */
const definite = (e: RawBuilder<unknown>, positive: boolean) => (positive ? sql<SqlBool>`(${e})` : sql<SqlBool>`coalesce(${e}, false)`);

function column(name: string, t: RuleTarget): RawBuilder<unknown> {
  const v = t.vars[name];
  if (!v) throw new RuleCompileError(`unknown var ${name}`);
  if ('column' in v) {
    if (!IDENT.test(v.column) || (t.table && !IDENT.test(t.table))) throw new RuleCompileError(`refusing column ${JSON.stringify(v.column)}`);
    return t.table ? sql.ref(`${t.table}.${v.column}`) : sql.ref(v.column);
  }
  return bound(v.value, v.kind);
}

function bound(value: unknown, kind: ValueKind): RawBuilder<unknown> {
  return sql`${value === undefined ? null : value}::${sql.raw(CAST[kind])}`;
}

function operand(o: Operand, type: ValueKind, t: RuleTarget, ctx: EvalContext): RawBuilder<unknown> {
  switch (o.kind) {
    case 'var':
      return column(o.name, t);
    case 'literal':
      return bound(o.value, type);
    case 'days': {
      const day = sql`((${ctx.now.toISOString()}::timestamptz at time zone ${ctx.timeZone})::date + ${o.offset}::int)`;
      return type === 'datetime' ? sql`(${day}::timestamp at time zone ${ctx.timeZone})` : day;
    }
  }
}

type Handlers = { [K in NodeKind]: (n: Extract<Node, { kind: K }>, t: RuleTarget, c: EvalContext, positive: boolean) => RawBuilder<SqlBool> };

const handlers: Handlers = {
  and: (n, t, c, p) => sql<SqlBool>`(${sql.join(n.args.map((a) => compileNode(a, t, c, p)), sql` and `)})`,
  or: (n, t, c, p) => sql<SqlBool>`(${sql.join(n.args.map((a) => compileNode(a, t, c, p)), sql` or `)})`,
  not: (n, t, c) => sql<SqlBool>`(not ${compileNode(n.arg, t, c, false)})`,
  compare: (n, t, c, p) => {
    const op = sql.raw(n.op === '==' ? '=' : n.op === '!=' ? '<>' : n.op);
    return definite(sql`${operand(n.left, n.type, t, c)} ${op} ${operand(n.right, n.type, t, c)}`, p);
  },
  in: (n, t, c, p) => definite(sql`${column(n.left.name, t)} = any(${n.values.map((v) => v.value)}::${sql.raw(CAST[n.type])}[])`, p),
  contains: (n, t, _c, p) =>
    n.type === 'textArray'
      ? definite(sql`${n.value}::text = any(${column(n.left.name, t)})`, p)
      : definite(sql`strpos(lower(${column(n.left.name, t)}), lower(${n.value}::text)) > 0`, p),
  startsWith: (n, t, _c, p) => definite(sql`starts_with(lower(${column(n.left.name, t)}), lower(${n.value}::text))`, p),
  isEmpty: (n, t) => {
    const col = column(n.left.name, t);
    if (n.left.type === 'text') return sql<SqlBool>`(${col} is null or ${col} = '')`;
    if (n.left.type === 'textArray') return sql<SqlBool>`(${col} is null or cardinality(${col}) = 0)`;
    return sql<SqlBool>`(${col} is null)`;
  },
};
