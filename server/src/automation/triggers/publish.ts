import type { Flow } from '@crm/metadata';
import type { Clock } from '../../infra/clock.js';
import type { PublishHook } from '../../metadata/service.js';
import type { StoredDocument } from '../../metadata/cache.js';
import { syncSchedules } from './schedule.js';
import { queueBackfill } from './time.js';

const flowsOf = (docs: StoredDocument[]) => docs.filter((d) => d.kind === 'flow').map((d) => d.body as unknown as Flow);
const timeTrigger = (f: Flow | undefined) => (f?.enabled && f.trigger.kind === 'time' ? JSON.stringify(f.trigger) : undefined);

/**
 * The triggers' publish hook (in the publish transaction, next to
 * `syncFlowsOnPublish`): schedule rows for the new revision's schedule flows,
 * and a backfill job for each time trigger that is new, changed, enabled,
 * disabled or gone (see time.ts `backfillTime`: it schedules every existing
 * record's job, or clears the flow's jobs).
 */
export function triggersOnPublish(clock: Clock): PublishHook {
  return async (tx, ws, _actor, _revision, documents, before) => {
    const now = clock.now();
    const flows = flowsOf(documents);
    await syncSchedules(tx, ws.id, flows, now);
    const previous = new Map(flowsOf(before).map((f) => [f.id, timeTrigger(f)]));
    const next = new Map(flows.map((f) => [f.id, timeTrigger(f)]));
    for (const id of new Set([...previous.keys(), ...next.keys()])) {
      const was = previous.get(id);
      const is = next.get(id);
      if (was === is) continue;
      await queueBackfill(tx, { w: ws.id, f: id, since: now.toISOString(), clear: was !== undefined });
    }
  };
}
