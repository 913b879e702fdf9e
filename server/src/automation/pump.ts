import { sql, type Kysely } from 'kysely';
import { isLoop, matchingFlows, type RecordEvent, type Row } from '@crm/automation';
import type { Flow } from '@crm/metadata';
import type { Clock } from '../infra/clock.js';
import { uuidv7 } from '../infra/ids.js';
import type { WorkspaceContext } from '../context.js';
import type { PublishedMetadata } from '../metadata/cache.js';
import type { RecordsService } from '../records/service.js';
import { automationRuleSchema } from './engine-ports.js';
import type { FlowCatalogue } from './flows.js';
import { scheduleTimeJobs } from './triggers/index.js';

/** Inbox rows taken per pass: one transaction turns them into runs and their jobs. */
const BATCH = 500;
/** Runs per execution job: several jobs let several workers share a burst. */
const RUNS_PER_JOB = 25;

const KINDS: Record<string, RecordEvent['kind']> = { 'record.create': 'created', 'record.update': 'updated', 'record.delete': 'deleted', 'record.restore': 'restored' };

interface AuditRow { id: number; entity: string; record_id: string; action: string; changes: Row; actor_id: string | null; via: { chain?: string[]; by?: string | null } | null }

export interface PumpDeps {
  db: Kysely<any>;
  clock: Clock;
  records: RecordsService;
  flows: FlowCatalogue;
  published(ws: Pick<WorkspaceContext, 'id'>): Promise<PublishedMetadata>;
  /** A workspace context with the rights of the workspace's owner (the pump reads any record to test trigger conditions). */
  systemContext(workspaceId: string): Promise<WorkspaceContext | undefined>;
  /** Queues runs for execution in the given transaction. */
  enqueue(db: Kysely<any>, runIds: string[]): Promise<void>;
}

/**
 * The `automation_pump` job of a workspace: takes inbox rows (skip locked, so
 * several pumps share them), turns each audit row into a record event,
 * matches the published flows, and creates the runs and their execution jobs
 * in the same transaction that removes the inbox rows: an event becomes runs
 * exactly once, even when the process dies in between (the transaction rolls
 * back and the rows wait for the next pump). Returns how many events it took.
 */
export async function pumpWorkspace(deps: PumpDeps, workspaceId: string): Promise<number> {
  const ws = await deps.systemContext(workspaceId);
  if (!ws) return 0;
  const meta = await deps.published(ws);
  const flows = [...(await deps.flows.at(ws.id, meta.revision)).values()].filter((f) => f.enabled);
  return deps.db.transaction().execute(async (tx) => {
    const { rows: taken } = await sql<{ audit_id: number }>`delete from crm.automation_inbox where audit_id in (
        select audit_id from crm.automation_inbox where workspace_id = ${ws.id}::uuid order by audit_id limit ${BATCH} for update skip locked)
      returning audit_id`.execute(tx);
    if (!taken.length) return 0;
    const { rows: audits } = await sql<AuditRow>`select id, entity, record_id, action, changes, actor_id, via from crm.audit_log
      where id = any(${taken.map((t) => t.audit_id)}::bigint[]) order by id`.execute(tx);
    // ---- time triggers (triggers/time.ts): each record's keyed wake-up job is written or removed in this transaction ----
    await scheduleTimeJobs(deps, tx, ws, flows, audits);
    // ---- end time triggers ----
    const recordFlows = flows.filter((f) => f.trigger.kind === 'record' || f.trigger.kind === 'field_changed');
    if (!recordFlows.length) return taken.length;

    // The records as they are now (deleted ones too), read once per entity: conditions are tested on them,
    // with the event's own before-values as `$previous`.
    const current = new Map<string, Row>();
    const byEntity = new Map<string, Set<string>>();
    for (const a of audits) if (recordFlows.some((f) => (f.trigger as { entity?: string }).entity === a.entity)) {
      byEntity.set(a.entity, (byEntity.get(a.entity) ?? new Set()).add(a.record_id));
    }
    for (const [entity, ids] of byEntity) {
      for (const r of await deps.records.rowsForAutomation(ws, entity, [...ids], tx)) current.set(`${entity}:${String(r.id)}`, r);
    }

    const now = deps.clock.now();
    const ctx = { now, timeZone: ws.settings.timeZone, ruleSchema: (e: string) => automationRuleSchema(meta, e) };
    const runs: { id: string; flow: Flow; event: RecordEvent }[] = [];
    for (const a of audits) {
      const kind = KINDS[a.action];
      const record = current.get(`${a.entity}:${a.record_id}`);
      if (!kind || !record) continue;
      const changed = Object.keys(a.changes ?? {}).filter((k) => k !== 'version');
      const previous = Object.fromEntries(changed.map((k) => [k, (a.changes[k] as { from?: unknown })?.from ?? null]));
      const event: RecordEvent = {
        kind, entity: a.entity, recordId: a.record_id, record, previous, changed,
        userId: a.via?.by ?? a.actor_id, chain: a.via?.chain ?? [],
      };
      // An automation's own write that would go past the depth limit was refused in its step; this is the backstop.
      if (isLoop(event)) continue;
      for (const flow of matchingFlows(recordFlows, event, ctx)) runs.push({ id: uuidv7(now.getTime()), flow, event });
    }
    if (!runs.length) return taken.length;
    await sql`insert into crm.automation_runs (id, workspace_id, flow_id, revision, status, entity, record_id, trigger, triggered_by, chain, created_at)
      select x.id, ${ws.id}::uuid, x.flow_id, ${meta.revision}, 'queued', x.entity, x.record_id, x.trigger, x.triggered_by, x.chain, ${now}
      from jsonb_to_recordset(${JSON.stringify(runs.map((r) => ({
        id: r.id, flow_id: r.flow.id, entity: r.event.entity, record_id: r.event.recordId, triggered_by: r.event.userId, chain: r.event.chain,
        trigger: { event: r.event.kind, changed: r.event.changed, previous: r.event.previous, ...(r.event.kind === 'deleted' ? { record: r.event.record } : {}) },
      })))}::jsonb) as x(id uuid, flow_id text, entity text, record_id text, triggered_by uuid, chain text[], trigger jsonb)`.execute(tx);
    for (let i = 0; i < runs.length; i += RUNS_PER_JOB) await deps.enqueue(tx, runs.slice(i, i + RUNS_PER_JOB).map((r) => r.id));
    return taken.length;
  });
}
