import type { Flow, Trigger } from '@crm/metadata';
import { evaluate, type RuleSchema } from '@crm/rules';
import type { RecordEvent, Row } from './ports.js';

/** How deep a chain of automations may go (a flow's writes triggering flows ...) before it is a loop. */
export const MAX_CHAIN_DEPTH = 5;

export interface MatchContext {
  now: Date;
  timeZone: string;
  ruleSchema(entity: string): RuleSchema;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const oneOf = (list: readonly unknown[] | undefined, v: unknown) => !list || list.some((x) => same(x, v));

/** The trigger's condition on the record as written, with `$previous` its values before. */
export function conditionHolds(condition: unknown, event: RecordEvent, ctx: MatchContext): boolean {
  if (!condition) return true;
  const previous: Row = { ...event.record, ...event.previous };
  return evaluate(condition, ctx.ruleSchema(event.entity), event.record, {
    now: ctx.now, timeZone: ctx.timeZone, previous, ...(event.userId ? { user: { id: event.userId, teams: [] } } : {}),
  });
}

/** Does this record write set the trigger off? (time, schedule, manual and webhook triggers are started elsewhere.) */
export function triggerMatches(trigger: Trigger, event: RecordEvent, ctx: MatchContext): boolean {
  if (trigger.kind === 'record') {
    if (trigger.entity !== event.entity || !trigger.on.includes(event.kind)) return false;
    if (event.kind === 'updated' && trigger.fields && !trigger.fields.some((f) => event.changed.includes(f))) return false;
    return conditionHolds(trigger.condition, event, ctx);
  }
  if (trigger.kind === 'field_changed') {
    if (trigger.entity !== event.entity || event.kind === 'deleted') return false;
    // A create "changes" a field from nothing to its first value.
    const changed = event.kind === 'created' ? event.record[trigger.field] != null : event.changed.includes(trigger.field);
    if (!changed) return false;
    const before = event.kind === 'created' ? null : event.previous[trigger.field];
    if (!oneOf(trigger.from, before) || !oneOf(trigger.to, event.record[trigger.field])) return false;
    return conditionHolds(trigger.condition, event, ctx);
  }
  return false;
}

/** Enabled flows this write starts, each with the chain its run continues (loop detection counts it). */
export function matchingFlows(flows: Iterable<Flow>, event: RecordEvent, ctx: MatchContext): Flow[] {
  const out: Flow[] = [];
  for (const f of flows) if (f.enabled && triggerMatches(f.trigger, event, ctx)) out.push(f);
  return out;
}

/** A run started by this event would be this deep: past MAX_CHAIN_DEPTH it is a loop (A -> A, A -> B -> A ...). */
export const isLoop = (event: RecordEvent): boolean => event.chain.length >= MAX_CHAIN_DEPTH;
