import { validate as validateRule, type RuleSchema } from '@crm/rules';
import { ruleSchemaFor } from '../rule-schema.js';
import { FORBIDDEN_KEYS, PG_RESERVED, SYSTEM_COLUMNS } from '../reserved.js';
import type { Entity, Field } from '../schemas/entity.js';
import type { Pipeline } from '../schemas/pipeline.js';
import type { IssueSink, Sinks } from './issue.js';

/** What the checks know of one entity of the workspace. */
export interface EntityInfo {
  /** Document id. */
  id: string;
  key: string;
  body: Entity;
  /** The document failed its structure: others may name it, nothing is checked through it. */
  broken: boolean;
  /** Fields by key (the first of a duplicated key). */
  fields: ReadonlyMap<string, Field>;
  /** Fields that failed their type's schema: they exist, but nothing is checked through them. */
  bad: ReadonlySet<unknown>;
  /** The variables its rules may read (computed on first use); automations add `$previous.<field>`. */
  ruleSchema(opts?: { previous?: boolean }): RuleSchema;
}

/** The workspace as the cross-document checks see it. */
export interface Ctx {
  entities: ReadonlyMap<string, EntityInfo>;
  /** Role keys -> document id. */
  roles: ReadonlyMap<string, string>;
  /** Structurally sound pipelines by document id. */
  pipelines: ReadonlyMap<string, Pipeline>;
  /** Every pipeline document id, broken ones included. */
  pipelineIds: ReadonlySet<string>;
  /** Every flow document id, broken ones included. */
  flowIds: ReadonlySet<string>;
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function entityInfo(id: string, body: Entity, broken: boolean, bad: ReadonlySet<unknown>): EntityInfo {
  const fields = new Map<string, Field>();
  if (!broken) for (const f of body.fields) if (isObject(f) && typeof f.key === 'string' && !fields.has(f.key)) fields.set(f.key, f);
  let schema: RuleSchema | undefined;
  let withPrevious: RuleSchema | undefined;
  return {
    id,
    key: body.key,
    body,
    broken,
    fields,
    bad,
    // Fields that failed their schema stay readable by rules (by their type), so one bad setting does not cascade.
    ruleSchema: (opts = {}) => (opts.previous ? (withPrevious ??= ruleSchemaFor(body, { previous: true })) : (schema ??= ruleSchemaFor(body))),
  };
}

/** An entity that exists and is not archived; reports otherwise (silent for a broken one: its own issues say enough). */
export function liveEntity(ctx: Ctx, key: string, at: string, report: IssueSink): EntityInfo | undefined {
  const e = ctx.entities.get(key);
  if (!e) return void report(at, 'META_UNKNOWN_ENTITY', { entity: key });
  if (e.broken) return undefined;
  if (e.body.archived) return void report(at, 'META_ENTITY_ARCHIVED', { entity: key });
  return e;
}

/** A field of the entity that exists and is not archived; reports otherwise (silent for a field that failed its schema). */
export function liveField(entity: EntityInfo, key: string, at: string, report: IssueSink): Field | undefined {
  const f = entity.fields.get(key);
  if (!f) return void report(at, 'META_UNKNOWN_FIELD', { entity: entity.key, field: key });
  if (entity.bad.has(f)) return undefined;
  if (f.archived) return void report(at, 'META_FIELD_ARCHIVED', { field: key });
  return f;
}

/** Key checks beyond the pattern: names JavaScript objects trip on, PostgreSQL reserved words, and (for columns) system columns. */
export function checkKey(key: string, at: string, report: IssueSink, opts: { column?: boolean; sql?: boolean } = {}): void {
  if (FORBIDDEN_KEYS.has(key)) return report(at, 'META_KEY_FORBIDDEN', { key });
  if ((opts.sql ?? true) && PG_RESERVED.has(key)) return report(at, 'META_KEY_RESERVED', { key });
  if (opts.column && SYSTEM_COLUMNS.has(key)) report(at, 'META_KEY_SYSTEM', { key });
}

/**
 * A rule checked by @crm/rules against the entity's fields, its issue
 * pointers placed under `at`. An unknown var in a rule of another document
 * (a view filter, a stage gate) is a reference problem; the rest are the rule's own.
 * Only automations pass `previous` (CONVENTIONS.md §4: `$previous.<field>`).
 */
export function checkRule(rule: unknown, entity: EntityInfo, at: string, sinks: Sinks, sameDocument: boolean, opts: { previous?: boolean } = {}): void {
  checkRuleWith(rule, entity.ruleSchema(opts), at, sinks, sameDocument);
}

/** checkRule against given variables (a flow without a trigger record has no entity to read). */
export function checkRuleWith(rule: unknown, schema: RuleSchema, at: string, sinks: Sinks, sameDocument: boolean): void {
  let issues: ReturnType<typeof validateRule>;
  try {
    issues = validateRule(rule, schema);
  } catch (err) {
    // @crm/rules promises never to throw; if it does, the rule is refused here and the other checks go on.
    return sinks.own(at, 'META_CHECK_FAILED', { reason: String((err as Error)?.message ?? err) });
  }
  for (const i of issues) {
    (i.code === 'RULE_UNKNOWN_VAR' && !sameDocument ? sinks.ref : sinks.own)(`${at}${i.pointer}`, i.code, i.params ?? {});
  }
}

/** Reports the second and later occurrences of a value in a list. */
export function checkUnique(values: readonly string[], at: (i: number) => string, report: IssueSink): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(at(i), 'META_DUPLICATE_ITEM', { item: v });
    seen.add(v);
  });
}
