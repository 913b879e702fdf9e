import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { HttpPort, RunBudget } from '@crm/automation';
import { workspaceFor } from '../workspaces/service.js';
import { openDatabase } from '../infra/db.js';
import type { WorkspaceContext } from '../context.js';
import { TtlCache } from './ttl-cache.js';
import { createSafeHttp, type SafeHttpOptions } from '../net/safe-http.js';
import { FlowCatalogue, syncFlowsOnPublish } from './flows.js';
import { RunStore } from './run-store.js';
import { pumpWorkspace, type PumpDeps } from './pump.js';
import { executeRuns, type RunnerDeps } from './runner.js';
import { AutomationQueue, enqueueRuns, installQueue, recover } from './queue.js';
import { automationRoutes } from './routes.js';
import { dryRunRoutes } from './dry-run.js';
import type { AutomationDeps } from './engine-ports.js';
import { automationTriggers } from './triggers/index.js';

export interface AutomationOptions {
  /** Run the job worker in this process (default on). Off: runs are queued and wait for a process that works them. */
  worker?: boolean;
  concurrency?: number;
  /** Outbound HTTP of HTTP steps and webhooks (tests inject a DNS lookup and allow their loopback receiver). */
  http?: SafeHttpOptions;
  budget?: RunBudget;
  /** How often crashed runs and unpumped inboxes are looked for (ms; 0: only at start). */
  recoverEveryMs?: number;
  /** Owner assignment and the pool, bound to a step's transaction. */
  assign: AutomationDeps['assign'];
  /** Backoff before a failed run's retry `attempt` (default 2 s, 8 s, 32 s ...; tests shorten it). */
  retryDelayMs?: (attempt: number) => number;
  /** How long a runner holds a run before recovery may hand it to another process (default 2 min). */
  leaseMs?: number;
  // ---- triggers (triggers/) ----
  /** Schedule the minutely `automation_tick` through graphile-worker's crontab in this process (default on with the worker). */
  schedules?: boolean;
  /** Inbound webhook calls per flow and minute before 429 (default 600). */
  webhookRatePerMinute?: number;
  // ---- end triggers ----
}

/**
 * Jobs at once in this process: one more than the cores. The worker shares
 * them with the API and PostgreSQL; more would take from interactive writes
 * during a burst (measured: 4 on 2 cores kept 0.69 of the create throughput,
 * 3 kept 0.72 and still drained 350 runs/s).
 */
const defaultConcurrency = () => Math.max(2, availableParallelism() + 1);

/** The same database, with `synchronous_commit = off` for every session of that pool. */
function asyncCommit(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c synchronous_commit=off`.trim());
  return url.toString();
}

async function slugOf(db: Kysely<any>, workspaceId: string): Promise<string | undefined> {
  const row = await db.selectFrom('crm.workspaces').select('slug').where('id', '=', workspaceId).executeTakeFirst();
  return row?.slug as string | undefined;
}

const enqueuePump = async (db: Kysely<any>, workspaceId: string) => {
  await sql`select graphile_worker.add_job('automation_pump', json_build_object('w', ${workspaceId}::uuid))`.execute(db);
};

/**
 * The automation module: keeps flow owners in step at publish, pumps record
 * events into runs, executes runs on graphile-worker, recovers after crashes,
 * and serves the run log. Everything durable lives in PostgreSQL, so any
 * number of server processes can run it side by side.
 */
export interface AutomationHandle {
  queue: AutomationQueue;
  /** Turns a workspace's inbox into runs now (the worker does this on its own; tests and tools call it). */
  pump(workspaceId: string): Promise<number>;
  /** Queues crashed and lost runs again (also on a timer). */
  recover(): Promise<number>;
  /** Executes runs now in this process (a waiting run whose time has come on a moved test clock). */
  runNow(runIds: string[]): Promise<void>;
  // ---- triggers (triggers/) ----
  /** One schedule tick at the clock's minute (the crontab does this every minute); returns the runs it created. */
  tick(): Promise<number>;
  /**
   * Test and tool hook: a tick, then every time-trigger job due by the clock (which tests move; graphile-worker
   * only knows the database's time), executed in this process. Returns the runs created.
   */
  runDue(): Promise<{ runs: number; fired: number }>;
  // ---- end triggers ----
}

export async function automationModule(app: FastifyInstance, opts: AutomationOptions): Promise<AutomationHandle> {
  const { database, clock, metadata, records, mailer } = app.services;
  const db = database.db;
  await installQueue(database.pool);
  metadata.onPublish(syncFlowsOnPublish);
  const flows = new FlowCatalogue(db);
  // Bookkeeping connections that do not wait for the disk at commit (see RunnerDeps.ledger): the step log of pure
  // steps and a run's status. Effects (records, outbox, notifications) commit on the ordinary pool.
  const ledgerDb = openDatabase(asyncCommit(database.connectionString), { max: 4, onError: () => {} });
  app.addHook('onClose', async () => { await ledgerDb.close(); });
  const runs = new RunStore(ledgerDb.db, clock);
  const safe = createSafeHttp(opts.http ?? {});
  const http: HttpPort = {
    request: async (req) => {
      const res = await safe.request({ method: req.method, url: req.url, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
      return { status: res.status, body: res.body.toString('utf8') };
    },
  };
  // Whose rights runs have, looked up at most every few seconds per member (as the request path's access cache
  // does for 30 s): a member deactivated or given other roles is seen by automations within that time.
  const contexts = new TtlCache<WorkspaceContext | undefined>(5_000);
  const memberContext = (workspaceId: string, userId: string) => contexts.get(`${workspaceId}:${userId}`, async () => {
    const slug = await slugOf(db, workspaceId);
    return slug ? workspaceFor(db, slug, userId) : undefined;
  });
  const systemContext = (workspaceId: string) => contexts.get(`${workspaceId}:owner`, async () => {
    const owner = await db.selectFrom('crm.workspace_members').select('user_id').where('workspace_id', '=', workspaceId)
      .where('system_role', '=', 'owner').where('status', '=', 'active').orderBy('created_at').executeTakeFirst();
    return owner ? memberContext(workspaceId, owner.user_id as string) : undefined;
  });
  const pumpDeps: PumpDeps = { db, clock, records, flows, published: (ws) => metadata.published(ws), systemContext, enqueue: (tx, ids) => enqueueRuns(tx, ids) };
  const runnerDeps: RunnerDeps = {
    db, clock, records, mailer, runs, http, flows, memberContext, budget: opts.budget, ledger: ledgerDb.db,
    published: (ws) => metadata.published(ws), assign: opts.assign, enqueue: enqueueRuns,
    mailQueued: () => void mailer.relay().catch(() => undefined),
    ...(opts.retryDelayMs ? { retryDelay: opts.retryDelayMs } : {}),
    ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
  };
  const pump = async (workspaceId: string) => {
    let total = 0;
    for (let n = await pumpWorkspace(pumpDeps, workspaceId); n > 0; n = await pumpWorkspace(pumpDeps, workspaceId)) total += n;
    return total;
  };
  // ---- triggers (triggers/): time, schedule, manual buttons, inbound webhooks ----
  const triggers = automationTriggers({
    db, clock, records, flows, published: (ws) => metadata.published(ws), systemContext, enqueue: (tx, ids) => enqueueRuns(tx, ids),
    webhookRatePerMinute: opts.webhookRatePerMinute ?? 600,
  });
  metadata.onPublish(triggers.onPublish);
  // ---- end triggers ----
  const queue = new AutomationQueue();
  const doRecover = () => recover(db, clock, enqueuePump);
  if (opts.worker !== false) {
    await queue.start({
      pool: database.pool, concurrency: opts.concurrency ?? defaultConcurrency(),
      tasks: {
        automation_pump: async (payload) => { await pump(String((payload as { w?: unknown }).w)); },
        automation_run: async (payload) => { await executeRuns(runnerDeps, ((payload as { runs?: unknown }).runs as string[] | undefined) ?? []); },
        ...triggers.tasks, // triggers/
      },
      ...(opts.schedules !== false ? { crontab: triggers.crontab } : {}), // triggers/: the minutely schedule tick
    });
    await doRecover();
    const every = opts.recoverEveryMs ?? 30_000;
    const timer = every > 0 ? setInterval(() => void doRecover().catch((err) => app.log.warn({ err }, 'automation recovery')), every) : undefined;
    timer?.unref();
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
      await queue.stop();
    });
  }
  await app.register(automationRoutes);
  await app.register(dryRunRoutes, { deps: runnerDeps });
  await app.register(triggers.routes); // triggers/: manual buttons, webhook keys, inbound webhooks
  return { queue, pump, recover: doRecover, runNow: (ids) => executeRuns(runnerDeps, ids), tick: triggers.tick, runDue: triggers.runDue };
}

