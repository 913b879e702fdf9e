import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Id, Key, Label, LongLabel, Rule, SchemaVersion, StringEnum, TaggedUnion } from './common.js';

/**
 * Automations (kind `flow`): a trigger, an optional condition, and a vertical
 * list of steps, some of which hold branches of further steps. The document
 * says WHAT should happen; `@crm/automation` runs it (each step kind there has
 * its executor, exhaustive over STEP_KINDS below); the server makes it durable.
 */

export const DURATION_UNITS = ['minutes', 'hours', 'days'] as const;
/** "3 days", "24 hours": relative times and delays. Negative amounts mean "before" (time triggers only). */
export const Duration = Type.Object(
  { amount: Type.Integer({ minimum: -3650, maximum: 3650 }), unit: StringEnum(DURATION_UNITS) },
  { additionalProperties: false },
);
export type Duration = Static<typeof Duration>;

/**
 * A value a step computes when it runs: a literal; `{var: "record.amount"}`
 * (the trigger record), `{var: "previous.stage"}` (its values before the
 * change), `{var: "steps.<stepId>.<output>"}`, `{var: "trigger.<key>"}`
 * (webhook and manual inputs), `{var: "$user.id"}` (who triggered it);
 * `{template: "跟进 {{record.name}}"}`; `{now: {amount, unit}}` (a datetime
 * from now; dates take its day in the workspace time zone). Never code.
 */
export const ValueExpr = Type.Union([
  Type.Null(), Type.Boolean(), Type.Number(), Type.String({ maxLength: 10_000 }),
  Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number()]), { maxItems: 100 }),
  Type.Object({ var: Type.String({ pattern: '^(\\$user\\.id|(record|previous|trigger)\\.[a-z][a-z0-9_]{0,39}|steps\\.[a-z][a-z0-9_]{1,63}\\.[a-z][a-z0-9_]{0,39})$' }) }, { additionalProperties: false }),
  Type.Object({ template: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
  Type.Object({ now: Duration }, { additionalProperties: false }),
]);
export type ValueExpr = Static<typeof ValueExpr>;

/** Field key -> value, for the records a step creates or updates. */
// additionalProperties: false makes the key pattern bind (a TypeBox Record alone lets other keys through).
const Values = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), ValueExpr, { maxProperties: 100, additionalProperties: false });

/** A text with `{{record.field}}` / `{{steps.s1.id}}` placeholders (values inserted as text; HTML-escaped in email bodies). */
const Template = (maxLength: number) => Type.String({ minLength: 1, maxLength });

// ---- Triggers ---------------------------------------------------------------------------------------

export const RECORD_EVENTS = ['created', 'updated', 'deleted', 'restored'] as const;

export const Trigger = TaggedUnion('kind', [
  Type.Object({
    kind: Type.Literal('record'),
    entity: Key,
    on: Type.Array(StringEnum(RECORD_EVENTS), { minItems: 1, maxItems: 4, uniqueItems: true }),
    /** `updated` only when one of these fields changed. */
    fields: Type.Optional(Type.Array(Key, { minItems: 1, maxItems: 50 })),
    condition: Type.Optional(Rule),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('field_changed'),
    entity: Key,
    field: Key,
    /** Any of these values before (omitted: any value); `null` matches empty. */
    from: Type.Optional(Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]), { minItems: 1, maxItems: 50 })),
    to: Type.Optional(Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]), { minItems: 1, maxItems: 50 })),
    condition: Type.Optional(Rule),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('time'),
    entity: Key,
    /** A date/datetime field, or `created_at`, `updated_at`, `owner_assigned_at`. */
    field: Key,
    offset: Duration,
    /** Only when the record has had no activity since the anchor ("24 hours after assignment if no follow-up"). */
    unlessActivitySince: Type.Optional(Type.Boolean()),
    condition: Type.Optional(Rule),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('schedule'),
    /** Five-field cron in the workspace time zone, e.g. "0 9 * * 1-5". */
    cron: Type.String({ minLength: 9, maxLength: 100 }),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('manual'),
    entity: Key,
    /** The button's text on the record page and the list's selection bar. */
    button: Label,
    /** Business roles that see the button (omitted: anyone who can update the record). */
    roles: Type.Optional(Type.Array(Id, { maxItems: 50 })),
    condition: Type.Optional(Rule),
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('webhook'),
    /** The record the payload creates or names, if any. */
    entity: Type.Optional(Key),
  }, { additionalProperties: false }),
]);
export type Trigger = Static<typeof Trigger>;
export type TriggerKind = Trigger['kind'];

// ---- Steps ------------------------------------------------------------------------------------------

const Recipient = Type.Union([
  StringEnum(['owner', 'owner_manager', 'trigger_user'] as const),
  Type.Object({ var: Type.String({ maxLength: 120 }) }, { additionalProperties: false }),
  Type.Object({ user: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }),
  /** Every active member holding this business role (the sales director, finance). */
  Type.Object({ role: Key }, { additionalProperties: false }),
]);

/**
 * Each step kind's config (JSON Schema, TypeBox). The designer's config panel
 * is generated from these; `validate` checks every step's config against its
 * kind and the fields it names against the entity.
 */
export const stepConfigs = {
  /** Stops the run (as "skipped") when the rule does not hold. */
  condition: Type.Object({ rule: Rule }, { additionalProperties: false }),
  /** Branches: the first whose rule holds runs (`then`/`else` for a yes/no split; a default branch has no rule). */
  branch: Type.Object({}, { additionalProperties: false }),
  update_record: Type.Object({
    /** The trigger record (default) or a record an earlier step made or found (`{var: "steps.s2.id"}`). */
    record: Type.Optional(Type.Object({ var: Type.String({ maxLength: 120 }) }, { additionalProperties: false })),
    entity: Type.Optional(Key),
    values: Values,
  }, { additionalProperties: false }),
  create_record: Type.Object({ entity: Key, values: Values }, { additionalProperties: false }),
  /** A task (default entity `tasks`) linked to the trigger record: its title field, first user field (assignee) and first datetime field (due). */
  create_task: Type.Object({
    entity: Type.Optional(Key),
    title: Template(200),
    assignee: Recipient,
    due: Type.Optional(Duration),
    notes: Type.Optional(Template(2000)),
  }, { additionalProperties: false }),
  /** An activity (default entity `activities`) linked to the trigger record; `activityType` is an option of its first select field. */
  create_activity: Type.Object({
    entity: Type.Optional(Key),
    activityType: Type.String({ minLength: 1, maxLength: 40 }),
    subject: Template(200),
    notes: Type.Optional(Template(4000)),
  }, { additionalProperties: false }),
  assign_owner: Type.Object({
    strategy: StringEnum(['round_robin', 'least_loaded', 'field_map'] as const),
    /** Team whose members take turns / share the load (round_robin, least_loaded). */
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** field_map: the record's value of this field picks the owner (region -> rep). */
    field: Type.Optional(Key),
    map: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.String({ format: 'uuid' }), { maxProperties: 500 })),
    /** field_map: who gets it when no mapping matches. */
    fallback: Type.Optional(Type.String({ format: 'uuid' })),
    reason: Type.Optional(Label),
  }, { additionalProperties: false }),
  /**
   * Another live record of the trigger entity with the same value in any of
   * `fields`, compared normalised (phone: digits only, without a +86/0086
   * prefix; email and text: trimmed, lower case); with `openOnly`, records
   * in a closed state (converted, disqualified, won, lost) do not count.
   * Found: `link` (a relation of the entity to itself) is set to it, and the
   * run stops or goes on as `onFound` says. Output: found, id, count.
   */
  find_duplicate: Type.Object({
    fields: Type.Array(Key, { minItems: 1, maxItems: 5, uniqueItems: true }),
    openOnly: Type.Optional(Type.Boolean()),
    link: Type.Optional(Key),
    onFound: StringEnum(['stop', 'continue'] as const),
  }, { additionalProperties: false }),
  move_to_pool: Type.Object({ reason: Type.Optional(Label) }, { additionalProperties: false }),
  send_email: Type.Object({
    to: Type.Array(Recipient, { minItems: 1, maxItems: 20 }),
    subject: Template(300),
    body: Template(20_000),
  }, { additionalProperties: false }),
  notify: Type.Object({
    to: Type.Array(Recipient, { minItems: 1, maxItems: 20 }),
    title: Template(200),
    body: Type.Optional(Template(2000)),
  }, { additionalProperties: false }),
  http_request: Type.Object({
    method: StringEnum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const),
    url: Template(2000),
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }), Template(2000), { maxProperties: 30, additionalProperties: false })),
    /** JSON body: values computed like record values. */
    body: Type.Optional(Values),
    /** Sign the body with the workspace's webhook secret (X-CRM-Signature: sha256=...). */
    sign: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
  delay: Type.Object({ for: Duration }, { additionalProperties: false }),
  wait_until: Type.Object({ at: ValueExpr }, { additionalProperties: false }),
  wait_for: Type.Object({ rule: Rule, timeout: Duration }, { additionalProperties: false }),
  /** Runs its `body` branch once per related record (records of `entity` whose `field` points at the trigger record). */
  loop: Type.Object({ entity: Key, field: Key, filter: Type.Optional(Rule), max: Type.Integer({ minimum: 1, maximum: 500 }) }, { additionalProperties: false }),
  call_flow: Type.Object({ flow: Id }, { additionalProperties: false }),
} satisfies Record<string, TObject>;

export type StepKind = keyof typeof stepConfigs;
export const STEP_KINDS = Object.keys(stepConfigs) as StepKind[];
export type StepConfig<K extends StepKind> = Static<(typeof stepConfigs)[K]>;

/** Kinds whose steps hold branches, and which (`branch`: any number of ruled branches plus a default; `loop`: one body). */
export const STEP_BRANCHES: Partial<Record<StepKind, 'rules' | 'body'>> = { branch: 'rules', loop: 'body' };

/** A step: kind, config (checked against `stepConfigs[kind]`), and for branch/loop its branches of steps. */
export interface Step {
  id: string;
  kind: StepKind;
  label?: Label;
  config: Record<string, unknown>;
  branches?: StepBranch[];
}
export interface StepBranch {
  id: string;
  label?: Label;
  /** The branch runs when this holds (first match wins); none: the default branch. */
  rule?: Rule;
  steps: Step[];
}

export const MAX_STEPS_PER_FLOW = 200;
export const MAX_BRANCH_DEPTH = 8;

const StepSchema: TSchema = Type.Recursive((This) => Type.Object({
  id: Id,
  kind: StringEnum(STEP_KINDS as unknown as readonly StepKind[]),
  label: Type.Optional(Label),
  config: Type.Object({}, { additionalProperties: true }),
  branches: Type.Optional(Type.Array(Type.Object({
    id: Id,
    label: Type.Optional(Label),
    rule: Type.Optional(Rule),
    steps: Type.Array(This, { maxItems: MAX_STEPS_PER_FLOW }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 20 })),
}, { additionalProperties: false }), { $id: 'FlowStep' });

export const Flow = Type.Object(
  {
    id: Id,
    schemaVersion: SchemaVersion,
    label: Label,
    description: Type.Optional(LongLabel),
    /** Off: kept and editable, never triggered. */
    enabled: Type.Boolean(),
    trigger: Trigger,
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: MAX_STEPS_PER_FLOW }),
  },
  { additionalProperties: false },
);
export type Flow = Omit<Static<typeof Flow>, 'steps'> & { steps: Step[] };
