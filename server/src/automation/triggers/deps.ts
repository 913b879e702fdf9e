import type { Kysely } from 'kysely';
import type { Flow, Trigger } from '@crm/metadata';
import type { Clock } from '../../infra/clock.js';
import type { WorkspaceContext } from '../../context.js';
import type { PublishedMetadata } from '../../metadata/cache.js';
import type { RecordsService } from '../../records/service.js';
import type { FlowCatalogue } from '../flows.js';

/** What the time, schedule, manual and webhook triggers need from the automation module. */
export interface TriggerDeps {
  db: Kysely<any>;
  clock: Clock;
  records: RecordsService;
  flows: FlowCatalogue;
  published(ws: Pick<WorkspaceContext, 'id'>): Promise<PublishedMetadata>;
  /** The workspace with its owner's rights (reads any record to test trigger conditions), or undefined. */
  systemContext(workspaceId: string): Promise<WorkspaceContext | undefined>;
  /** Queues runs for execution in the given transaction. */
  enqueue(db: Kysely<any>, runIds: string[]): Promise<void>;
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
