import type { Flow, Trigger } from '@crm/metadata';
import type { WorkspaceContext } from '../../context.js';
import type { PumpDeps } from '../pump.js';

/** What the time, schedule, manual and webhook triggers need from the automation module: the pump's, and a rate. */
export interface TriggerDeps extends PumpDeps {
  /** Inbound webhook calls per flow and minute (default 600). */
  webhookRatePerMinute: number;
}

export type TriggerOf<K extends Trigger['kind']> = Extract<Trigger, { kind: K }>;

export const triggerIs = <K extends Trigger['kind']>(f: Flow | undefined, kind: K): f is Flow & { trigger: TriggerOf<K> } => f?.trigger.kind === kind;

/** The published, enabled flow `flowId` of the workspace with a trigger of `kind`, and the revision it is in. */
export async function publishedFlow<K extends Trigger['kind']>(deps: Pick<TriggerDeps, 'published' | 'flows'>, ws: Pick<WorkspaceContext, 'id'>, flowId: string, kind: K) {
  const meta = await deps.published(ws);
  const flow = (await deps.flows.at(ws.id, meta.revision)).get(flowId);
  return flow?.enabled && triggerIs(flow, kind) ? { flow, meta } : undefined;
}
