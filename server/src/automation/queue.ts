import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { Logger, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import type { Clock } from '../infra/clock.js';

/** graphile-worker's own tables (schema graphile_worker), installed before anything can queue a job. */
export async function installQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quietLogger });
}

// Per-job INFO lines would be most of the log; errors are printed (the outage tests provoke them on purpose, and
// assert the outcome instead, so they are not printed under the test runner).
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' && !process.env.VITEST) console.error(`[automation] ${message}`);
});

/**
 * Queues execution of runs: one `automation_run` job per call, in the
 * caller's transaction (so a run and its job commit together); `runAt` for
 * delays and retries, keyed by the run so a waiting run has one wake-up job.
 */
export async function enqueueRuns(db: Kysely<any>, runIds: string[], runAt?: Date | { afterMs: number }): Promise<void> {
  if (!runIds.length) return;
  const payload = JSON.stringify({ runs: runIds });
  // `afterMs`: a backoff, measured on the database's clock (elapsed time, whatever the business clock says).
  if (runAt && !(runAt instanceof Date) && runIds.length === 1) {
    await sql`select graphile_worker.add_job('automation_run', ${payload}::json, run_at := now() + make_interval(secs => ${runAt.afterMs / 1000}),
      job_key := ${`automation_run:${runIds[0]}`}, max_attempts := 10)`.execute(db);
  } else if (runAt instanceof Date && runIds.length === 1) {
    await sql`select graphile_worker.add_job('automation_run', ${payload}::json, run_at := ${runAt}, job_key := ${`automation_run:${runIds[0]}`}, max_attempts := 10)`.execute(db);
  } else {
    await sql`select graphile_worker.add_job('automation_run', ${payload}::json, run_at := ${runAt instanceof Date ? runAt : null}, max_attempts := 10)`.execute(db);
  }
}

export interface QueueOptions {
  pool: pg.Pool;
  /** Jobs run at once in this process. */
  concurrency: number;
  tasks: TaskList;
  /** graphile-worker crontab lines (the schedule triggers' minutely tick; one job per minute across all processes). */
  crontab?: string;
}

/** The in-process worker. Any number of server processes run one each; graphile-worker hands every job to exactly one. */
export class AutomationQueue {
  private runner?: Runner;

  async start(opts: QueueOptions): Promise<void> {
    this.runner = await run({
      pgPool: opts.pool, concurrency: opts.concurrency, noHandleSignals: true, pollInterval: 2_000, logger: quietLogger, taskList: opts.tasks,
      ...(opts.crontab ? { crontab: opts.crontab } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
  }
}

/**
 * After a crash or a database outage: runs whose runner died (lease over),
 * queued or waiting runs overdue by a minute (their job was lost with its
 * worker), and inbox rows nobody pumped get queued again. Claims make a
 * second queueing harmless.
 */
export async function recover(db: Kysely<any>, clock: Clock, enqueuePump: (db: Kysely<any>, workspaceId: string) => Promise<void>): Promise<number> {
  const now = clock.now();
  // Due a minute ago and still not picked up: the job went down with its worker (or never committed its run).
  const overdue = new Date(now.getTime() - 60_000);
  const { rows: stale } = await sql<{ id: string }>`select id from crm.automation_runs
    where (status = 'running' and lease_until < ${now})
       or (status in ('queued', 'waiting') and coalesce(wake_at, created_at) < ${overdue})
    limit 1000`.execute(db);
  if (stale.length) await enqueueRuns(db, stale.map((r) => r.id));
  const { rows: inboxes } = await sql<{ workspace_id: string }>`select distinct workspace_id from crm.automation_inbox`.execute(db);
  for (const w of inboxes) await enqueuePump(db, w.workspace_id);
  return stale.length;
}
