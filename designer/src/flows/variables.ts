import { fieldTypes, isFieldType, walkSteps, type Step, type StepKind, type Trigger } from '@crm/metadata';
import { STEP_INFO } from './step-kinds.js';

type Label2 = [zh: string, en: string];

/** What a value is, so pickers can offer only what fits (a record id where a record is named, a user where a person is). */
export type VarType = 'id' | 'user' | 'text' | 'number' | 'boolean' | 'datetime' | 'list' | 'json';

export interface StepOutput {
  key: string;
  label: Label2;
  type: VarType;
  /** Only readable by the steps inside the step's own branches (a loop's current item). */
  inside?: boolean;
}

/**
 * The outputs each step kind leaves for later steps (`steps.<id>.<key>`), as
 * `@crm/automation`'s executors return them. Exhaustive: a new kind does not
 * compile without its row. Keys outside the var grammar (`messageId`,
 * `timedOut`) cannot be read by a flow and are left out.
 */
export const STEP_OUTPUTS: Record<StepKind, StepOutput[]> = {
  condition: [{ key: 'passed', label: ['是否满足', 'Passed'], type: 'boolean' }],
  branch: [{ key: 'branch', label: ['走了哪个分支', 'Branch taken'], type: 'text' }],
  update_record: [{ key: 'id', label: ['记录 ID', 'Record id'], type: 'id' }, { key: 'changed', label: ['改动的字段', 'Changed fields'], type: 'list' }],
  create_record: [{ key: 'id', label: ['新记录 ID', 'New record id'], type: 'id' }],
  create_task: [{ key: 'id', label: ['任务 ID', 'Task id'], type: 'id' }, { key: 'assignee', label: ['执行人', 'Assignee'], type: 'user' }],
  create_activity: [{ key: 'id', label: ['活动 ID', 'Activity id'], type: 'id' }],
  assign_owner: [{ key: 'owner', label: ['新负责人', 'New owner'], type: 'user' }, { key: 'reason', label: ['分配原因', 'Reason'], type: 'text' }],
  find_duplicate: [{ key: 'found', label: ['是否找到重复', 'Found'], type: 'boolean' }, { key: 'id', label: ['重复记录 ID', 'Duplicate id'], type: 'id' }, { key: 'count', label: ['重复条数', 'Duplicates'], type: 'number' }],
  move_to_pool: [{ key: 'pooled', label: ['已退回公海', 'Pooled'], type: 'boolean' }],
  send_email: [{ key: 'to', label: ['收件地址', 'Sent to'], type: 'list' }],
  notify: [{ key: 'to', label: ['通知的成员', 'Notified members'], type: 'list' }],
  http_request: [{ key: 'status', label: ['响应状态码', 'Response status'], type: 'number' }, { key: 'body', label: ['响应内容', 'Response body'], type: 'json' }],
  delay: [{ key: 'waited', label: ['等到的时间', 'Waited until'], type: 'datetime' }],
  wait_until: [{ key: 'until', label: ['等到的时间', 'Waited until'], type: 'datetime' }],
  wait_for: [],
  loop: [
    { key: 'item', label: ['当前记录 ID', 'Current record id'], type: 'id', inside: true },
    { key: 'index', label: ['当前序号（从 0 起）', 'Current index (from 0)'], type: 'number', inside: true },
    { key: 'count', label: ['记录条数', 'Number of records'], type: 'number' },
    { key: 'ids', label: ['全部记录 ID', 'All record ids'], type: 'list' },
  ],
  call_flow: [{ key: 'run', label: ['启动的运行 ID', 'Run started'], type: 'id' }],
};

/** A variable a flow may read at some point, as `{var: name}` or `{{name}}` in a template. */
export interface VarOption {
  name: string;
  label: Label2;
  type: VarType;
  group: 'record' | 'previous' | 'trigger' | 'user' | 'steps';
  /** For step outputs: the step's name, to group them. */
  step?: { id: string; label: Label2 };
}

export interface FieldLike { key: string; type: string; label: { 'zh-CN'?: string; en?: string }; archived?: boolean; target?: string }
export interface EntityLike { key: string; label: { 'zh-CN'?: string; en?: string }; ownership?: string; fields: readonly FieldLike[] }

const labelPair = (l: { 'zh-CN'?: string; en?: string } | undefined, fallback: string): Label2 => [l?.['zh-CN'] ?? l?.en ?? fallback, l?.en ?? l?.['zh-CN'] ?? fallback];

function fieldVarType(f: FieldLike): VarType {
  if (f.type === 'relation') return 'id';
  if (f.type === 'user') return 'user';
  if (!isFieldType(f.type)) return 'text';
  const kind = fieldTypes[f.type].valueKind(f as never);
  return kind === 'integer' || kind === 'decimal' ? 'number' : kind === 'boolean' ? 'boolean' : kind === 'date' || kind === 'datetime' ? 'datetime' : kind === 'textArray' ? 'list' : 'text';
}

/** The trigger record's readable values: its live fields and the system columns. */
export function recordVars(entity: EntityLike, scope: 'record' | 'previous'): VarOption[] {
  const system: VarOption[] = scope === 'record' ? [
    { name: 'record.id', label: ['记录 ID', 'Record id'], type: 'id', group: 'record' },
    ...(entity.ownership !== 'none' ? [{ name: 'record.owner_id', label: ['负责人', 'Owner'] as Label2, type: 'user' as VarType, group: 'record' as const }] : []),
    { name: 'record.created_at', label: ['创建时间', 'Created at'], type: 'datetime', group: 'record' },
    { name: 'record.updated_at', label: ['更新时间', 'Updated at'], type: 'datetime', group: 'record' },
  ] : [];
  const fields = entity.fields.filter((f) => !f.archived && isFieldType(f.type)).map((f): VarOption => ({
    name: `${scope}.${f.key}`, label: labelPair(f.label, f.key), type: fieldVarType(f), group: scope,
  }));
  return [...fields, ...system];
}

/** Which triggers start with a record, and which bring values of their own. */
export const hasRecord = (t: Trigger): boolean => t.kind !== 'schedule' && !(t.kind === 'webhook' && !t.entity);
export const hasPrevious = (t: Trigger): boolean => t.kind === 'record' || t.kind === 'field_changed';
export const hasInputs = (t: Trigger): boolean => t.kind === 'webhook' || t.kind === 'manual';

/**
 * The variables readable at a step (`at`: its id; `null`: the trigger's
 * condition): the trigger record's fields, their previous values, who set it
 * off, and the outputs of the steps that have surely run before it
 * (`walkSteps`' `before`: never a later step, a sibling branch's or one inside
 * an earlier step's branches). A loop's current item only inside its body.
 */
export function variablesAt(flow: { trigger: Trigger; steps: readonly Step[] }, at: string | null, entity: EntityLike | undefined): VarOption[] {
  const out: VarOption[] = [];
  if (entity && hasRecord(flow.trigger)) {
    out.push(...recordVars(entity, 'record'));
    if (hasPrevious(flow.trigger)) out.push(...recordVars(entity, 'previous'));
  }
  out.push({ name: '$user.id', label: ['触发的成员', 'Who triggered it'], type: 'user', group: 'user' });
  if (at === null) return out;
  let before: Step[] = [];
  let pointer = '';
  const pointers = new Map<string, string>();
  walkSteps(flow.steps, (s, p, _depth, b) => {
    pointers.set(s.id, p);
    if (s.id === at) { before = [...b]; pointer = p; return false; }
    return undefined;
  });
  for (const s of before) {
    const inside = pointer.startsWith(`${pointers.get(s.id)}/branches/`);
    const label = s.label ? labelPair(s.label, s.id) : STEP_INFO[s.kind].name;
    for (const o of STEP_OUTPUTS[s.kind]) {
      if (o.inside && !inside) continue;
      out.push({ name: `steps.${s.id}.${o.key}`, label: o.label, type: o.type, group: 'steps', step: { id: s.id, label } });
    }
  }
  return out;
}

/** `{var: name}` as stored; a template placeholder is `{{name}}`. */
export const placeholder = (name: string): string => `{{${name}}}`;

/** The variable names a template mentions, in order (`{{ record.name }}` reads as `record.name`). */
export const templateVars = (text: string): string[] => [...text.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!.trim());

/** Inserts `{{name}}` into a text at a cursor position (the end when unknown); returns the text and where the cursor goes. */
export function insertPlaceholder(text: string, name: string, at?: number): { text: string; cursor: number } {
  const i = at === undefined || at < 0 || at > text.length ? text.length : at;
  const ins = placeholder(name);
  return { text: text.slice(0, i) + ins + text.slice(i), cursor: i + ins.length };
}
