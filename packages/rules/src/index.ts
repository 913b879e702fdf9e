import { parse } from './parse.js';
import type { RuleIssue, RuleSchema } from './types.js';

export * from './types.js';
export { parse, OPERATORS, type Node, type NodeKind, type Operand, type VarRef, type Literal, type DateHelper, type CompareOp, type ParseResult } from './parse.js';
export { evaluate, evaluateNode, fold, lookup } from './evaluate.js';
export { vars } from './vars.js';
export { explain } from './explain.js';
export { ruleMessages } from './messages.js';
export { compareDecimal } from './decimal.js';
export { zonedDate, zonedMidnight, isValidTimeZone } from './dates.js';

/** Every problem of a rule against the variables it may read; never throws. */
export function validate(rule: unknown, schema: RuleSchema): RuleIssue[] {
  const r = parse(rule, schema);
  return r.ok ? [] : r.issues;
}
