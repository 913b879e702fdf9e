import { parse } from './parse.js';
import type { RuleIssue, RuleSchema } from './types.js';

export * from './types.js';
export { parse, OPERATORS, type Operator, type ParseResult } from './parse.js';
export type {
  Node, NodeKind, AndNode, OrNode, NotNode, CompareNode, InNode, TextContainsNode, ArrayContainsNode, StartsWithNode, IsEmptyNode,
  CompareOp, VarRef, Literal, DaysHelper, Operand, OperandKind,
} from './nodes.js';
export { MIRROR, TEST } from './nodes.js';
export { evaluate, evaluateNode, prepare, lookup, daysValue, RuleError, type PreparedRule } from './evaluate.js';
export { kinds, toWire, isEmptyValue, type KindSpec, type KindValues, type LiteralValue } from './kinds.js';
export { vars } from './vars.js';
export { explain, type Lang } from './explain.js';
export { ruleMessages } from './messages.js';
export { compareDecimal } from './decimal.js';
export { asciiLower, escapeLike } from './text.js';
export { zonedDate, zonedMidnight, isValidTimeZone, parseDateTime, isDate } from './dates.js';

/**
 * Every problem of a rule against the variables it may read, each with a JSON
 * pointer into the rule and a catalogue code (messages.ts). Never throws.
 *
 *   validate({"==": [{"var": "amount"}, "abc"]}, schema)
 *   -> [{ pointer: "/==/1", code: "RULE_BAD_LITERAL", params: { expected: "decimal string like \"12000.50\"", var: "amount" } }]
 */
export function validate(rule: unknown, schema: RuleSchema): RuleIssue[] {
  try {
    const r = parse(rule, schema);
    return r.ok ? [] : r.issues;
  } catch {
    // Only a hostile in-process value (a Proxy whose traps throw) gets here; JSON never does.
    return [{ pointer: '', code: 'RULE_NOT_OBJECT', params: { reason: 'not JSON' } }];
  }
}
