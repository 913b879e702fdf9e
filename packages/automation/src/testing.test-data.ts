import type { Flow, Step } from '@crm/metadata';
import type { RuleSchema } from '@crm/rules';
import type { Effects, EnginePorts, RecordEvent, Row, RunState, StepRecord } from './ports.js';

/** In-memory ports for the engine's unit tests: a record store, a step log, captured mail, notifications and requests. */
export function memoryWorld(opts: { now?: Date; flows?: Flow[]; schema?: RuleSchema } = {}) {
  let now = opts.now ?? new Date('2026-11-23T02:00:00Z');
  const records = new Map<string, Row>();
  const log = new Map<string, Map<string, StepRecord>>();
  const mails: Row[] = [];
  const notes: Row[] = [];
  const requests: Row[] = [];
  let httpScript: (number | Error)[] = [];
  let failNextWrite: Error | undefined;
  const schema: RuleSchema = opts.schema ?? {
    vars: {
      id: { kind: 'uuid' }, name: { kind: 'text' }, status: { kind: 'text', options: ['new', 'working', 'nurturing'] }, amount: { kind: 'decimal' },
      owner_id: { kind: 'uuid' }, email: { kind: 'text' },
    },
  } as unknown as RuleSchema;
  const flows = new Map((opts.flows ?? []).map((f) => [f.id, f]));
  const runLog = (runId: string) => log.get(runId) ?? log.set(runId, new Map()).get(runId)!;
  const key = (entity: string, id: string) => `${entity}:${id}`;
  let seq = 0;

  const effects = (runId: string, stepKey: string, kind: string, staged: (() => void)[]): Effects => ({
    records: {
      get: async (entity, id) => records.get(key(entity, id)) ?? null,
      create: async (entity, values) => {
        const row: Row = { id: `r${++seq}`, version: 1, ...values };
        staged.push(() => records.set(key(entity, String(row.id)), row));
        return row;
      },
      update: async (entity, id, values) => {
        const before = records.get(key(entity, id));
        if (!before) throw new Error('not found');
        const after: Row = { ...before, ...values, version: (before.version as number) + 1 };
        const changed = Object.keys(values).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        staged.push(() => records.set(key(entity, id), after));
        const event: RecordEvent | null = changed.length ? { kind: 'updated', entity, recordId: id, record: after, previous: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])), changed, userId: null, chain: [] } : null;
        return { record: after, event };
      },
      createLinked: async (k, entity, link, v) => {
        const row: Row = { id: `r${++seq}`, version: 1, kind: k, link, ...v };
        staged.push(() => records.set(key(entity, String(row.id)), row));
        return row;
      },
      duplicates: async (entity, record, fields) => [...records.entries()].filter(([k, r]) => k.startsWith(`${entity}:`) && r.id !== record.id && fields.some((f) => r[f] != null && r[f] === record[f])).map(([, r]) => r),
      related: async (entity, field, id) => [...records.entries()].filter(([k, r]) => k.startsWith(`${entity}:`) && r[field] === id).map(([, r]) => r),
      people: async (k, record) => (record?.owner_id ? [{ userId: String(record.owner_id), email: `${String(record.owner_id)}@example.com` }] : []).filter(() => k === 'owner'),
      userEmail: async (u) => `${u}@example.com`,
      roleMembers: async (role) => [{ userId: `u_${role}`, email: `${role}@example.com` }],
    },
    mail: { enqueue: async (m) => { staged.push(() => mails.push(m)); } },
    notify: { send: async (users, n) => { staged.push(() => notes.push({ users, ...n })); } },
    assign: {
      assign: async (_e, record) => { staged.push(() => Object.assign(record, { owner_id: 'u_rr' })); return { ownerId: 'u_rr', reason: 'round robin' }; },
      toPool: async (_e, record) => { staged.push(() => Object.assign(record, { owner_id: null })); },
    },
    startChild: async (flow) => `child-of-${runId}-${flow.id}`,
    complete: async (output, earlier) => {
      staged.push(() => { for (const d of earlier) runLog(runId).set(d.key, { key: d.key, status: 'done', output: d.output, attempts: 1 }); });
      staged.push(() => runLog(runId).set(stepKey, { key: stepKey, status: 'done', output, attempts: 1 }));
      void kind;
    },
  });

  const ports: EnginePorts = {
    clock: { now: () => now },
    timeZone: 'Asia/Shanghai',
    steps: {
      load: async (runId) => new Map(runLog(runId)),
      claim: async (runId, k) => {
        const prev = runLog(runId).get(k);
        const rec: StepRecord = { key: k, status: 'claimed', output: {}, attempts: (prev?.attempts ?? 0) + 1 };
        runLog(runId).set(k, rec);
        return rec;
      },
      complete: async (runId, done) => { for (const d of done) runLog(runId).set(d.key, { key: d.key, status: 'done', output: d.output, attempts: runLog(runId).get(d.key)?.attempts ?? 1 }); },
      wait: async (runId, k, _kind, until, output) => { runLog(runId).set(k, { key: k, status: 'waiting', output: { ...output, until: until.toISOString() }, attempts: 1 }); },
    },
    // A transaction: staged writes apply only if the step (and its completion) succeeded.
    atomically: async (runId, k, kind, fn) => {
      const staged: (() => void)[] = [];
      if (failNextWrite) { const e = failNextWrite; failNextWrite = undefined; throw e; }
      const out = await fn(effects(runId, k, kind, staged));
      for (const s of staged) s();
      return out;
    },
    atomicallyMany: async (runId, fn) => {
      const staged: (() => void)[] = [];
      if (failNextWrite) { const e = failNextWrite; failNextWrite = undefined; throw e; }
      const out = await fn((k, kind) => effects(runId, k, kind, staged));
      for (const s of staged) s();
      return out;
    },
    http: {
      request: async (req) => {
        requests.push(req as unknown as Row);
        const next = httpScript.shift() ?? 200;
        if (next instanceof Error) throw next;
        return { status: next, body: JSON.stringify({ ok: next < 400 }) };
      },
    },
    record: async (entity, id) => records.get(key(entity, id)) ?? null,
    triggered: (event) => [...flows.values()].filter((f) => f.trigger.kind === 'record' && f.trigger.entity === event.entity),
    ruleSchema: () => schema,
    flow: (id) => flows.get(id),
    signingSecret: async () => 'secret',
  };

  return {
    ports, records, mails, notes, requests, log: runLog,
    advance(ms: number) { now = new Date(now.getTime() + ms); },
    http(...script: (number | Error)[]) { httpScript = script; },
    failNextWrite(e: Error) { failNextWrite = e; },
    put(entity: string, row: Row) { records.set(key(entity, String(row.id)), row); },
  };
}

export function flow(steps: Step[], over: Partial<Flow> = {}): Flow {
  return { id: 'flw_t', schemaVersion: 1, label: { en: 'test' }, enabled: true, trigger: { kind: 'record', entity: 'leads', on: ['created'] }, steps, ...over } as Flow;
}

export function runOf(f: Flow, over: Partial<RunState> = {}): RunState {
  return { id: 'run1', workspaceId: 'ws', flow: f, entity: 'leads', recordId: 'l1', trigger: {}, previous: {}, triggeredBy: 'u_rep', chain: [], ...over };
}
