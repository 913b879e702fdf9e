/**
 * Contracts of the condition language (CONVENTIONS.md §4).
 * The rules package knows nothing of entities: callers describe the variables a
 * rule may read with a RuleSchema built from metadata.
 */

/** The value kinds that SQL and memory evaluate alike. */
export type ValueKind =
  | 'text'      // text columns; wire: string
  | 'integer'   // bigint; wire: number
  | 'decimal'   // numeric; wire: string like "12000.50" (compare exactly, never as float)
  | 'boolean'
  | 'date'      // wire "YYYY-MM-DD"
  | 'datetime'  // wire ISO 8601 UTC
  | 'textArray' // multiselect: text[]
  | 'uuid';     // relation / user ids

export interface VarSpec {
  kind: ValueKind;
  /** For select/multiselect: the allowed option keys (literals are checked against them). */
  options?: readonly string[];
}

/** The variables a rule may name: field keys and `$user.id`, `$user.teams`, `$now`, `$previous.<field>`. */
export interface RuleSchema {
  vars: Readonly<Record<string, VarSpec>>;
}

/** A finding of `validate`: a JSON pointer into the rule plus a catalogue code. */
export interface RuleIssue {
  pointer: string;
  code: RuleIssueCode;
  params?: Record<string, unknown>;
}

export type RuleIssueCode =
  | 'RULE_NOT_OBJECT'
  | 'RULE_UNKNOWN_OPERATOR'
  | 'RULE_UNKNOWN_VAR'
  | 'RULE_BAD_ARITY'
  | 'RULE_TYPE_MISMATCH'
  | 'RULE_OPERATOR_NOT_FOR_TYPE'
  | 'RULE_BAD_LITERAL'
  | 'RULE_UNKNOWN_OPTION'
  | 'RULE_TOO_DEEP'
  | 'RULE_TOO_LARGE';

export interface EvalContext {
  /** The instant `$now` and the date helpers refer to. Injected: tests move it. */
  now: Date;
  /** IANA time zone of the workspace, e.g. "Asia/Shanghai"; date helpers count days there. */
  timeZone: string;
  user?: { id: string; teams: readonly string[] };
  previous?: Readonly<Record<string, unknown>>;
}

export const RULE_LIMITS = { maxDepth: 20, maxBytes: 16 * 1024 } as const;
