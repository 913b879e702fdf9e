import { esc, FORBIDDEN_KEYS, inspectJson } from './json.js';
import { isTextLiteral, kinds, type KindSpec } from './kinds.js';
import { MIRROR, PREVIOUS_PREFIX, type CompareOp, type DaysHelper, type Literal, type Node, type Operand, type VarRef } from './nodes.js';
import { RULE_LIMITS, type RuleIssue, type RuleIssueCode, type RuleSchema } from './types.js';

/**
 * Checks a json-logic rule against the typed subset of CONVENTIONS.md §4 and
 * turns it into frozen nodes (nodes.ts). Only allowlisted operators exist;
 * nothing in a rule is ever executed or used as a property path.
 *
 *   parse({"and": [{">": [{"var": "amount"}, "1000"]}, {"==": [{"var": "stage"}, "won"]}]}, schema)
 *   -> { ok: true, node: { kind: 'and', args: [
 *        { kind: 'compare', op: '>', left: {var amount}, right: {literal "1000"}, type: 'decimal' },
 *        { kind: 'compare', op: '==', left: {var stage}, right: {literal "won"}, type: 'text' } ] } }
 */
export const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'contains', 'startsWith', 'isEmpty', 'and', 'or', '!', 'var', 'daysAgo', 'daysFromNow'] as const;
export type Operator = (typeof OPERATORS)[number];
type ValueOperator = 'var' | 'daysAgo' | 'daysFromNow';
type ConditionOperator = Exclude<Operator, ValueOperator>;

const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

/** Field keys (plain identifiers) and the context variables; nothing else is a variable name. */
const VAR_NAME = /^(?:[a-z][a-z0-9_]{0,62}|\$now|\$user\.id|\$user\.teams|\$previous\.[a-z][a-z0-9_]{0,62})$/;
const MAX_DAYS = 36_500;

export type ParseResult = { ok: true; node: Node } | { ok: false; issues: RuleIssue[] };

export function parse(rule: unknown, schema: RuleSchema): ParseResult {
  const pre = inspectJson(rule, RULE_LIMITS);
  if (pre) return { ok: false, issues: [pre] };
  const issues: RuleIssue[] = [];
  const node = new Parser(schema, issues).condition(rule, '', 1);
  if (issues.length || !node) return { ok: false, issues: issues.length ? issues : [{ pointer: '', code: 'RULE_NOT_OBJECT' }] };
  return { ok: true, node };
}

/** One `{ "op": args }` object: the operator, its arguments and where they are. */
interface Call {
  op: Operator;
  args: readonly unknown[];
  /** Pointer to the operator key. */
  at: string;
  /** Pointer to argument i (the operator key itself when the argument was not written as an array). */
  argAt(i: number): string;
}

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const isVarShaped = (x: unknown): boolean => isObject(x) && Object.keys(x).length === 1 && Object.hasOwn(x, 'var');
const freeze = <const T extends object>(x: T): T => Object.freeze(x);

/** Condition operators, one entry each (an operator without a parser does not compile). */
const conditions: Readonly<Record<ConditionOperator, (p: Parser, c: Call, depth: number) => Node | undefined>> = {
  and: (p, c, depth) => p.junction('and', c, depth),
  or: (p, c, depth) => p.junction('or', c, depth),
  '!': (p, c, depth) => p.not(c, depth),
  '==': (p, c) => p.compare('==', c),
  '!=': (p, c) => p.compare('!=', c),
  '<': (p, c) => p.compare('<', c),
  '<=': (p, c) => p.compare('<=', c),
  '>': (p, c) => p.compare('>', c),
  '>=': (p, c) => p.compare('>=', c),
  in: (p, c) => p.inList(c),
  contains: (p, c) => p.contains(c),
  startsWith: (p, c) => p.startsWith(c),
  isEmpty: (p, c) => p.isEmpty(c),
};

class Parser {
  constructor(private readonly schema: RuleSchema, private readonly issues: RuleIssue[]) {}

  private fail(pointer: string, code: RuleIssueCode, params?: Record<string, unknown>): undefined {
    this.issues.push(params ? { pointer, code, params } : { pointer, code });
    return undefined;
  }

  /** `{ "op": args }` with exactly one key, an allowlisted operator. */
  private call(x: unknown, at: string): Call | undefined {
    if (!isObject(x)) return this.fail(at, 'RULE_NOT_OBJECT');
    const keys = Object.keys(x);
    if (keys.length !== 1) return this.fail(at, 'RULE_NOT_OBJECT', { keys: keys.length });
    const op = keys[0]!;
    const opAt = `${at}/${esc(op)}`;
    if (FORBIDDEN_KEYS.has(op) || !OPERATOR_SET.has(op)) return this.fail(opAt, 'RULE_UNKNOWN_OPERATOR', { op });
    const raw = x[op];
    const isList = Array.isArray(raw);
    return { op: op as Operator, args: isList ? raw : [raw], at: opAt, argAt: (i) => (isList ? `${opAt}/${i}` : opAt) };
  }

  condition(x: unknown, at: string, depth: number): Node | undefined {
    if (depth > RULE_LIMITS.maxDepth) return this.fail(at, 'RULE_TOO_DEEP', { max: RULE_LIMITS.maxDepth });
    const c = this.call(x, at);
    if (!c) return undefined;
    if (!Object.hasOwn(conditions, c.op)) return this.fail(c.at, 'RULE_TYPE_MISMATCH', { op: c.op, expected: 'condition' });
    return conditions[c.op as ConditionOperator](this, c, depth);
  }

  junction(kind: 'and' | 'or', c: Call, depth: number): Node | undefined {
    if (c.args.length < 1) return this.fail(c.at, 'RULE_BAD_ARITY', { op: c.op, min: 1 });
    const args = c.args.map((a, i) => this.condition(a, c.argAt(i), depth + 1));
    if (!args.every((a): a is Node => a !== undefined)) return undefined;
    return freeze({ kind, args: freeze(args) });
  }

  not(c: Call, depth: number): Node | undefined {
    if (c.args.length !== 1) return this.fail(c.at, 'RULE_BAD_ARITY', { op: c.op, expected: 1 });
    const arg = this.condition(c.args[0], c.argAt(0), depth + 1);
    return arg && freeze({ kind: 'not', arg });
  }

  compare(op: CompareOp, c: Call): Node | undefined {
    if (c.args.length !== 2) return this.fail(c.at, 'RULE_BAD_ARITY', { op, expected: 2 });
    const vi = isVarShaped(c.args[0]) ? 0 : isVarShaped(c.args[1]) ? 1 : -1;
    if (vi < 0) return this.noField(c);
    const left = this.varRef(c.args[vi], c.argAt(vi));
    if (!left) return undefined;
    const spec: KindSpec<unknown> = kinds[left.type];
    if (!spec.scalar || (op !== '==' && op !== '!=' && !spec.ordered)) return this.notForType(c, left);
    const right = this.operand(c.args[1 - vi], left, c.argAt(1 - vi));
    if (!right) return undefined;
    return freeze({ kind: 'compare', op: vi === 0 ? op : MIRROR[op], left, right, type: left.type });
  }

  inList(c: Call): Node | undefined {
    if (c.args.length !== 2) return this.fail(c.at, 'RULE_BAD_ARITY', { op: c.op, expected: 2 });
    if (!isVarShaped(c.args[0])) return this.noField(c);
    const left = this.varRef(c.args[0], c.argAt(0));
    if (!left) return undefined;
    if (!kinds[left.type].scalar) return this.notForType(c, left);
    const list = c.args[1];
    if (!Array.isArray(list)) return this.fail(c.argAt(1), 'RULE_BAD_LITERAL', { expected: `list of ${kinds[left.type].expected}`, var: left.name });
    const values = list.map((v, i) => this.literal(v, left, `${c.argAt(1)}/${i}`));
    if (!values.every((v): v is Literal => v !== undefined)) return undefined;
    return freeze({ kind: 'in', left, values: freeze(values), type: left.type });
  }

  contains(c: Call): Node | undefined {
    const t = this.textTest(c);
    if (!t) return undefined;
    const { left, value } = t;
    if (left.type === 'text') return freeze({ kind: 'textContains', left, value });
    const options = this.options(left);
    if (options && !options.includes(value)) return this.fail(c.argAt(1), 'RULE_UNKNOWN_OPTION', { var: left.name, option: value });
    return freeze({ kind: 'arrayContains', left, value });
  }

  startsWith(c: Call): Node | undefined {
    const t = this.textTest(c);
    if (!t) return undefined;
    if (t.left.type !== 'text') return this.notForType(c, t.left);
    return freeze({ kind: 'startsWith', left: t.left, value: t.value });
  }

  isEmpty(c: Call): Node | undefined {
    if (c.args.length !== 1) return this.fail(c.at, 'RULE_BAD_ARITY', { op: c.op, expected: 1 });
    if (!isVarShaped(c.args[0])) return this.noField(c);
    const left = this.varRef(c.args[0], c.argAt(0));
    return left && freeze({ kind: 'isEmpty', left });
  }

  /** `contains` / `startsWith`: a text or text-array field, then a text literal. */
  private textTest(c: Call): { left: VarRef; value: string } | undefined {
    if (c.args.length !== 2) return this.fail(c.at, 'RULE_BAD_ARITY', { op: c.op, expected: 2 });
    if (!isVarShaped(c.args[0])) return this.noField(c);
    const left = this.varRef(c.args[0], c.argAt(0));
    if (!left) return undefined;
    if (left.type !== 'text' && left.type !== 'textArray') return this.notForType(c, left);
    const value = c.args[1];
    if (!isTextLiteral(value)) return this.fail(c.argAt(1), 'RULE_BAD_LITERAL', { expected: 'text', var: left.name });
    return { left, value };
  }

  /** No field where one is needed: report unknown operators inside first, else the mismatch. */
  private noField(c: Call): undefined {
    const before = this.issues.length;
    c.args.forEach((a, i) => isObject(a) && this.call(a, c.argAt(i)));
    if (this.issues.length === before) this.fail(c.at, 'RULE_TYPE_MISMATCH', { op: c.op, expected: 'field' });
    return undefined;
  }

  private notForType(c: Call, v: VarRef): undefined {
    return this.fail(c.at, 'RULE_OPERATOR_NOT_FOR_TYPE', { op: c.op, type: v.type, var: v.name });
  }

  private options(v: VarRef): readonly string[] | undefined {
    return Object.hasOwn(this.schema.vars, v.name) ? this.schema.vars[v.name]?.options : undefined;
  }

  private varRef(x: unknown, at: string): VarRef | undefined {
    const c = this.call(x, at)!; // callers checked isVarShaped
    if (c.args.length !== 1) return this.fail(c.at, 'RULE_BAD_ARITY', { op: 'var', expected: 1 });
    const name = c.args[0];
    const known =
      typeof name === 'string' &&
      VAR_NAME.test(name) &&
      !FORBIDDEN_KEYS.has(name) &&
      !FORBIDDEN_KEYS.has(name.slice(PREVIOUS_PREFIX.length)) &&
      Object.hasOwn(this.schema.vars, name);
    const spec = known ? this.schema.vars[name] : undefined;
    if (!spec || !Object.hasOwn(kinds, spec.kind)) {
      return this.fail(c.argAt(0), 'RULE_UNKNOWN_VAR', { var: typeof name === 'string' ? name : (JSON.stringify(name) ?? String(name)) });
    }
    return freeze({ kind: 'var', name: name as string, type: spec.kind });
  }

  /** The other side of a comparison with `against`: a literal, a date helper or a field of the same kind. */
  private operand(x: unknown, against: VarRef, at: string): Operand | undefined {
    if (!isObject(x)) return this.literal(x, against, at);
    const c = this.call(x, at);
    if (!c) return undefined;
    if (c.op === 'var') {
      const v = this.varRef(x, at);
      if (v && v.type !== against.type) return this.fail(at, 'RULE_TYPE_MISMATCH', { var: v.name, type: v.type, expected: against.type });
      return v;
    }
    if (c.op === 'daysAgo' || c.op === 'daysFromNow') return this.days(c, against);
    return this.fail(c.at, 'RULE_TYPE_MISMATCH', { op: c.op, expected: kinds[against.type].expected });
  }

  private days(c: Call, against: VarRef): DaysHelper | undefined {
    if (against.type !== 'date' && against.type !== 'datetime') return this.fail(c.at, 'RULE_TYPE_MISMATCH', { op: c.op, expected: kinds[against.type].expected });
    if (c.args.length !== 1) return this.fail(c.at, 'RULE_BAD_ARITY', { op: c.op, expected: 1 });
    const n = c.args[0];
    if (!Number.isSafeInteger(n) || Math.abs(n as number) > MAX_DAYS) {
      return this.fail(c.argAt(0), 'RULE_BAD_LITERAL', { expected: `whole number of days (at most ${MAX_DAYS})` });
    }
    const days = n as number;
    return freeze({ kind: 'days', offset: c.op === 'daysAgo' ? -days || 0 : days, type: against.type });
  }

  private literal(x: unknown, against: VarRef, at: string): Literal | undefined {
    const value = kinds[against.type].literal(x);
    if (value === undefined) return this.fail(at, 'RULE_BAD_LITERAL', { expected: kinds[against.type].expected, var: against.name });
    const options = this.options(against);
    if (options && against.type === 'text' && !options.includes(value as string)) {
      return this.fail(at, 'RULE_UNKNOWN_OPTION', { var: against.name, option: value });
    }
    return freeze({ kind: 'literal', value, type: against.type });
  }
}
