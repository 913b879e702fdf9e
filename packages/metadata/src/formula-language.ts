import type { MetadataIssueCode } from './messages.js';

/**
 * Formulas are data: json-logic-shaped arithmetic, text and conditionals over
 * the record's own stored fields, compiled to SQL by @crm/query
 * (formula-to-sql.ts) and never evaluated as code. One operator per node;
 * arguments in a list, or a single argument bare:
 *
 *   {"round": [{"*": [{"var": "quantity"}, {"var": "unit_price"}]}, 2]}
 *   {"if": [{">": [{"var": "amount"}, 100000]}, "大单", "普通"]}
 *   {"abs": {"var": "balance"}}
 */

/** The value types a formula computes with. `any` is null, which fits everywhere. */
export type FormulaType = 'number' | 'text' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'any';

interface OpSpec {
  min: number;
  max: number;
  /** What each argument must be: a type, `comparable` (number, text, date or datetime, all alike) or `same` (any type, all alike). */
  args: FormulaType | 'comparable' | 'same';
  /** The result type, or `arg` for the (common) type of the arguments. */
  result: FormulaType | 'arg';
}

const MANY = Number.POSITIVE_INFINITY;

/** The allowlist: operator -> arity and types. Anything else is refused. */
export const FORMULA_SPEC: Readonly<Record<string, OpSpec>> = {
  '+': { min: 1, max: MANY, args: 'number', result: 'number' },
  '-': { min: 1, max: 2, args: 'number', result: 'number' },
  '*': { min: 1, max: MANY, args: 'number', result: 'number' },
  '/': { min: 2, max: 2, args: 'number', result: 'number' },
  round: { min: 1, max: 2, args: 'number', result: 'number' },
  abs: { min: 1, max: 1, args: 'number', result: 'number' },
  min: { min: 1, max: MANY, args: 'comparable', result: 'arg' },
  max: { min: 1, max: MANY, args: 'comparable', result: 'arg' },
  concat: { min: 1, max: MANY, args: 'any', result: 'text' },
  '==': { min: 2, max: 2, args: 'same', result: 'boolean' },
  '!=': { min: 2, max: 2, args: 'same', result: 'boolean' },
  '<': { min: 2, max: 2, args: 'comparable', result: 'boolean' },
  '<=': { min: 2, max: 2, args: 'comparable', result: 'boolean' },
  '>': { min: 2, max: 2, args: 'comparable', result: 'boolean' },
  '>=': { min: 2, max: 2, args: 'comparable', result: 'boolean' },
  and: { min: 1, max: MANY, args: 'boolean', result: 'boolean' },
  or: { min: 1, max: MANY, args: 'boolean', result: 'boolean' },
  '!': { min: 1, max: 1, args: 'boolean', result: 'boolean' },
  isEmpty: { min: 1, max: 1, args: 'any', result: 'boolean' },
};

/** Operators a formula may use (`var` plus FORMULA_SPEC). */
export const FORMULA_OPERATORS: ReadonlySet<string> = new Set(['var', 'if', ...Object.keys(FORMULA_SPEC)]);

export const FORMULA_LIMITS = { maxDepth: 20, maxBytes: 16 * 1024 } as const;

/** What a formula may read: a field's formula type, or why it cannot be read. */
export type FormulaVar = { type: FormulaType } | { unusable: string } | { archived: true };

export interface FormulaIssue {
  /** JSON pointer inside the expression ('' is the expression itself). */
  pointer: string;
  code: MetadataIssueCode;
  params: Record<string, unknown>;
}

export interface FormulaCheck {
  /** The type the expression computes (`any` when unknown or null). */
  type: FormulaType;
  /** Field keys the expression reads, for dependency order and cycle checks. */
  vars: string[];
  issues: FormulaIssue[];
}

const COMPARABLE: ReadonlySet<FormulaType> = new Set(['number', 'text', 'date', 'datetime']);
const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks an expression against the fields it may read; never throws.
 *
 *   checkFormula({"*": [{"var": "qty"}, "x"]}, vars) -> issues: [{pointer: "/*\/1", code: "META_FORMULA_TYPE", ...}]
 */
export function checkFormula(expr: unknown, vars: ReadonlyMap<string, FormulaVar>): FormulaCheck {
  const issues: FormulaIssue[] = [];
  const read = new Set<string>();
  let size = Number.POSITIVE_INFINITY;
  try {
    size = JSON.stringify(expr ?? null).length;
  } catch {
    issues.push({ pointer: '', code: 'META_FORMULA_SYNTAX', params: {} });
    return { type: 'any', vars: [], issues };
  }
  if (size > FORMULA_LIMITS.maxBytes) {
    issues.push({ pointer: '', code: 'META_FORMULA_TOO_LARGE', params: { max: FORMULA_LIMITS.maxBytes } });
    return { type: 'any', vars: [], issues };
  }
  const report = (pointer: string, code: MetadataIssueCode, params: Record<string, unknown> = {}) => void issues.push({ pointer, code, params });

  const walk = (node: unknown, at: string, depth: number): FormulaType => {
    if (depth > FORMULA_LIMITS.maxDepth) {
      report(at, 'META_FORMULA_TOO_DEEP', { max: FORMULA_LIMITS.maxDepth });
      return 'any';
    }
    if (node === null) return 'any';
    if (typeof node === 'number') return Number.isFinite(node) ? 'number' : (report(at, 'META_FORMULA_SYNTAX'), 'any');
    if (typeof node === 'string') return 'text';
    if (typeof node === 'boolean') return 'boolean';
    if (typeof node !== 'object' || Array.isArray(node)) {
      report(at, 'META_FORMULA_SYNTAX');
      return 'any';
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      report(at, 'META_FORMULA_SYNTAX');
      return 'any';
    }
    const op = keys[0]!;
    const raw = (node as Record<string, unknown>)[op];
    const here = `${at}/${esc(op)}`;
    if (op === 'var') return readVar(raw, here);
    if (!FORMULA_OPERATORS.has(op)) {
      report(here, 'META_FORMULA_OPERATOR', { op });
      return 'any';
    }
    const args = Array.isArray(raw) ? raw : [raw];
    const argAt = (i: number) => (Array.isArray(raw) ? `${here}/${i}` : here);
    const types = args.map((a, i) => walk(a, argAt(i), depth + 1));
    if (op === 'if') return checkIf(types, here, argAt);
    const spec = FORMULA_SPEC[op]!;
    if (args.length < spec.min || args.length > spec.max) {
      report(here, 'META_FORMULA_ARITY', { op, expected: spec.max === spec.min ? spec.min : spec.max === MANY ? `${spec.min}+` : `${spec.min}-${spec.max}` });
      return spec.result === 'arg' ? 'any' : spec.result;
    }
    const common = commonType(types);
    if (spec.args === 'same' || spec.args === 'comparable') {
      if (common === undefined) report(here, 'META_FORMULA_TYPE', { op, expected: spec.args === 'same' ? 'same' : 'number_or_date' });
      else if (spec.args === 'comparable' && common !== 'any' && !COMPARABLE.has(common)) report(here, 'META_FORMULA_TYPE', { op, expected: 'number_or_date' });
    } else if (spec.args !== 'any') {
      types.forEach((t, i) => {
        if (t !== 'any' && t !== spec.args) report(argAt(i), 'META_FORMULA_TYPE', { op, expected: spec.args });
      });
    }
    return spec.result === 'arg' ? (common ?? 'any') : spec.result;
  };

  const readVar = (raw: unknown, at: string): FormulaType => {
    const name = Array.isArray(raw) ? raw[0] : raw;
    const v = typeof name === 'string' ? vars.get(name) : undefined;
    if (typeof name !== 'string' || !v) {
      report(at, 'META_UNKNOWN_FIELD', { entity: '', field: String(name) });
      return 'any';
    }
    read.add(name);
    if ('archived' in v) return report(at, 'META_FIELD_ARCHIVED', { field: name }), 'any';
    if ('unusable' in v) return report(at, 'META_FORMULA_FIELD', { field: name, type: v.unusable }), 'any';
    return v.type;
  };

  const checkIf = (types: FormulaType[], at: string, argAt: (i: number) => string): FormulaType => {
    if (types.length < 2 || types.length > 3) {
      report(at, 'META_FORMULA_ARITY', { op: 'if', expected: '2-3' });
      return 'any';
    }
    if (types[0] !== 'any' && types[0] !== 'boolean') report(argAt(0), 'META_FORMULA_TYPE', { op: 'if', expected: 'boolean' });
    const branches = commonType(types.slice(1));
    if (branches === undefined) report(at, 'META_FORMULA_TYPE', { op: 'if', expected: 'same' });
    return branches ?? 'any';
  };

  const type = walk(expr, '', 0);
  return { type, vars: [...read], issues };
}

/** The one type all of `types` share (`any` fits every type), or undefined when they differ. */
function commonType(types: readonly FormulaType[]): FormulaType | undefined {
  let t: FormulaType = 'any';
  for (const x of types) {
    if (x === 'any') continue;
    if (t === 'any') t = x;
    else if (t !== x) return undefined;
  }
  return t;
}

/** Whether a computed value of type `actual` can be stored as `resultType` (PostgreSQL assignment casts). */
export function fitsResultType(actual: FormulaType, resultType: string): boolean {
  if (actual === 'any' || resultType === 'text') return true;
  if (resultType === 'integer' || resultType === 'decimal') return actual === 'number';
  return actual === resultType;
}
