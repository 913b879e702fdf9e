import type { LiteralValue } from './kinds.js';
import type { ValueKind } from './types.js';

/**
 * A parsed rule: plain frozen data with a `kind` discriminant, like Kysely's
 * operation nodes. The in-memory evaluator and the SQL compiler
 * (packages/query) both walk these nodes with a `Record<NodeKind, Handler>`,
 * so a new kind without a handler does not compile, and the two cannot
 * disagree on what a rule says, only on what it means (the property test).
 *
 * Comparisons are normalised so that a variable is on the left:
 * `{"<": [1000, {"var": "amount"}]}` parses to `amount > 1000`.
 */
export type Node =
  | AndNode
  | OrNode
  | NotNode
  | CompareNode
  | InNode
  | TextContainsNode
  | ArrayContainsNode
  | StartsWithNode
  | IsEmptyNode;

export type NodeKind = Node['kind'];

export interface AndNode { readonly kind: 'and'; readonly args: readonly Node[] }
export interface OrNode { readonly kind: 'or'; readonly args: readonly Node[] }
export interface NotNode { readonly kind: 'not'; readonly arg: Node }
/** `==`, `!=`, `<` ... between a variable and a literal, a date helper or a variable of the same kind. */
export interface CompareNode { readonly kind: 'compare'; readonly op: CompareOp; readonly left: VarRef; readonly right: Operand; readonly type: ValueKind }
/** Variable in a literal list (possibly empty: then false). */
export interface InNode { readonly kind: 'in'; readonly left: VarRef; readonly values: readonly Literal[]; readonly type: ValueKind }
/** Substring of a text variable, folding ASCII letters only. */
export interface TextContainsNode { readonly kind: 'textContains'; readonly left: VarRef; readonly value: string }
/** An element of a text array (multiselect, `$user.teams`), exactly. */
export interface ArrayContainsNode { readonly kind: 'arrayContains'; readonly left: VarRef; readonly value: string }
/** Prefix of a text variable, folding ASCII letters only. */
export interface StartsWithNode { readonly kind: 'startsWith'; readonly left: VarRef; readonly value: string }
/** null, missing, '' or []. */
export interface IsEmptyNode { readonly kind: 'isEmpty'; readonly left: VarRef }

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface VarRef { readonly kind: 'var'; readonly name: string; readonly type: ValueKind }
export interface Literal { readonly kind: 'literal'; readonly value: LiteralValue; readonly type: ValueKind }
/** `daysAgo` (negative offset) / `daysFromNow`: a calendar day in the workspace time zone, or its first instant for a datetime. */
export interface DaysHelper { readonly kind: 'days'; readonly offset: number; readonly type: 'date' | 'datetime' }
export type Operand = VarRef | Literal | DaysHelper;
export type OperandKind = Operand['kind'];

/** `a op b` is `b MIRROR[op] a`. */
export const MIRROR: Readonly<Record<CompareOp, CompareOp>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The outcome of a three-way comparison under each operator. */
export const TEST: Readonly<Record<CompareOp, (cmp: number) => boolean>> = {
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

export const PREVIOUS_PREFIX = '$previous.';
