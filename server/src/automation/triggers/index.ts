import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { TaskList } from 'graphile-worker';
import { loadWorkspace } from '../../workspaces/routes.js';
import type { TriggerDeps } from './deps.js';
import { manualRoutes } from './manual.js';
import { triggersOnPublish } from './publish.js';
import { tick, TICK_CRONTAB, TICK_TASK } from './schedule.js';
import { backfillTime, fireTime, parseTimeJobKey, TIME_BACKFILL_TASK, TIME_TASK, type BackfillPayload, type TimePayload } from './time.js';
import { webhookKeyRoutes, webhookRoutes } from './webhook.js';

export { scheduleTimeJobs } from './time.js';
export type { TriggerDeps } from './deps.js';

/**
 * The triggers that do not come from a record write: time (time.ts),
 * schedule (schedule.ts), manual buttons (manual.ts) and inbound webhooks
 * (webhook.ts). The automation module wires these into its worker, its
 * publish hooks and its routes; the record-write part of time triggers runs
 * in the pump (`scheduleTimeJobs`).
 */
export function automationTriggers(deps: TriggerDeps) {
  const tasks: TaskList = {
    [TIME_TASK]: async (payload) => {
      await fireTime(deps, payload as TimePayload);
    },
    [TIME_BACKFILL_TASK]: async (payload) => {
      await backfillTime(deps, payload as BackfillPayload);
    },
    [TICK_TASK]: async () => {
      await tick(deps);
    },
  };

  /**
   * Test and tool hook: the tick at the clock's minute, then every time job due
   * by the CLOCK (not the database's time, which a test cannot move), executed
   * here: each is claimed by deleting it (graphile_worker.complete_jobs only
   * deletes an unlocked job, so a worker that took it first keeps it) and fired.
   */
  const runDue = async (): Promise<{ runs: number; fired: number }> => {
    const runs = await tick(deps);
    const { rows } = await sql<{ id: string; key: string }>`select id, key from graphile_worker.jobs
      where task_identifier = ${TIME_TASK} and key is not null and locked_at is null and run_at <= ${deps.clock.now()} order by run_at, id`.execute(deps.db);
    let fired = 0;
    for (const job of rows) {
      const p = parseTimeJobKey(job.key);
      if (!p) continue;
      const { rows: claimed } = await sql`select id from graphile_worker.complete_jobs(array[${job.id}]::bigint[])`.execute(deps.db);
      if (claimed.length && (await fireTime(deps, p)) === 'fired') fired++;
    }
    return { runs: runs + fired, fired };
  };

  const routes = async (app: FastifyInstance) => {
    // Public: authenticated by the flow's webhook key, never by a session.
    await app.register(webhookRoutes(deps));
    await app.register(async (scoped) => {
      scoped.addHook('preHandler', loadWorkspace);
      await scoped.register(manualRoutes(deps));
      await scoped.register(webhookKeyRoutes(deps));
    });
  };

  return { tasks, crontab: TICK_CRONTAB, onPublish: triggersOnPublish(deps.clock), routes, tick: () => tick(deps), runDue };
}
