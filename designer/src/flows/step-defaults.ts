import { STEP_BRANCHES, type Step, type StepBranch, type StepKind } from '@crm/metadata';
import { nextId } from './step-tree.js';

type Lang = 'zh-CN' | 'en';
interface FieldLike { key: string; type: string; archived?: boolean; target?: string; options?: { key: string; active?: boolean }[] }
interface EntityLike { key: string; titleField?: string; ownership?: string; fields: readonly FieldLike[] }

/** What a new step's defaults are made from. */
export interface StepContext {
  lang: Lang;
  /** The trigger's entity, when the flow starts with a record. */
  entity?: EntityLike;
  entities: readonly EntityLike[];
  /** Other flows of the workspace (a call_flow step starts one). */
  flows: readonly string[];
  teams?: readonly string[];
}

const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** A condition that holds for most records, to start from: "<first field> is not empty" (a flow without a record can only read the clock). */
export function starterRule(entity: EntityLike | undefined): Record<string, unknown> {
  const f = entity?.fields.find((x) => !x.archived && x.key === entity.titleField) ?? entity?.fields.find((x) => !x.archived);
  return { '!': { isEmpty: [{ var: f?.key ?? '$now' }] } };
}

/** The record title as a placeholder, or a plain word without a record. */
const titleVar = (c: StepContext) => (c.entity ? `{{record.${c.entity.titleField ?? 'id'}}}` : '');

/**
 * Each kind's starting config: valid against its schema, so the draft saves
 * as soon as the step is dropped (what only the designer can choose, such as
 * a team, is left for the panel to ask). Exhaustive over the kinds.
 */
const DEFAULTS: Record<StepKind, (c: StepContext) => Record<string, unknown>> = {
  condition: (c) => ({ rule: starterRule(c.entity) }),
  branch: () => ({}),
  loop: (c) => {
    const child = c.entity && c.entities.find((e) => e.fields.some((f) => f.type === 'relation' && f.target === c.entity!.key && !f.archived));
    const via = child?.fields.find((f) => f.type === 'relation' && f.target === c.entity!.key && !f.archived);
    return { entity: child?.key ?? c.entity?.key ?? c.entities[0]?.key ?? 'tasks', field: via?.key ?? 'id', max: 100 };
  },
  call_flow: (c) => ({ flow: c.flows[0] ?? 'flw_other' }),
  update_record: () => ({ values: {} }),
  create_record: (c) => ({ entity: c.entity?.key ?? c.entities[0]?.key ?? 'tasks', values: {} }),
  create_task: (c) => ({
    title: t(c.lang, `跟进 ${titleVar(c)}`, `Follow up ${titleVar(c)}`).trim(),
    assignee: c.entity?.ownership !== 'none' && c.entity ? 'owner' : 'trigger_user',
    due: { amount: 1, unit: 'days' },
  }),
  create_activity: (c) => {
    const activities = c.entities.find((e) => e.key === 'activities');
    const type = activities?.fields.find((f) => f.type === 'select' && !f.archived)?.options?.find((o) => o.active !== false)?.key;
    return { activityType: type ?? 'other', subject: t(c.lang, `自动记录 ${titleVar(c)}`, `Logged ${titleVar(c)}`).trim() };
  },
  assign_owner: (c) => ({ strategy: 'round_robin', ...(c.teams?.[0] ? { team: c.teams[0] } : {}) }),
  find_duplicate: (c) => {
    const keys = (c.entity?.fields ?? []).filter((f) => !f.archived && (f.type === 'phone' || f.type === 'email')).map((f) => f.key);
    return { fields: keys.length ? keys.slice(0, 5) : [c.entity?.titleField ?? 'name'], openOnly: true, onFound: 'continue' };
  },
  move_to_pool: () => ({}),
  send_email: (c) => ({
    to: [c.entity && c.entity.ownership !== 'none' ? 'owner' : 'trigger_user'],
    subject: c.entity ? t(c.lang, `关于 ${titleVar(c)}`, `About ${titleVar(c)}`) : t(c.lang, '自动化邮件', 'Automated mail'),
    body: t(c.lang, `您好，\n\n${titleVar(c)}`, `Hello,\n\n${titleVar(c)}`).trim(),
  }),
  notify: (c) => ({
    to: [c.entity && c.entity.ownership !== 'none' ? 'owner' : 'trigger_user'],
    title: t(c.lang, `自动化提醒：${titleVar(c)}`, `Automation: ${titleVar(c)}`).replace(/[：:] ?$/, ''),
  }),
  http_request: (c) => ({ method: 'POST', url: 'https://example.com/webhook', ...(c.entity ? { body: { id: { var: 'record.id' } } } : {}) }),
  delay: () => ({ for: { amount: 1, unit: 'days' } }),
  wait_until: () => ({ at: { now: { amount: 1, unit: 'days' } } }),
  wait_for: (c) => ({ rule: starterRule(c.entity), timeout: { amount: 3, unit: 'days' } }),
};

/** A new step of a kind with its default config, and for branch and loop steps their branches; ids are free in `taken` (which is updated). */
export function newStep(kind: StepKind, taken: Set<string>, c: StepContext): Step {
  const id = nextId('s', taken);
  taken.add(id);
  const step: Step = { id, kind, config: DEFAULTS[kind](c) };
  const shape = STEP_BRANCHES[kind];
  if (shape === 'body') step.branches = [{ id: claim('b', taken), steps: [] }];
  if (shape === 'rules') {
    step.branches = [
      { id: claim('b', taken), label: { 'zh-CN': '条件 1', en: 'Case 1' }, rule: starterRule(c.entity), steps: [] },
      defaultBranch(taken),
    ];
  }
  return step;
}

/** A ruled branch to add to a branch step ("条件 n"). */
export function newRuledBranch(taken: Set<string>, n: number, entity: EntityLike | undefined): StepBranch {
  return { id: claim('b', taken), label: { 'zh-CN': `条件 ${n}`, en: `Case ${n}` }, rule: starterRule(entity), steps: [] };
}

/** The branch that runs when no other does. */
export function defaultBranch(taken: Set<string>): StepBranch {
  return { id: claim('b', taken), label: { 'zh-CN': '其他情况', en: 'Otherwise' }, steps: [] };
}

function claim(prefix: string, taken: Set<string>): string {
  const id = nextId(prefix, taken);
  taken.add(id);
  return id;
}
