/**
 * The visual rule builder's model and its two-way mapping to the condition
 * language (json-logic subset, CONVENTIONS.md §4). Anything the builder cannot
 * show as rows (a hand-written rule) is kept verbatim as a `raw` node, so a
 * round trip never loses or rewrites a rule.
 */
export type BuilderOp =
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'in' | 'notIn' | 'contains' | 'notContains' | 'startsWith' | 'isEmpty' | 'notEmpty';

/** A right-hand side: a literal, "n days ago / from now", or the signed-in user. */
export type Operand =
  | { kind: 'value'; value: unknown }
  | { kind: 'daysAgo'; days: number }
  | { kind: 'daysFromNow'; days: number }
  | { kind: 'currentUser' };

export interface CondNode { type: 'cond'; field: string; op: BuilderOp; operand?: Operand }
export interface GroupNode { type: 'group'; combinator: 'and' | 'or'; not?: boolean; children: RuleNode[] }
export interface RawNode { type: 'raw'; logic: unknown }
export type RuleNode = CondNode | GroupNode | RawNode;

type Logic = Record<string, unknown>;
const isObj = (x: unknown): x is Logic => !!x && typeof x === 'object' && !Array.isArray(x);
const single = (x: unknown): [string, unknown] | null => (isObj(x) && Object.keys(x).length === 1 ? Object.entries(x)[0]! : null);
const varName = (x: unknown): string | null => {
  const s = single(x);
  return s && s[0] === 'var' && typeof s[1] === 'string' ? s[1] : null;
};
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

export const emptyGroup = (combinator: 'and' | 'or' = 'and'): GroupNode => ({ type: 'group', combinator, children: [] });

function operandToLogic(o: Operand | undefined): unknown {
  if (!o) return null;
  if (o.kind === 'daysAgo') return { daysAgo: o.days };
  if (o.kind === 'daysFromNow') return { daysFromNow: o.days };
  if (o.kind === 'currentUser') return { var: '$user.id' };
  return o.value;
}

function operandFromLogic(x: unknown): Operand | null {
  const s = single(x);
  if (s) {
    if ((s[0] === 'daysAgo' || s[0] === 'daysFromNow') && typeof s[1] === 'number') return { kind: s[0], days: s[1] };
    if (s[0] === 'var' && s[1] === '$user.id') return { kind: 'currentUser' };
    return null;
  }
  return Array.isArray(x) ? null : { kind: 'value', value: x };
}

function condToLogic(c: CondNode): Logic {
  const v = { var: c.field };
  const rhs = operandToLogic(c.operand);
  switch (c.op) {
    case 'isEmpty': return { isEmpty: [v] };
    case 'notEmpty': return { '!': { isEmpty: [v] } };
    case 'in': return { in: [v, Array.isArray(rhs) ? rhs : []] };
    case 'notIn': return { '!': { in: [v, Array.isArray(rhs) ? rhs : []] } };
    case 'notContains': return { '!': { contains: [v, rhs] } };
    default: return { [c.op]: [v, rhs] };
  }
}

/** The builder tree as a rule; an empty group is "no condition" (`undefined`). */
export function toLogic(node: RuleNode): unknown {
  if (node.type === 'raw') return node.logic;
  if (node.type === 'cond') return condToLogic(node);
  const parts = node.children.map(toLogic).filter((x) => x !== undefined);
  if (!parts.length) return undefined;
  const body = parts.length === 1 && !node.not ? parts[0] : { [node.combinator]: parts };
  return node.not ? { '!': body } : body;
}

function condFromLogic(x: unknown): CondNode | null {
  const s = single(x);
  if (!s) return null;
  const [op, raw] = s;
  if (op === '!') {
    const inner = condFromLogic(raw);
    if (!inner) return null;
    const neg: Partial<Record<BuilderOp, BuilderOp>> = { isEmpty: 'notEmpty', in: 'notIn', contains: 'notContains' };
    const flipped = neg[inner.op];
    return flipped ? { ...inner, op: flipped } : null;
  }
  const args = Array.isArray(raw) ? raw : [raw];
  const field = varName(args[0]);
  if (!field || field.startsWith('$')) return null;
  if (op === 'isEmpty' && args.length === 1) return { type: 'cond', field, op: 'isEmpty' };
  if (args.length !== 2) return null;
  if (op === 'in') return Array.isArray(args[1]) ? { type: 'cond', field, op: 'in', operand: { kind: 'value', value: args[1] } } : null;
  if (COMPARE.has(op) || op === 'contains' || op === 'startsWith') {
    const operand = operandFromLogic(args[1]);
    return operand ? { type: 'cond', field, op: op as BuilderOp, operand } : null;
  }
  return null;
}

/** A rule as a builder tree (always a group at the top); parts it cannot show become `raw` nodes. */
export function fromLogic(logic: unknown): GroupNode {
  if (logic === undefined || logic === null) return emptyGroup();
  return asGroup(logic);
}

function asGroup(x: unknown): GroupNode {
  const s = single(x);
  if (s && (s[0] === 'and' || s[0] === 'or') && Array.isArray(s[1]) && s[1].length) {
    return { type: 'group', combinator: s[0], children: s[1].map(nodeFrom) };
  }
  if (s && s[0] === '!' && !condFromLogic(x)) {
    const inner = single(s[1]);
    if (inner && (inner[0] === 'and' || inner[0] === 'or')) return { ...asGroup(s[1]), not: true };
  }
  return { type: 'group', combinator: 'and', children: [nodeFrom(x)] };
}

function nodeFrom(x: unknown): RuleNode {
  const c = condFromLogic(x);
  if (c) return c;
  const s = single(x);
  if (s && (s[0] === 'and' || s[0] === 'or') && Array.isArray(s[1]) && s[1].length) return asGroup(x);
  if (s && s[0] === '!') {
    const inner = single(s[1]);
    if (inner && (inner[0] === 'and' || inner[0] === 'or')) return asGroup(x);
  }
  return { type: 'raw', logic: x };
}

/** Operators the builder offers for a field, from the field type's allowed operators. */
export function builderOps(allowed: readonly string[]): BuilderOp[] {
  const out: BuilderOp[] = [];
  for (const op of allowed) {
    if (op === 'in') out.push('in', 'notIn');
    else if (op === 'contains') out.push('contains', 'notContains');
    else if (op === 'isEmpty') out.push('isEmpty', 'notEmpty');
    else out.push(op as BuilderOp);
  }
  return out;
}

export const takesOperand = (op: BuilderOp): boolean => op !== 'isEmpty' && op !== 'notEmpty';

/** Tree edits by path (indexes from the top group), returning a new tree. */
export function updateAt(root: GroupNode, path: readonly number[], fn: (n: RuleNode) => RuleNode | null): GroupNode {
  if (!path.length) {
    const r = fn(root);
    return r && r.type === 'group' ? r : root;
  }
  const [i, ...rest] = path as [number, ...number[]];
  const child = root.children[i];
  if (!child) return root;
  let next: RuleNode | null;
  if (rest.length) next = child.type === 'group' ? updateAt(child, rest, fn) : child;
  else next = fn(child);
  const children = [...root.children];
  if (next === null) children.splice(i, 1);
  else children[i] = next;
  return { ...root, children };
}
