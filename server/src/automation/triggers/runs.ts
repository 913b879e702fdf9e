import { sql, type Kysely } from 'kysely';
import type { Row } from '@crm/automation';
import { uuidv7 } from '../../infra/ids.js';

/** Runs per execution job (as the pump queues them). */
const RUNS_PER_JOB = 25;

export interface NewRun {
  flowId: string;
  entity?: string | null;
  recordId?: string | null;
  /** What steps read as `trigger.*` (and the run page shows). */
  trigger: Row;
  triggeredBy: string | null;
  /** Unique per workspace: a second run with the same key is not created (double fires, replays). */
  dedupeKey?: string | null;
}

export interface InsertedRun {
  id: string;
  dedupeKey: string | null;
  /** false: a run with this dedupe key existed already; `id` is that run's. */
  created: boolean;
}

/**
 * Creates runs of one workspace and revision, and queues the new ones, in the
 * caller's transaction (a run and its job commit together). A run whose
 * dedupe key is taken is not created again: its existing id comes back.
 */
export async function insertRuns(tx: Kysely<any>, workspaceId: string, revision: number, now: Date, runs: NewRun[],
  enqueue: (db: Kysely<any>, runIds: string[]) => Promise<void>): Promise<InsertedRun[]> {
  if (!runs.length) return [];
  const rows = runs.map((r) => ({
    id: uuidv7(now.getTime()), flow_id: r.flowId, entity: r.entity ?? null, record_id: r.recordId ?? null, trigger: r.trigger,
    triggered_by: r.triggeredBy, dedupe_key: r.dedupeKey ?? null,
  }));
  const { rows: made } = await sql<{ id: string }>`insert into crm.automation_runs
      (id, workspace_id, flow_id, revision, status, entity, record_id, trigger, triggered_by, chain, dedupe_key, created_at)
    select x.id, ${workspaceId}::uuid, x.flow_id, ${revision}, 'queued', x.entity, x.record_id, x.trigger, x.triggered_by, '{}', x.dedupe_key, ${now}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(id uuid, flow_id text, entity text, record_id text, trigger jsonb, triggered_by uuid, dedupe_key text)
    on conflict (workspace_id, dedupe_key) where dedupe_key is not null do nothing
    returning id`.execute(tx);
  const createdIds = new Set(made.map((m) => m.id));
  const missing = rows.filter((r) => !createdIds.has(r.id) && r.dedupe_key).map((r) => r.dedupe_key!);
  const existing = new Map<string, string>();
  if (missing.length) {
    const { rows: found } = await sql<{ id: string; dedupe_key: string }>`select id, dedupe_key from crm.automation_runs
      where workspace_id = ${workspaceId}::uuid and dedupe_key = any(${missing}::text[])`.execute(tx);
    for (const f of found) existing.set(f.dedupe_key, f.id);
  }
  const fresh = rows.filter((r) => createdIds.has(r.id)).map((r) => r.id);
  for (let i = 0; i < fresh.length; i += RUNS_PER_JOB) await enqueue(tx, fresh.slice(i, i + RUNS_PER_JOB));
  return rows.map((r) => createdIds.has(r.id)
    ? { id: r.id, dedupeKey: r.dedupe_key, created: true }
    : { id: existing.get(r.dedupe_key ?? '') ?? r.id, dedupeKey: r.dedupe_key, created: false });
}
