import { RULE_LIMITS, type RuleIssue, type RuleSchema, type ValueKind } from './types.js';

/**
 * Parsing checks a json-logic rule against the typed subset of CONVENTIONS.md §4
 * and turns it into plain frozen nodes. Both the in-memory evaluator and the SQL
 * compiler (packages/query) walk these nodes, so they cannot disagree on what a
 * rule means. Nothing here executes anything from the rule.
 */
export type Node =
  | { kind: 'and'; args: Node[] }
  | { kind: 'or'; args: Node[] }
  | { kind: 'not'; arg: Node }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand; type: ValueKind }
  | { kind: 'in'; left: VarRef; values: Literal[]; type: ValueKind }
  | { kind: 'contains'; left: VarRef; value: string; type: 'text' | 'textArray' }
  | { kind: 'startsWith'; left: VarRef; value: string }
  | { kind: 'isEmpty'; left: VarRef };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type NodeKind = Node['kind'];

export interface VarRef { kind: 'var'; name: string; type: ValueKind }
export interface Literal { kind: 'literal'; value: string | number | boolean; type: ValueKind }
export interface DateHelper { kind: 'days'; offset: number }
export type Operand = VarRef | Literal | DateHelper;

export const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'contains', 'startsWith', 'isEmpty', 'and', 'or', '!', 'var', 'daysAgo', 'daysFromNow'] as const;
const OPERATOR_SET = new Set<string>(OPERATORS);
const ORDERED: ReadonlySet<ValueKind> = new Set(['integer', 'decimal', 'date', 'datetime']);
const IN_KINDS: ReadonlySet<ValueKind> = new Set(['text', 'integer', 'decimal', 'uuid']);
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ParseResult = { ok: true; node: Node } | { ok: false; issues: RuleIssue[] };

export function parse(rule: unknown, schema: RuleSchema): ParseResult {
  const issues: RuleIssue[] = [];
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(rule) ?? '', 'utf8');
  } catch {
    return { ok: false, issues: [{ pointer: '', code: 'RULE_NOT_OBJECT' }] };
  }
  if (size > RULE_LIMITS.maxBytes) return { ok: false, issues: [{ pointer: '', code: 'RULE_TOO_LARGE', params: { max: RULE_LIMITS.maxBytes, size } }] };
  const p = new Parser(schema, issues);
  const node = p.bool(rule, '', 1);
  return issues.length || !node ? { ok: false, issues: issues.length ? issues : [{ pointer: '', code: 'RULE_NOT_OBJECT' }] } : { ok: true, node };
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

class Parser {
  constructor(private readonly schema: RuleSchema, private readonly issues: RuleIssue[]) {}

  private fail(pointer: string, code: RuleIssue['code'], params?: Record<string, unknown>): undefined {
    this.issues.push(params ? { pointer, code, params } : { pointer, code });
    return undefined;
  }

  /** `{ "op": args }` with exactly one own key that is an allowed operator. */
  private opOf(x: unknown, at: string): { op: string; args: unknown[]; at: string } | undefined {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return this.fail(at, 'RULE_NOT_OBJECT');
    const keys = Object.keys(x);
    if (keys.length !== 1) return this.fail(at, 'RULE_NOT_OBJECT', { keys: keys.length });
    const op = keys[0]!;
    if (FORBIDDEN_KEYS.has(op) || !OPERATOR_SET.has(op)) return this.fail(`${at}/${esc(op)}`, 'RULE_UNKNOWN_OPERATOR', { op });
    const raw = (x as Record<string, unknown>)[op];
    return { op, args: Array.isArray(raw) ? raw : [raw], at: `${at}/${esc(op)}` };
  }

  bool(x: unknown, at: string, depth: number): Node | undefined {
    if (depth > RULE_LIMITS.maxDepth) return this.fail(at, 'RULE_TOO_DEEP', { max: RULE_LIMITS.maxDepth });
    const o = this.opOf(x, at);
    if (!o) return undefined;
    const { op, args } = o;
    const argAt = (i: number) => (Array.isArray((x as Record<string, unknown>)[op]) ? `${o.at}/${i}` : o.at);
    switch (op) {
      case 'and':
      case 'or': {
        if (args.length < 1) return this.fail(o.at, 'RULE_BAD_ARITY', { op, min: 1 });
        const nodes = args.map((a, i) => this.bool(a, argAt(i), depth + 1));
        return nodes.every(Boolean) ? Object.freeze({ kind: op as 'and' | 'or', args: nodes as Node[] } as Node) : undefined;
      }
      case '!': {
        if (args.length !== 1) return this.fail(o.at, 'RULE_BAD_ARITY', { op, expected: 1 });
        const n = this.bool(args[0], argAt(0), depth + 1);
        return n ? Object.freeze({ kind: 'not', arg: n }) : undefined;
      }
      case '==': case '!=': case '<': case '<=': case '>': case '>=':
        return this.compare(op, args, o.at, argAt);
      case 'in': {
        if (args.length !== 2) return this.fail(o.at, 'RULE_BAD_ARITY', { op, expected: 2 });
        const left = this.varRef(args[0], argAt(0));
        if (!left) return undefined;
        if (!IN_KINDS.has(left.type)) return this.fail(o.at, 'RULE_OPERATOR_NOT_FOR_TYPE', { op, type: left.type, var: left.name });
        const list = args[1];
        if (!Array.isArray(list) || list.length === 0) return this.fail(argAt(1), 'RULE_BAD_LITERAL', { expected: 'non-empty list' });
        const values = list.map((v, i) => this.literal(v, left, `${argAt(1)}/${i}`));
        return values.every(Boolean) ? Object.freeze({ kind: 'in', left, values: values as Literal[], type: left.type }) : undefined;
      }
      case 'contains':
      case 'startsWith': {
        if (args.length !== 2) return this.fail(o.at, 'RULE_BAD_ARITY', { op, expected: 2 });
        const left = this.varRef(args[0], argAt(0));
        if (!left) return undefined;
        const okType = op === 'contains' ? left.type === 'text' || left.type === 'textArray' : left.type === 'text';
        if (!okType) return this.fail(o.at, 'RULE_OPERATOR_NOT_FOR_TYPE', { op, type: left.type, var: left.name });
        const v = args[1];
        if (typeof v !== 'string' || v.length === 0 || v.length > 1000) return this.fail(argAt(1), 'RULE_BAD_LITERAL', { expected: 'non-empty string' });
        if (left.type === 'textArray') {
          const opts = this.schema.vars[left.name]?.options;
          if (opts && !opts.includes(v)) return this.fail(argAt(1), 'RULE_UNKNOWN_OPTION', { option: v, var: left.name });
        }
        return op === 'contains'
          ? Object.freeze({ kind: 'contains', left, value: v, type: left.type as 'text' | 'textArray' })
          : Object.freeze({ kind: 'startsWith', left, value: v });
      }
      case 'isEmpty': {
        if (args.length !== 1) return this.fail(o.at, 'RULE_BAD_ARITY', { op, expected: 1 });
        const left = this.varRef(args[0], argAt(0));
        return left ? Object.freeze({ kind: 'isEmpty', left }) : undefined;
      }
      default:
        // var / daysAgo / daysFromNow are values, not conditions.
        return this.fail(o.at, 'RULE_TYPE_MISMATCH', { op, expected: 'condition' });
    }
  }

  private compare(op: CompareOp, args: unknown[], at: string, argAt: (i: number) => string): Node | undefined {
    if (args.length !== 2) return this.fail(at, 'RULE_BAD_ARITY', { op, expected: 2 });
    // One side is a field; the other a literal, a date helper or a field of the same kind.
    const isVar = (a: unknown) => !!a && typeof a === 'object' && !Array.isArray(a) && Object.keys(a).length === 1 && 'var' in a;
    const varIndex = isVar(args[0]) ? 0 : isVar(args[1]) ? 1 : -1;
    if (varIndex < 0) return this.fail(at, 'RULE_TYPE_MISMATCH', { op, expected: 'a field on one side' });
    const v = this.varRef(args[varIndex], argAt(varIndex));
    if (!v) return undefined;
    if (v.type === 'textArray' || ((op !== '==' && op !== '!=') && !ORDERED.has(v.type))) {
      return this.fail(at, 'RULE_OPERATOR_NOT_FOR_TYPE', { op, type: v.type, var: v.name });
    }
    const otherIndex = 1 - varIndex;
    const other = this.operand(args[otherIndex], v, argAt(otherIndex));
    if (!other) return undefined;
    const [left, right] = varIndex === 0 ? [v, other] : [other, v];
    return Object.freeze({ kind: 'compare', op, left, right, type: v.type });
  }

  private operand(x: unknown, against: VarRef, at: string): Operand | undefined {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const keys = Object.keys(x);
      if (keys.length === 1 && keys[0] === 'var') {
        const r = this.varRef(x, at);
        if (r && r.type !== against.type) return this.fail(at, 'RULE_TYPE_MISMATCH', { var: r.name, type: r.type, expected: against.type });
        return r;
      }
      if (keys.length === 1 && (keys[0] === 'daysAgo' || keys[0] === 'daysFromNow')) {
        const op = keys[0];
        if (against.type !== 'date' && against.type !== 'datetime') return this.fail(at, 'RULE_TYPE_MISMATCH', { op, type: against.type });
        const raw = (x as Record<string, unknown>)[op];
        const n = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
        if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > 36_500) return this.fail(`${at}/${op}`, 'RULE_BAD_LITERAL', { expected: 'whole number of days' });
        return Object.freeze({ kind: 'days', offset: op === 'daysAgo' ? -n : n });
      }
      // Anything else in operand position: an operator we do not know, or one that is not a value.
      this.opOf(x, at) && this.fail(at, 'RULE_TYPE_MISMATCH', { expected: against.type });
      return undefined;
    }
    return this.literal(x, against, at);
  }

  varRef(x: unknown, at: string): VarRef | undefined {
    if (!x || typeof x !== 'object' || Array.isArray(x) || Object.keys(x).length !== 1 || !('var' in x)) {
      return this.fail(at, 'RULE_TYPE_MISMATCH', { expected: 'field' });
    }
    let name = (x as { var: unknown }).var;
    if (Array.isArray(name) && name.length === 1) name = name[0];
    if (typeof name !== 'string') return this.fail(`${at}/var`, 'RULE_UNKNOWN_VAR', { var: String(name) });
    const spec = Object.hasOwn(this.schema.vars, name) ? this.schema.vars[name] : undefined;
    if (!spec || FORBIDDEN_KEYS.has(name)) return this.fail(`${at}/var`, 'RULE_UNKNOWN_VAR', { var: name });
    return Object.freeze({ kind: 'var', name, type: spec.kind });
  }

  private literal(x: unknown, against: VarRef, at: string): Literal | undefined {
    const bad = (expected: string) => this.fail(at, 'RULE_BAD_LITERAL', { expected, var: against.name });
    const lit = (value: string | number | boolean) => Object.freeze({ kind: 'literal' as const, value, type: against.type });
    switch (against.type) {
      case 'text': {
        if (typeof x !== 'string' || x.length > 1000) return bad('text');
        const opts = this.schema.vars[against.name]?.options;
        if (opts && !opts.includes(x)) return this.fail(at, 'RULE_UNKNOWN_OPTION', { option: x, var: against.name });
        return lit(x);
      }
      case 'integer':
        return typeof x === 'number' && Number.isSafeInteger(x) ? lit(x) : bad('integer');
      case 'decimal':
        if (typeof x === 'number' && Number.isFinite(x) && DECIMAL.test(String(x))) return lit(String(x));
        return typeof x === 'string' && DECIMAL.test(x) ? lit(x) : bad('decimal');
      case 'boolean':
        return typeof x === 'boolean' ? lit(x) : bad('boolean');
      case 'date': {
        const m = typeof x === 'string' ? DATE.exec(x) : null;
        if (!m) return bad('YYYY-MM-DD');
        const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
        return d.toISOString().slice(0, 10) === x && Number(m[1]) >= 1 ? lit(x as string) : bad('YYYY-MM-DD');
      }
      case 'datetime':
        return typeof x === 'string' && DATETIME.test(x) && !Number.isNaN(Date.parse(x)) ? lit(x) : bad('ISO 8601 datetime');
      case 'uuid':
        return typeof x === 'string' && UUID.test(x) ? lit(x.toLowerCase()) : bad('uuid');
      case 'textArray':
        return bad('use contains');
    }
  }
}
