import type { RuleSchema } from '@crm/rules';
import { cronError } from '../cron.js';
import { optionKeys } from '../field-types/options.js';
import { fieldTypes } from '../field-types/registry.js';
import { walkSteps } from '../flow-walk.js';
import { MAX_BRANCH_DEPTH, MAX_STEPS_PER_FLOW, STEP_BRANCHES, stepConfigs, type Flow, type Step, type StepConfig, type StepKind, type Trigger } from '../schemas/flow.js';
import { checkRule, checkRuleWith, checkUnique, isObject, liveEntity, liveField, type Ctx, type EntityInfo } from './context.js';
import { ptr, type Sinks } from './issue.js';
import { check, compiled } from './structural.js';

/** Where a kind's config holds expressions: `{{...}}` templates, value expressions, recipients; the plural is a map or list of them. */
type Slot = 'template' | 'templates' | 'value' | 'values' | 'recipient' | 'recipients';
const EXPRESSIONS: { [K in StepKind]?: Partial<Record<keyof StepConfig<K>, Slot>> } = {
  update_record: { record: 'value', values: 'values' },
  create_record: { values: 'values' },
  create_task: { title: 'template', assignee: 'recipient', notes: 'template' },
  create_activity: { subject: 'template', notes: 'template' },
  send_email: { to: 'recipients', subject: 'template', body: 'template' },
  notify: { to: 'recipients', title: 'template', body: 'template' },
  http_request: { url: 'template', headers: 'templates', body: 'values' },
  wait_until: { at: 'value' },
};

/** The same grammar as ValueExpr's `var` (flow.ts); templates and `record` refs are plain strings, so they are read here. */
const VAR = /^(?:(record|previous|trigger)\.([a-z][a-z0-9_]{0,39})|steps\.([a-z][a-z0-9_]{1,63})\.[a-z][a-z0-9_]{0,39}|\$user\.id)$/;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
/** System anchors a time trigger may count from besides date and datetime fields. */
const TIME_ANCHORS: ReadonlySet<string> = new Set(['created_at', 'updated_at', 'owner_assigned_at']);
/** Without a trigger record a rule can only read the clock. */
const NO_RECORD_RULES: RuleSchema = { vars: { $now: { kind: 'datetime' } } };

interface FlowScope {
  flow: Flow;
  sinks: Sinks;
  ctx: Ctx;
  /** The trigger's entity when it is live (undefined also when there is no trigger record). */
  entity: EntityInfo | undefined;
  /** Schedules and webhooks without an entity start without a record. */
  hasRecord: boolean;
  stepIds: ReadonlySet<string>;
  rule(rule: unknown, at: string): void;
}

/**
 * Trigger (entity, fields, options, roles, cron), every step's config against
 * its kind, ids, branches, size and depth; every rule against the trigger
 * entity (with `$previous.<field>`, which only automations may read); values
 * that name writable fields; vars and `{{placeholders}}` that name the
 * trigger record's fields or steps that have surely run before.
 */
export function checkFlow(f: Flow, sinks: Sinks, ctx: Ctx): void {
  const { own } = sinks;
  const t = f.trigger;
  const hasRecord = t.kind !== 'schedule' && !(t.kind === 'webhook' && t.entity === undefined);
  const entity = checkTrigger(t, sinks, ctx);
  const rule = (r: unknown, at: string) => {
    if (!hasRecord) checkRuleWith(r, NO_RECORD_RULES, at, sinks, true);
    else if (entity) checkRule(r, entity, at, sinks, false, { previous: true });
  };
  if ('condition' in t && t.condition) rule(t.condition, '/trigger/condition');

  // Every id first: a var may name a step further down, which is a different mistake from a step that does not exist.
  const ids = new Set<string>();
  const stepIds = new Set<string>();
  const seeId = (id: string, at: string) => {
    if (ids.has(id)) own(at, 'META_DUPLICATE_ID', { id });
    ids.add(id);
  };
  let count = 0;
  walkSteps(f.steps, (s, at, depth) => {
    count++;
    stepIds.add(s.id);
    seeId(s.id, `${at}/id`);
    s.branches?.forEach((b, j) => seeId(b.id, `${at}/branches/${j}/id`));
    if (depth === MAX_BRANCH_DEPTH && s.branches) own(`${at}/branches`, 'META_FLOW_TOO_DEEP', { max: MAX_BRANCH_DEPTH });
  });
  // An oversized flow is refused as a whole; checking each of its steps would only cost time.
  if (count > MAX_STEPS_PER_FLOW) return own('/steps', 'META_FLOW_TOO_MANY_STEPS', { count, max: MAX_STEPS_PER_FLOW });

  const scope: FlowScope = { flow: f, sinks, ctx, entity, hasRecord, stepIds, rule };
  walkSteps(f.steps, (s, at, _depth, before) => checkStep(scope, s, at, new Set(before.map((b) => b.id))));
}

/** The trigger's own references; returns its entity when that is live. */
function checkTrigger(t: Trigger, { own, ref }: Sinks, ctx: Ctx): EntityInfo | undefined {
  if (t.kind === 'schedule') {
    const bad = cronError(t.cron);
    if (bad !== undefined) own('/trigger/cron', 'META_FLOW_CRON', { value: bad });
    return undefined;
  }
  if (t.kind === 'manual') {
    const roles = t.roles ?? [];
    checkUnique(roles, (i) => ptr('trigger', 'roles', i), own);
    roles.forEach((r, i) => {
      if (!ctx.roles.has(r)) ref(ptr('trigger', 'roles', i), 'META_UNKNOWN_ROLE', { role: r });
    });
  }
  if (t.entity === undefined) return undefined;
  const e = liveEntity(ctx, t.entity, '/trigger/entity', ref);
  if (!e) return undefined;
  if (t.kind === 'record') {
    const fields = t.fields ?? [];
    checkUnique(fields, (i) => ptr('trigger', 'fields', i), own);
    fields.forEach((k, i) => liveField(e, k, ptr('trigger', 'fields', i), ref));
  } else if (t.kind === 'field_changed') {
    const field = liveField(e, t.field, '/trigger/field', ref);
    if (field?.type === 'select') {
      const options = new Set(optionKeys(field));
      for (const side of ['from', 'to'] as const) {
        (t[side] ?? []).forEach((v, i) => {
          // null matches an empty value; anything else must be an option a record can hold (deactivated ones included).
          if (v !== null && !options.has(v as string)) ref(ptr('trigger', side, i), 'META_UNKNOWN_OPTION', { field: field.key, option: v });
        });
      }
    }
  } else if (t.kind === 'time') {
    if (t.field === 'owner_assigned_at' && e.body.ownership !== 'owned') ref('/trigger/field', 'META_FLOW_NOT_OWNED', { entity: e.key });
    else if (!TIME_ANCHORS.has(t.field)) {
      const field = liveField(e, t.field, '/trigger/field', ref);
      const kind = field && fieldTypes[field.type].valueKind(field);
      if (field && kind !== 'date' && kind !== 'datetime') ref('/trigger/field', 'META_FIELD_WRONG_TYPE', { field: field.key, expected: ['date', 'datetime'] });
    }
  }
  return e;
}

/** One step; `before` holds the ids of the steps that surely ran before it. */
function checkStep(x: FlowScope, s: Step, at: string, before: ReadonlySet<string>): void {
  const { own, ref } = x.sinks;
  checkBranches(x, s, at);
  const c = `${at}/config`;
  // A config that fails its kind's schema is reported there; reading it further would only guess.
  if (!check(compiled(stepConfigs[s.kind]), s.config, c, own)) return;
  checkExpressions(x, s, c, before);
  switch (s.kind) {
    case 'condition': case 'wait_for':
      x.rule((s.config as StepConfig<'condition'>).rule, `${c}/rule`);
      return;
    case 'create_record': {
      const cfg = s.config as StepConfig<'create_record'>;
      const target = liveEntity(x.ctx, cfg.entity, `${c}/entity`, ref);
      if (target) checkValues(target, cfg.values, `${c}/values`, x.sinks);
      return;
    }
    case 'update_record': {
      const cfg = s.config as StepConfig<'update_record'>;
      if (!cfg.record && !x.hasRecord) own(`${c}/record`, 'META_FLOW_NO_RECORD');
      else if (cfg.record && cfg.entity === undefined && !x.hasRecord) own(`${c}/entity`, 'META_REQUIRED', { property: 'entity' });
      const target = cfg.entity === undefined ? x.entity : liveEntity(x.ctx, cfg.entity, `${c}/entity`, ref);
      if (!target) return;
      checkValues(target, cfg.values, `${c}/values`, x.sinks);
      // A record named through the trigger record: its id, or a relation that points at the entity updated.
      const via = cfg.record && x.entity ? /^(?:record|previous)\.(.+)$/.exec(cfg.record.var)?.[1] : undefined;
      if (via === undefined || !x.entity) return;
      const field = x.entity.fields.get(via);
      const fits = via === 'id' ? target.key === x.entity.key : field?.type === 'relation' && field.target === target.key;
      if (!fits && (via === 'id' || (field && !field.archived && !x.entity.bad.has(field)))) ref(`${c}/record/var`, 'META_RELATION_TARGET', { field: via, entity: target.key });
      return;
    }
    case 'assign_owner': {
      const cfg = s.config as StepConfig<'assign_owner'>;
      for (const p of cfg.strategy === 'field_map' ? (['field', 'map'] as const) : (['team'] as const)) {
        if (cfg[p] === undefined) own(`${c}/${p}`, 'META_REQUIRED', { property: p });
      }
      if (cfg.strategy === 'field_map' && cfg.field !== undefined && x.entity) liveField(x.entity, cfg.field, `${c}/field`, ref);
      needsOwner(x, at);
      return;
    }
    case 'move_to_pool':
      needsOwner(x, at);
      return;
    case 'find_duplicate': {
      const cfg = s.config as StepConfig<'find_duplicate'>;
      if (!x.hasRecord || !x.entity) { own(`${c}/fields`, 'META_FLOW_NO_RECORD'); return; }
      const e = x.entity;
      cfg.fields.forEach((f, i) => liveField(e, f, `${c}/fields/${i}`, ref));
      const link = cfg.link === undefined ? undefined : liveField(e, cfg.link, `${c}/link`, ref);
      if (link && (link.type !== 'relation' || link.target !== e.key)) ref(`${c}/link`, 'META_RELATION_TARGET', { field: link.key, entity: e.key });
      return;
    }
    case 'loop': {
      const cfg = s.config as StepConfig<'loop'>;
      if (!x.hasRecord) own(`${c}/field`, 'META_FLOW_NO_RECORD');
      const child = liveEntity(x.ctx, cfg.entity, `${c}/entity`, ref);
      const via = child && liveField(child, cfg.field, `${c}/field`, ref);
      if (via && x.entity && (via.type !== 'relation' || via.target !== x.entity.key)) ref(`${c}/field`, 'META_RELATION_TARGET', { field: via.key, entity: x.entity.key });
      if (child && cfg.filter) checkRule(cfg.filter, child, `${c}/filter`, x.sinks, false);
      return;
    }
    case 'call_flow': {
      const { flow } = s.config as StepConfig<'call_flow'>;
      if (flow === x.flow.id) own(`${c}/flow`, 'META_FLOW_CALLS_ITSELF');
      else if (!x.ctx.flowIds.has(flow)) ref(`${c}/flow`, 'META_FLOW_UNKNOWN_FLOW', { flow });
      return;
    }
    default:
  }
}

/** Branches exactly where the kind holds them: a loop one body without a rule; a branch step ruled branches and at most a last default. */
function checkBranches(x: FlowScope, s: Step, at: string): void {
  const { own } = x.sinks;
  const shape = STEP_BRANCHES[s.kind];
  const branches = s.branches;
  if (!shape) {
    if (branches) own(`${at}/branches`, 'META_FLOW_BRANCHES_NOT_ALLOWED', { kind: s.kind });
    return;
  }
  if (!branches) return own(`${at}/branches`, 'META_REQUIRED', { property: 'branches' });
  branches.forEach((b, j) => {
    const bat = `${at}/branches/${j}`;
    if (shape === 'body') {
      if (j > 0) own(bat, 'META_FLOW_LOOP_BODY');
      else if (b.rule) own(`${bat}/rule`, 'META_FLOW_LOOP_BODY');
    } else if (b.rule) x.rule(b.rule, `${bat}/rule`);
    // The first branch whose rule holds runs, so a default anywhere but last would hide the branches after it.
    else if (j < branches.length - 1) own(bat, 'META_FLOW_DEFAULT_BRANCH');
  });
}

/** Every var, template and owner recipient of a (schema-valid) config. */
function checkExpressions(x: FlowScope, s: Step, c: string, before: ReadonlySet<string>): void {
  for (const [prop, slot] of Object.entries(EXPRESSIONS[s.kind] ?? {}) as [string, Slot][]) {
    const v = s.config[prop];
    if (v === undefined) continue;
    const items: [string, unknown][] = slot.endsWith('s') ? Object.entries(v as object).map(([k, item]) => [`${c}${ptr(prop, k)}`, item]) : [[`${c}${ptr(prop)}`, v]];
    for (const [at, item] of items) {
      if (slot.startsWith('template')) checkTemplate(x, item as string, at, before);
      else if (isObject(item) && typeof item.var === 'string') checkVar(x, item.var, `${at}/var`, before);
      else if (isObject(item) && typeof item.template === 'string') checkTemplate(x, item.template, `${at}/template`, before);
      else if (slot.startsWith('recipient') && (item === 'owner' || item === 'owner_manager')) needsOwner(x, at);
      else if (slot.startsWith('recipient') && isObject(item) && typeof item.role === 'string' && !x.ctx.roles.has(item.role)) x.sinks.ref(`${at}/role`, 'META_UNKNOWN_ROLE', { role: item.role });
    }
  }
}

function checkTemplate(x: FlowScope, text: string, at: string, before: ReadonlySet<string>): void {
  const rest = text.replace(PLACEHOLDER, (_, name: string) => {
    checkVar(x, name.trim(), at, before);
    return '';
  });
  // An unclosed `{{` would be sent as it is: surely not what was meant.
  const open = rest.indexOf('{{');
  if (open >= 0) x.sinks.own(at, 'META_FLOW_UNKNOWN_VAR', { var: rest.slice(open, open + 40) });
}

function checkVar(x: FlowScope, name: string, at: string, before: ReadonlySet<string>): void {
  const { own, ref } = x.sinks;
  const m = VAR.exec(name);
  if (!m) return own(at, 'META_FLOW_UNKNOWN_VAR', { var: name });
  const [, scope, key, step] = m;
  if (step !== undefined) {
    if (!x.stepIds.has(step)) own(at, 'META_FLOW_UNKNOWN_STEP', { step });
    else if (!before.has(step)) own(at, 'META_FLOW_STEP_NOT_BEFORE', { step });
  } else if (scope === 'trigger') {
    // Only webhooks and buttons bring inputs of their own.
    if (x.flow.trigger.kind !== 'webhook' && x.flow.trigger.kind !== 'manual') own(at, 'META_FLOW_UNKNOWN_VAR', { var: name });
  } else if (scope !== undefined) {
    if (!x.hasRecord) own(at, 'META_FLOW_NO_RECORD');
    // System columns (id, owner_id ...) are readable as rules read them; other keys must be live fields.
    else if (x.entity && (x.entity.fields.has(key!) || !Object.hasOwn(x.entity.ruleSchema().vars, key!))) liveField(x.entity, key!, at, ref);
  }
}

function checkValues(target: EntityInfo, values: Record<string, unknown>, at: string, { ref }: Sinks): void {
  for (const key of Object.keys(values)) {
    const f = liveField(target, key, `${at}${ptr(key)}`, ref);
    if (f && fieldTypes[f.type].computed) ref(`${at}${ptr(key)}`, 'META_FLOW_FIELD_NOT_WRITABLE', { field: key });
  }
}

/** Steps and recipients that act on the trigger record's owner. */
function needsOwner(x: FlowScope, at: string): void {
  if (!x.hasRecord) x.sinks.own(at, 'META_FLOW_NO_RECORD');
  else if (x.entity && x.entity.body.ownership !== 'owned') x.sinks.ref(at, 'META_FLOW_NOT_OWNED', { entity: x.entity.key });
}
