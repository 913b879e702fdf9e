import { walkSteps, type Flow, type Trigger } from '@crm/metadata';
import type { DocIssue } from '../state/issues.js';

/** A flow document as the editors handle it (the server validates it for real). */
export type FlowBody = Flow;

/** `flw_<key>` from a key proposed from the label, made unique among the workspace's flows. */
export function proposeFlowId(key: string, taken: ReadonlySet<string>): string {
  const base = `flw_${key}`.slice(0, 60).replace(/_+$/, '');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A new flow: enabled (it runs once published), no steps yet (the draft saves once it has one). */
export function newFlow(id: string, label: FlowBody['label'], trigger: Trigger): FlowBody {
  return { id, schemaVersion: 1, label, enabled: true, trigger, steps: [] };
}

/** The trigger a kind starts from, on an entity and keeping what still applies of the previous trigger. */
export function triggerOfKind(kind: Trigger['kind'], entity: string | undefined, prev?: Trigger): Trigger {
  const ent = entity ?? ('entity' in (prev ?? {}) ? (prev as { entity?: string }).entity : undefined) ?? 'leads';
  const condition = prev && 'condition' in prev && prev.condition && prev.entity === ent ? { condition: prev.condition } : {};
  switch (kind) {
    case 'record': return { kind, entity: ent, on: ['created'], ...condition };
    case 'field_changed': return { kind, entity: ent, field: 'owner_id', ...condition };
    case 'time': return { kind, entity: ent, field: 'created_at', offset: { amount: 1, unit: 'days' }, ...condition };
    case 'schedule': return { kind, cron: '0 9 * * 1-5' };
    case 'manual': return { kind, entity: ent, button: { 'zh-CN': '执行', en: 'Run' }, ...condition };
    case 'webhook': return { kind, ...(entity ? { entity } : {}) };
  }
}

/**
 * The trigger on another entity: what named the old entity's fields (fields,
 * from/to, the condition) goes; events, offsets and the button stay.
 */
export function withEntity(t: Trigger, entity: string | undefined): Trigger {
  if (t.kind === 'schedule') return t;
  if (t.kind === 'webhook') return entity ? { kind: 'webhook', entity } : { kind: 'webhook' };
  const base = triggerOfKind(t.kind, entity, undefined);
  if (t.kind === 'record') return { ...base, on: t.on } as Trigger;
  if (t.kind === 'time') return { ...base, offset: t.offset, ...(['created_at', 'updated_at', 'owner_assigned_at'].includes(t.field) ? { field: t.field } : {}), ...(t.unlessActivitySince ? { unlessActivitySince: true } : {}) } as Trigger;
  if (t.kind === 'manual') return { ...base, button: t.button, ...(t.roles ? { roles: t.roles } : {}) } as Trigger;
  return base;
}

/** The issues of one step card: on the step and its config, not on the steps inside its branches (they show their own). */
export function stepIssues(issues: readonly DocIssue[], pointer: string): DocIssue[] {
  return issues.filter((i) => (i.pointer === pointer || i.pointer.startsWith(`${pointer}/`)) && !/^\/branches\/\d+\/steps\//.test(i.pointer.slice(pointer.length)));
}

/** The issues of one branch itself (its rule, its id, its place), not of its steps. */
export function branchIssues(issues: readonly DocIssue[], stepPointer: string, index: number): DocIssue[] {
  const at = `${stepPointer}/branches/${index}`;
  return issues.filter((i) => (i.pointer === at || i.pointer.startsWith(`${at}/`)) && !i.pointer.startsWith(`${at}/steps/`));
}

/** Where an issue is, for the summary list: the trigger, a step (the innermost one its pointer is in), or the flow as a whole. */
export function issuePlace(flow: FlowBody, pointer: string): { kind: 'trigger' } | { kind: 'step'; id: string } | { kind: 'flow' } {
  if (pointer === '/trigger' || pointer.startsWith('/trigger/')) return { kind: 'trigger' };
  const best = { id: '', length: -1 };
  walkSteps(flow.steps, (s, at) => {
    if ((pointer === at || pointer.startsWith(`${at}/`)) && at.length > best.length) Object.assign(best, { id: s.id, length: at.length });
  });
  return best.id ? { kind: 'step', id: best.id } : { kind: 'flow' };
}

/** The issues at a config property of a step (`/config/values/status` shows on the values control). */
export function configIssues(issues: readonly DocIssue[], stepPointer: string, name: string): DocIssue[] {
  const at = `${stepPointer}/config/${name}`;
  return issues.filter((i) => i.pointer === at || i.pointer.startsWith(`${at}/`));
}
