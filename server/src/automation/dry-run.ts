import type { FastifyInstance } from 'fastify';
import { sql, type Transaction } from 'kysely';
import { executeRun, matchingFlows, MAX_CHAIN_DEPTH, type RecordEvent, type Row, type RunState, type StepLog, type StepRecord } from '@crm/automation';
import type { Flow } from '@crm/metadata';
import { AppError } from '../errors/app-error.js';
import { uuidv7 } from '../infra/ids.js';
import type { Caller } from '../records/service.js';
import { loadWorkspace, requireRole } from '../workspaces/routes.js';
import { automationRuleSchema, enginePorts, type PortOverrides } from './engine-ports.js';
import type { RunnerDeps } from './runner.js';

export interface DryRunInput {
  entity: string;
  recordId?: string;
  event?: RecordEvent['kind'];
  values?: Row;
  /** Start with this flow only (published, enabled or not); the cascade follows every enabled flow. */
  flow?: string;
}

interface DryWrite { entity: string; id: string; action: string; changes: Row }
interface DryStep {
  key: string; kind: string; status: 'done' | 'stopped' | 'failed' | 'skipped_wait'; output: Row; error?: Row;
  writes: DryWrite[]; mails: Row[]; requests: Row[]; notifications: Row[]; delayedMs?: number;
}
interface DryRun { flow: string; label: Flow['label'] | null; depth: number; recordId: string | null; status: string; error?: Row; steps: DryStep[] }

/** Thrown at the end to roll everything back, carrying the report out. */
class RolledBack extends Error {
  constructor(readonly report: { runs: DryRun[]; totals: Row }) {
    super('dry run');
  }
}

const KINDS: Record<string, RecordEvent['kind']> = { 'record.create': 'created', 'record.update': 'updated', 'record.delete': 'deleted', 'record.restore': 'restored' };
const MAX_RUNS = 50;

/**
 * The whole cascade, tried: the chosen change is made, every flow it starts
 * runs step by step with a simulated clock (delays are skipped and
 * reported), mail, notifications and requests are captured instead of made,
 * and the flows those runs' writes start run in turn, all inside ONE
 * transaction that is rolled back at the end: afterwards the tables, the
 * counters, the job queue and the outbox are as they were.
 */
export async function dryRun(deps: RunnerDeps, caller: Caller, input: DryRunInput): Promise<{ runs: DryRun[]; totals: Row }> {
  const meta = await deps.published(caller.ws);
  const flows = await deps.flows.at(caller.ws.id, meta.revision);
  if (input.flow && !flows.has(input.flow)) throw new AppError('CRM_ERR_NOT_FOUND');
  try {
    await deps.db.transaction().execute(async (tx) => {
      const { rows: [mark] } = await sql<{ id: number | null }>`select max(id) as id from crm.audit_log`.execute(tx);
      const since = mark?.id ?? 0;
      const first = await initialEvent(deps, { ...caller, tx }, input);
      const runs: DryRun[] = [];
      const queue: { event: RecordEvent; depth: number; only?: Flow }[] = [{ event: first, depth: 0, ...(input.flow ? { only: flows.get(input.flow)! } : {}) }];
      const ctx = { now: deps.clock.now(), timeZone: caller.ws.settings.timeZone, ruleSchema: (e: string) => automationRuleSchema(meta, e) };
      while (queue.length && runs.length < MAX_RUNS) {
        const { event, depth, only } = queue.shift()!;
        const started = only ? (matchingFlows([{ ...only, enabled: true }], event, ctx)) : matchingFlows(flows.values(), event, ctx);
        for (const flow of started) {
          if (depth >= MAX_CHAIN_DEPTH) {
            runs.push({ flow: flow.id, label: flow.label, depth, recordId: event.recordId, status: 'failed', error: { code: 'loop_detected', message: 'the chain of automations goes past its depth limit' }, steps: [] });
            continue;
          }
          const { run, next } = await simulate(deps, tx, since, caller, flows, flow, event, depth);
          runs.push(run);
          for (const n of next) queue.push({ ...n, depth: depth + 1 });
        }
      }
      const steps = runs.flatMap((r) => r.steps);
      throw new RolledBack({
        runs,
        totals: {
          runs: runs.length, steps: steps.length, writes: steps.reduce((n, s) => n + s.writes.length, 0), mails: steps.reduce((n, s) => n + s.mails.length, 0),
          requests: steps.reduce((n, s) => n + s.requests.length, 0), notifications: steps.reduce((n, s) => n + s.notifications.length, 0),
        },
      });
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.report;
    throw err;
  }
  throw new Error('unreachable: the dry run always rolls back');
}

/** The chosen change, made with the caller's own rights (so a record they may not read is not found). */
async function initialEvent(deps: RunnerDeps, c: Caller, input: DryRunInput): Promise<RecordEvent> {
  const base = { entity: input.entity, userId: c.userId, chain: [] as string[] };
  if (!input.recordId) {
    const record = (await deps.records.create(c, input.entity, input.values ?? {})).record as Row;
    return { ...base, kind: 'created', recordId: String(record.id), record, previous: {}, changed: Object.keys(input.values ?? {}) };
  }
  const before = (await deps.records.get(c, input.entity, input.recordId)) as Row;
  const kind = input.event ?? 'updated';
  if (kind === 'updated' && input.values && Object.keys(input.values).length) {
    const after = (await deps.records.update(c, input.entity, input.recordId, input.values, before.version as number)) as Row;
    const changed = Object.keys(input.values).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
    return { ...base, kind, recordId: input.recordId, record: after, previous: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])), changed };
  }
  return { ...base, kind, recordId: input.recordId, record: before, previous: {}, changed: kind === 'created' ? Object.keys(before) : [] };
}

async function simulate(deps: RunnerDeps, tx: Transaction<any>, since: number, caller: Caller, flows: Map<string, Flow>, flow: Flow, event: RecordEvent, depth: number) {
  const runId = uuidv7(deps.clock.now().getTime());
  const owner = (await deps.flows.owner(caller.ws.id, flow.id)) ?? caller.userId;
  const ws = (await deps.memberContext(caller.ws.id, owner)) ?? caller.ws;
  const run: RunState = {
    id: runId, workspaceId: caller.ws.id, flow, entity: event.entity, recordId: event.recordId,
    trigger: { event: event.kind, changed: event.changed, previous: event.previous, record: event.record }, previous: event.previous, triggeredBy: event.userId, chain: event.chain,
  };
  let now = deps.clock.now();
  const log = new Map<string, StepRecord>();
  const report = new Map<string, DryStep>();
  const order: string[] = [];
  const at = (key: string, kind = '') => {
    let s = report.get(key);
    if (!s) {
      s = { key, kind, status: 'done', output: {}, writes: [], mails: [], requests: [], notifications: [] };
      report.set(key, s);
      order.push(key);
    }
    if (kind) s.kind = kind;
    return s;
  };
  let current = '';
  const steps: StepLog = {
    load: async () => new Map(log),
    claim: async (_r, key, kind) => { current = key; at(key, kind); const rec: StepRecord = { key, status: 'claimed', output: {}, attempts: 1 }; log.set(key, rec); return rec; },
    complete: async (_r, done) => { for (const d of done) { at(d.key, d.kind).output = d.output; log.set(d.key, { key: d.key, status: 'done', output: d.output, attempts: 1 }); } },
    wait: async (_r, key, kind, until, output) => { const s = at(key, kind); s.status = 'skipped_wait'; s.delayedMs = until.getTime() - now.getTime(); log.set(key, { key, status: 'waiting', output: { ...output, until: until.toISOString() }, attempts: 1 }); },
  };
  // What this run sets off: the events of its writes, and the flows it calls (run on the same event).
  const next: { event: RecordEvent; only?: Flow }[] = [];
  let savepoints = 0;
  const over: PortOverrides = {
    db: tx,
    clock: { now: () => now },
    steps,
    // Each step in a savepoint: a step that fails leaves nothing, as its transaction would.
    transact: async (fn) => {
      const name = sql.raw(`dry_${++savepoints}`);
      await sql`savepoint ${name}`.execute(tx);
      try {
        const out = await fn(tx);
        await sql`release savepoint ${name}`.execute(tx);
        return out;
      } catch (err) {
        await sql`rollback to savepoint ${name}`.execute(tx);
        throw err;
      }
    },
    http: { request: async (req) => { at(current).requests.push({ ...req }); return { status: 200, body: '{}' }; } },
    effects: (fx, key, kind) => {
      current = key;
      at(key, kind);
      return {
        ...fx,
        mail: { enqueue: async (m) => { at(key).mails.push({ to: m.to, subject: m.subject, text: m.text, messageId: m.messageId }); } },
        notify: { send: async (users, n) => { at(key).notifications.push({ users, title: n.title, body: n.body }); } },
        startChild: async (child) => {
          next.push({ event: { ...event, chain: [...run.chain, flow.id] }, only: child });
          return `dry:${child.id}`;
        },
        complete: async (output, earlier) => {
          await steps.complete(runId, earlier);
          at(key).output = output;
          log.set(key, { key, status: 'done', output, attempts: 1 });
          // What this step wrote, read back from its audit rows (they name the run and the step).
          const { rows } = await sql<{ entity: string; record_id: string; action: string; changes: Row }>`select entity, record_id, action, changes from crm.audit_log
            where id > ${since} and via ->> 'run' = ${runId} and via ->> 'step' = ${key} order by id`.execute(tx);
          for (const r of rows) {
            at(key).writes.push({ entity: r.entity, id: r.record_id, action: r.action.replace(/^record\./, ''), changes: r.changes });
            const kind = KINDS[r.action];
            const record = kind ? (await deps.records.rowsForAutomation(caller.ws, r.entity, [r.record_id], tx))[0] : undefined;
            if (!kind || !record) continue;
            const changed = Object.keys(r.changes ?? {}).filter((k) => k !== 'version');
            next.push({ event: {
              kind, entity: r.entity, recordId: r.record_id, record, changed, userId: run.triggeredBy, chain: [...run.chain, flow.id],
              previous: Object.fromEntries(changed.map((k) => [k, (r.changes[k] as { from?: unknown })?.from ?? null])),
            } });
          }
        },
      };
    },
  };
  const ports = await enginePorts(deps, run, { ws, ownerId: owner, revision: 0, flows }, over);
  let result = await executeRun(run, ports, deps.budget);
  // Delays are skipped (and reported): the simulated clock jumps to the wake-up time and the run goes on.
  for (let hops = 0; result.status === 'waiting' && hops < 100; hops++) {
    now = result.until;
    result = await executeRun(run, ports, deps.budget);
  }
  const out: DryRun = { flow: flow.id, label: flow.label, depth, recordId: event.recordId, status: result.status, steps: order.map((k) => report.get(k)!) };
  if (result.status === 'failed') {
    out.error = { code: result.error.code, message: result.error.message, ...result.error.detail };
    const s = at(result.key);
    s.status = 'failed';
    s.error = out.error;
  }
  if (result.status === 'stopped') at(result.key).status = 'stopped';
  return { run: out, next };
}

const DESIGNERS = ['owner', 'admin', 'designer'] as const;
const EVENTS = ['created', 'updated', 'deleted', 'restored'];

/** `POST /api/w/:ws/automation/dry-run`: the report of what would happen; nothing is written or sent. */
export async function dryRunRoutes(app: FastifyInstance, opts: { deps: RunnerDeps }) {
  app.addHook('preHandler', loadWorkspace);
  app.addHook('preHandler', async (request) => {
    requireRole(request, DESIGNERS);
  });
  app.post<{ Body: DryRunInput }>('/api/w/:ws/automation/dry-run', {
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['entity'],
        properties: {
          entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' }, recordId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
          event: { type: 'string', enum: EVENTS }, values: { type: 'object', maxProperties: 100 }, flow: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,63}$' },
        },
      },
    },
  }, async (request) => ({ data: await dryRun(opts.deps, { ws: request.workspace!, userId: request.user!.id, ip: request.ip }, request.body) }));
}
