import { sql, type Kysely } from 'kysely';
import { executeRun, failedStepKey, stepAtKey, DEFAULT_BUDGET, type RunBudget, type RunState, type Row } from '@crm/automation';
import { AppError } from '../errors/app-error.js';
import type { WorkspaceContext } from '../context.js';
import { enginePorts, type AutomationDeps } from './engine-ports.js';
import type { FlowCatalogue } from './flows.js';

/** Transient failures (database, network, 5xx) are retried this many times, with backoff, before the run lands in the failed list. */
export const MAX_RUN_ATTEMPTS = 5;
/** How long a runner holds a run before a recovery sweep may give it to another (a dead process). */
export const LEASE_MS = 2 * 60_000;
export const retryDelayMs = (attempt: number) => Math.min(60 * 60_000, 2_000 * 4 ** (attempt - 1));

export interface RunnerDeps extends AutomationDeps {
  flows: FlowCatalogue;
  /** The workspace with the rights of one member (the flow owner), or undefined when they are no longer an active member. */
  memberContext(workspaceId: string, userId: string): Promise<WorkspaceContext | undefined>;
  budget?: RunBudget;
  /** Called after a run that queued mail, so the relay sends it now rather than at its next tick. */
  mailQueued?(): void;
  /** Backoff before retry `attempt` (tests shorten it). */
  retryDelay?(attempt: number): number;
  /** How long a claimed run is held (default LEASE_MS; the crash test shortens it). */
  leaseMs?: number;
  /**
   * Where a run's bookkeeping goes (claiming it, its final status): commits
   * that need not wait for the disk, since losing one in a crash only means
   * the run is picked up again and replays its log. Defaults to `db`.
   */
  ledger?: Kysely<any>;
}

interface RunRow {
  id: string; workspace_id: string; flow_id: string; revision: number; entity: string | null; record_id: string | null;
  trigger: Row; triggered_by: string | null; chain: string[]; attempts: number; started_at: Date | null; fresh: boolean;
}

const errorJson = (code: string, message: string, detail: Row = {}) => JSON.stringify({ code, message, ...detail });

/** What a run ended with; written for the whole job in one statement (see `executeRuns`). */
interface Outcome {
  id: string; status: string; acted_as: string | null; finished_at: Date | null; error: string | null; wake_at: Date | null; attempts: number; failed_step: string | null;
  /** Queue it again at this time (a delay), or after this backoff (a retry), once its status is written. */
  requeueAt?: Date | { afterMs: number };
}

/**
 * Runs queued runs one after the other. They are claimed together first (a
 * run is never executed by two runners at once) and their outcomes written
 * together at the end: one statement each way for the whole job, on the
 * bookkeeping connection (a crash before the outcomes are written only means
 * the runs are picked up again and replay their logs).
 */
export async function executeRuns(deps: RunnerDeps, runIds: readonly string[]): Promise<void> {
  if (!runIds.length) return;
  const ledger = deps.ledger ?? deps.db;
  const now = deps.clock.now();
  // `fresh`: never started before (its step log is empty, no need to read it), told by the rows as they were.
  const { rows } = await sql<RunRow>`update crm.automation_runs r set status = 'running', started_at = coalesce(r.started_at, ${now}),
      lease_until = ${new Date(now.getTime() + (deps.leaseMs ?? LEASE_MS))}, wake_at = null
    from (select id, started_at is null as fresh from crm.automation_runs where id = any(${[...runIds]}::uuid[]) order by id for update) was
    where r.id = was.id and (r.status in ('queued', 'waiting') or (r.status = 'running' and r.lease_until < ${now}))
    returning r.id, r.workspace_id, r.flow_id, r.revision, r.entity, r.record_id, r.trigger, r.triggered_by, r.chain, r.attempts, r.started_at, was.fresh`.execute(ledger);
  const order = new Map(runIds.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const outcomes: Outcome[] = [];
  let mail = false;
  const lease = deps.leaseMs ?? LEASE_MS;
  let leased = now.getTime();
  try {
    for (const [i, run] of rows.entries()) {
      // A slow job keeps its remaining runs: past half the lease, it is extended for them (else recovery would hand
      // them to another runner while they wait their turn here).
      const at = deps.clock.now().getTime();
      if (at - leased > lease / 2) {
        await sql`update crm.automation_runs set lease_until = ${new Date(at + lease)} where id = any(${rows.slice(i).map((r) => r.id)}::uuid[]) and status = 'running'`.execute(ledger);
        leased = at;
      }
      const { outcome, sendsMail } = await executeOne(deps, run);
      outcomes.push(outcome);
      mail ||= sendsMail;
    }
  } finally {
    if (outcomes.length) {
      await sql`update crm.automation_runs r set status = o.status, acted_as = o.acted_as, finished_at = o.finished_at, lease_until = null,
          error = o.error::jsonb, wake_at = o.wake_at, attempts = o.attempts, failed_step = o.failed_step
        from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
          as o(id uuid, status text, acted_as uuid, finished_at timestamptz, error text, wake_at timestamptz, attempts int, failed_step text)
        where r.id = o.id`.execute(ledger);
      for (const o of outcomes) if (o.requeueAt) await deps.enqueue(deps.db, [o.id], o.requeueAt);
    }
  }
  if (mail) deps.mailQueued?.();
}

async function executeOne(deps: RunnerDeps, run: RunRow): Promise<{ outcome: Outcome; sendsMail: boolean }> {
  // Both looked up through short-lived caches (FlowCatalogue.owner, the module's memberContext): a job's runs share them.
  const owner = await deps.flows.owner(run.workspace_id, run.flow_id);
  const ws = owner ? await deps.memberContext(run.workspace_id, owner) : undefined;
  const actedAs = ws ? owner : null;
  const end = (status: string, o: Partial<Outcome> = {}): { outcome: Outcome; sendsMail: boolean } => ({
    sendsMail: !!flow && flowSendsMail(flow.steps),
    outcome: {
      id: run.id, status, acted_as: actedAs, finished_at: ['completed', 'stopped', 'failed'].includes(status) ? deps.clock.now() : null,
      error: null, wake_at: null, attempts: run.attempts, failed_step: null, ...o,
    },
  });
  const flows = await deps.flows.at(run.workspace_id, run.revision);
  const flow = flows.get(run.flow_id);
  if (!flow || !ws) {
    return end('failed', { error: flow ? errorJson('owner_inactive', 'the flow\'s owner is no longer an active member: publish the flow again to own it') : errorJson('unknown_flow', `flow ${run.flow_id} is not in revision ${run.revision}`) });
  }
  const state: RunState = {
    id: run.id, workspaceId: run.workspace_id, flow, ...(run.entity ? { entity: run.entity } : {}), ...(run.record_id ? { recordId: run.record_id } : {}),
    trigger: run.trigger ?? {}, previous: (run.trigger?.previous as Row | undefined) ?? {}, triggeredBy: run.triggered_by, chain: run.chain ?? [],
    fresh: run.fresh,
  };
  const ports = await enginePorts(deps, state, { ws, ownerId: owner!, revision: run.revision, flows });
  const kindAt = (key: string) => stepAtKey(flow.steps, key)?.kind ?? 'unknown';
  // A failed step: retried with backoff when trying again can help (database, network, 5xx, a version moved
  // under us), else (a refused write, a 4xx, a loop) at once into the failed list, with one-click retry from it.
  const failed = async (key: string, code: string, message: string, detail: Row, retryable: boolean) => {
    const attempts = run.attempts + 1;
    await deps.runs.fail(run.id, key, kindAt(key), { code, message, attempt: attempts, ...detail }).catch(() => undefined);
    if (retryable && attempts < MAX_RUN_ATTEMPTS) {
      const backoff = (deps.retryDelay ?? retryDelayMs)(attempts);
      const at = new Date(deps.clock.now().getTime() + backoff);
      return end('queued', { attempts, wake_at: at, requeueAt: { afterMs: backoff }, error: errorJson('retrying', message, { attempt: attempts, cause: code }), failed_step: key || null });
    }
    return end('failed', { attempts, error: errorJson(code, message, { ...detail, attempts }), failed_step: key || null });
  };
  try {
    const result = await executeRun(state, ports, deps.budget ?? DEFAULT_BUDGET);
    if (result.status === 'completed' || result.status === 'stopped') return end(result.status);
    if (result.status === 'waiting') return end('waiting', { wake_at: result.until, requeueAt: result.until });
    return await failed(result.key, result.error.code, result.error.message, result.error.detail, result.error.retry);
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    // Refused by the database for what it is, not for the moment (bad data, a constraint, a broken statement): final too.
    const sqlClass = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code.slice(0, 2) : '';
    const refused = (err instanceof AppError && err.status < 500 && err.status !== 409) || ['22', '23', '42'].includes(sqlClass);
    return failed(failedStepKey(err), typeof code === 'string' ? code : 'error', err instanceof Error ? err.message : String(err),
      err instanceof AppError ? { params: err.params, details: err.details } : {}, !refused);
  }
}

const flowSendsMail = (steps: { kind: string; branches?: { steps: unknown[] }[] }[]): boolean =>
  steps.some((s) => s.kind === 'send_email' || (s.branches ?? []).some((b) => flowSendsMail(b.steps as never)));

/**
 * Puts a failed run back in the queue at the step that failed: steps already
 * done stay done (their effects are not repeated), the failed one runs again.
 */
export async function retryRun(db: Kysely<any>, workspaceId: string, runId: string, enqueue: AutomationDeps['enqueue']): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string }>`update crm.automation_runs set status = 'queued', attempts = 0, error = null, finished_at = null
      where id = ${runId}::uuid and workspace_id = ${workspaceId}::uuid and status = 'failed' returning id`.execute(tx);
    if (!rows.length) return false;
    await sql`delete from crm.automation_steps where run_id = ${runId}::uuid and status = 'failed'`.execute(tx);
    await enqueue(tx, [runId]);
    return true;
  });
}
