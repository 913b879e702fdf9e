import { compareDecimal } from './decimal.js';
import { zonedDate, zonedMidnight } from './dates.js';
import { parse, type Node, type NodeKind, type Operand } from './parse.js';
import type { EvalContext, RuleSchema, ValueKind } from './types.js';

/**
 * Evaluates a parsed rule against a record in wire format (CONVENTIONS.md §2).
 * Semantics shared with SQL: strict equality; a comparison with an empty side
 * is false (also for `!=`); `!` negates that false; `isEmpty` is true for null,
 * '' and []; `contains`/`startsWith` on text ignore case.
 */
export function evaluateNode(node: Node, record: Readonly<Record<string, unknown>>, ctx: EvalContext): boolean {
  return (handlers[node.kind] as (n: Node, r: Readonly<Record<string, unknown>>, c: EvalContext) => boolean)(node, record, ctx);
}

/** Parses then evaluates; throws on a rule that does not validate (rules are validated at save). */
export function evaluate(rule: unknown, schema: RuleSchema, record: Readonly<Record<string, unknown>>, ctx: EvalContext): boolean {
  const parsed = parse(rule, schema);
  if (!parsed.ok) throw new Error(`rules: invalid rule (${parsed.issues.map((i) => `${i.code} at ${i.pointer || '/'}`).join(', ')})`);
  return evaluateNode(parsed.node, record, ctx);
}

type Handlers = { [K in NodeKind]: (n: Extract<Node, { kind: K }>, r: Readonly<Record<string, unknown>>, c: EvalContext) => boolean };

const handlers: Handlers = {
  and: (n, r, c) => n.args.every((a) => evaluateNode(a, r, c)),
  or: (n, r, c) => n.args.some((a) => evaluateNode(a, r, c)),
  not: (n, r, c) => !evaluateNode(n.arg, r, c),
  compare: (n, r, c) => {
    const a = value(n.left, n.type, r, c);
    const b = value(n.right, n.type, r, c);
    if (isNil(a) || isNil(b)) return false;
    const cmp = compareValues(a, b, n.type);
    if (cmp === undefined) return false;
    switch (n.op) {
      case '==': return cmp === 0;
      case '!=': return cmp !== 0;
      case '<': return cmp < 0;
      case '<=': return cmp <= 0;
      case '>': return cmp > 0;
      case '>=': return cmp >= 0;
    }
  },
  in: (n, r, c) => {
    const a = value(n.left, n.type, r, c);
    if (isNil(a)) return false;
    return n.values.some((v) => compareValues(a, v.value, n.type) === 0);
  },
  contains: (n, r) => {
    const a = r[n.left.name];
    if (n.type === 'textArray') return Array.isArray(a) && a.includes(n.value);
    return typeof a === 'string' && fold(a).includes(fold(n.value));
  },
  startsWith: (n, r) => {
    const a = r[n.left.name];
    return typeof a === 'string' && fold(a).startsWith(fold(n.value));
  },
  isEmpty: (n, r) => {
    const a = r[n.left.name];
    return a === null || a === undefined || a === '' || (Array.isArray(a) && a.length === 0);
  },
};

/** Case folding both sides agree on: PostgreSQL lower() under C.UTF-8 and JS toLowerCase() (simple mappings). */
export function fold(s: string): string {
  return s.toLowerCase();
}

const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

function value(o: Operand, type: ValueKind, r: Readonly<Record<string, unknown>>, c: EvalContext): unknown {
  switch (o.kind) {
    case 'literal':
      return o.value;
    case 'var':
      return lookup(o.name, r, c);
    case 'days': {
      const date = zonedDate(c.now, c.timeZone, o.offset);
      return type === 'datetime' ? new Date(zonedMidnight(date, c.timeZone)).toISOString() : date;
    }
  }
}

/** `$user.id`, `$now`, `$previous.x` come from the context; everything else from the record. */
export function lookup(name: string, r: Readonly<Record<string, unknown>>, c: EvalContext): unknown {
  if (name === '$now') return c.now.toISOString();
  if (name === '$user.id') return c.user?.id ?? null;
  if (name === '$user.teams') return c.user?.teams ?? [];
  if (name.startsWith('$previous.')) return c.previous?.[name.slice('$previous.'.length)] ?? null;
  return Object.hasOwn(r, name) ? r[name] : null;
}

function compareValues(a: unknown, b: unknown, type: ValueKind): number | undefined {
  switch (type) {
    case 'decimal': {
      const sa = typeof a === 'number' ? String(a) : a;
      const sb = typeof b === 'number' ? String(b) : b;
      return typeof sa === 'string' && typeof sb === 'string' ? compareDecimal(sa, sb) : undefined;
    }
    case 'integer':
      return typeof a === 'number' && typeof b === 'number' ? Math.sign(a - b) : undefined;
    case 'datetime': {
      const ta = typeof a === 'string' ? Date.parse(a) : NaN;
      const tb = typeof b === 'string' ? Date.parse(b) : NaN;
      return Number.isNaN(ta) || Number.isNaN(tb) ? undefined : Math.sign(ta - tb);
    }
    case 'uuid':
      return typeof a === 'string' && typeof b === 'string' ? (a.toLowerCase() === b.toLowerCase() ? 0 : a.toLowerCase() < b.toLowerCase() ? -1 : 1) : undefined;
    case 'text':
    case 'date':
      return typeof a === 'string' && typeof b === 'string' ? (a === b ? 0 : a < b ? -1 : 1) : undefined;
    case 'boolean':
      return typeof a === 'boolean' && typeof b === 'boolean' ? (a === b ? 0 : a ? 1 : -1) : undefined;
    case 'textArray':
      return undefined;
  }
}
