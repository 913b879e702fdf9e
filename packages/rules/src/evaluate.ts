import { zonedDate, zonedMidnight } from './dates.js';
import { isEmptyValue, kinds, type KindSpec } from './kinds.js';
import { PREVIOUS_PREFIX, TEST, type Node, type NodeKind, type Operand, type OperandKind } from './nodes.js';
import { parse } from './parse.js';
import { asciiLower } from './text.js';
import type { EvalContext, RuleIssue, RuleSchema } from './types.js';

type Row = Readonly<Record<string, unknown>>;

/**
 * Evaluates a parsed rule in memory against a record in wire format
 * (CONVENTIONS.md §2). packages/query compiles the same nodes to SQL with the
 * same meaning (tests/rules-sql-agreement.test.ts checks it):
 *
 * - `==` / `!=` are strict: a value of the wrong JSON type (the string "1" for
 *   an integer) equals nothing. Decimals compare exactly as decimal strings
 *   ("12000" == "12000.00"); datetimes as instants with milliseconds; uuids
 *   ignoring case.
 * - Any comparison (`!=` and `in` included) with a null, missing or malformed
 *   side is false; `!` negates that false to true.
 * - `isEmpty`: null, missing, '' or [].
 * - `contains` / `startsWith` on text: literal substring / prefix, folding
 *   only the ASCII letters A-Z (text.ts says why). `contains` on a text array:
 *   an element, exactly.
 * - `daysAgo n` / `daysFromNow n`: the calendar day n days before / after
 *   today in `ctx.timeZone` (today = the date of `ctx.now` there); against a
 *   datetime, the first instant of that day.
 * - `$now`, `$user.id`, `$user.teams`, `$previous.x` come from `ctx`, never
 *   from the record.
 */
export function evaluateNode(node: Node, record: Row, ctx: EvalContext): boolean {
  return (handlers[node.kind] as Handler<Node>)(node, record, ctx);
}

/** A rule that passed validation against its schema, ready to evaluate many times. */
export interface PreparedRule {
  readonly node: Node;
}

const prepared = new WeakSet<object>();

/** Thrown for a rule that does not validate; `issues` are the `validate` findings. */
export class RuleError extends Error {
  constructor(readonly issues: readonly RuleIssue[]) {
    super(`rules: invalid rule (${issues.map((i) => `${i.code} at ${i.pointer || '/'}`).join(', ')})`);
    this.name = 'RuleError';
  }
}

/** Validates once; evaluate the result with `evaluate(prepared, record, ctx)`. Throws RuleError. */
export function prepare(rule: unknown, schema: RuleSchema): PreparedRule {
  const parsed = parse(rule, schema);
  if (!parsed.ok) throw new RuleError(parsed.issues);
  const p: PreparedRule = Object.freeze({ node: parsed.node });
  prepared.add(p);
  return p;
}

/**
 * `evaluate(prepare(rule, schema), record, ctx)`, or in one step
 * `evaluate(rule, schema, record, ctx)` for a rule as stored (JSON).
 * A schema is needed because the wire format alone cannot tell a decimal
 * "12000.00" from a text "12000.00", or a datetime from a text. Throws
 * RuleError for a rule that does not validate (rules are validated at save).
 *
 *   evaluate({">": [{"var": "amount"}, "1000"]}, { vars: { amount: { kind: 'decimal' } } },
 *            { amount: "1000.01" }, { now, timeZone: 'Asia/Shanghai' })  -> true
 */
export function evaluate(rule: PreparedRule, record: Row, ctx: EvalContext): boolean;
export function evaluate(rule: unknown, schema: RuleSchema, record: Row, ctx: EvalContext): boolean;
export function evaluate(rule: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 2) {
    if (!rule || typeof rule !== 'object' || !prepared.has(rule)) {
      throw new TypeError('rules: evaluate(rule, record, ctx) takes a rule from prepare(rule, schema); for a rule as JSON pass its schema: evaluate(rule, schema, record, ctx)');
    }
    return evaluateNode((rule as PreparedRule).node, rest[0] as Row, rest[1] as EvalContext);
  }
  return evaluateNode(prepare(rule, rest[0] as RuleSchema).node, rest[1] as Row, rest[2] as EvalContext);
}

/** `$now`, `$user.id`, `$user.teams` and `$previous.x` from the context; anything else from the record (own keys only). */
export function lookup(name: string, record: Row, ctx: EvalContext): unknown {
  if (name.startsWith('$')) {
    if (name === '$now') return ctx.now.toISOString();
    if (name === '$user.id') return ctx.user?.id ?? null;
    if (name === '$user.teams') return ctx.user?.teams ?? null;
    if (name.startsWith(PREVIOUS_PREFIX)) {
      const key = name.slice(PREVIOUS_PREFIX.length);
      return ctx.previous && Object.hasOwn(ctx.previous, key) ? ctx.previous[key] : null;
    }
    return null;
  }
  return Object.hasOwn(record, name) ? record[name] : null;
}

/** What a date helper stands for, in wire format: the date, or the first instant of that day (ISO, UTC). */
export function daysValue(offset: number, type: 'date' | 'datetime', ctx: EvalContext): string {
  const date = zonedDate(ctx.now, ctx.timeZone, offset);
  return type === 'date' ? date : new Date(zonedMidnight(date, ctx.timeZone)).toISOString();
}

type Handler<N extends Node> = (n: N, r: Row, c: EvalContext) => boolean;
type Handlers = { readonly [K in NodeKind]: Handler<Extract<Node, { kind: K }>> };
type OperandHandlers = { readonly [K in OperandKind]: (o: Extract<Operand, { kind: K }>, r: Row, c: EvalContext) => unknown };

const operands: OperandHandlers = {
  var: (o, r, c) => lookup(o.name, r, c),
  literal: (o) => o.value,
  days: (o, _r, c) => daysValue(o.offset, o.type, c),
};

const operand = (o: Operand, r: Row, c: EvalContext): unknown =>
  (operands[o.kind] as (o: Operand, r: Row, c: EvalContext) => unknown)(o, r, c);

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const handlers: Handlers = {
  and: (n, r, c) => n.args.every((a) => evaluateNode(a, r, c)),
  or: (n, r, c) => n.args.some((a) => evaluateNode(a, r, c)),
  not: (n, r, c) => !evaluateNode(n.arg, r, c),
  compare: (n, r, c) => {
    const spec = kinds[n.type] as KindSpec<unknown>;
    const a = spec.read(operand(n.left, r, c));
    const b = spec.read(operand(n.right, r, c));
    return a !== undefined && b !== undefined && TEST[n.op](spec.compare(a, b));
  },
  in: (n, r, c) => {
    const spec = kinds[n.type] as KindSpec<unknown>;
    const a = spec.read(operand(n.left, r, c));
    return a !== undefined && n.values.some((v) => spec.compare(a, spec.read(v.value)) === 0);
  },
  textContains: (n, r, c) => {
    const a = text(operand(n.left, r, c));
    return a !== undefined && asciiLower(a).includes(asciiLower(n.value));
  },
  startsWith: (n, r, c) => {
    const a = text(operand(n.left, r, c));
    return a !== undefined && asciiLower(a).startsWith(asciiLower(n.value));
  },
  arrayContains: (n, r, c) => {
    const a = operand(n.left, r, c);
    return Array.isArray(a) && a.includes(n.value);
  },
  isEmpty: (n, r, c) => isEmptyValue(operand(n.left, r, c)),
};
