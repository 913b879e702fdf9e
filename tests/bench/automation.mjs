#!/usr/bin/env node
// npm run bench (third part): automations on the 2-core machine.
// (a) Absorbing writes: 10,000 leads created in batches of 500, each matching a 3-step flow (condition, update
//     record, notification): creates/s with automations off and on, and completed runs/s until the backlog drains.
// (b) Latency at a steady 50 writes/s for 20 s: from the write's answer (its commit is before it) to the flow's
//     first step done, p50/p95/p99.
// Prints one JSON line.
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { migrateToLatest } from '../../migrations/dist/index.js';
import { build, openDatabase, createUser, createWorkspace, readTemplate, installTemplate, workspaceFor } from '../../server/dist/index.js';
import { benchDatabase } from './database.mjs';

const RECORDS = Number(process.env.BENCH_AUTOMATION_RECORDS ?? 10_000);
const BATCH = 500;
const RATE = 50;
const STEADY_SECONDS = 20;

const bench = await benchDatabase('crm_bench_auto');
const database = openDatabase(bench.url, { max: 20 });
await migrateToLatest(database.db);
const owner = await createUser(database.db, { email: 'bench@example.com', name: '王经理', password: 'bench-password' });
await createWorkspace(database.db, { slug: 'bench', name: 'Bench', ownerId: owner.id }, {});
const app = await build({ database, remindEveryMs: 0, automation: { recoverEveryMs: 0, ...(process.env.AUTOMATION_CONCURRENCY ? { concurrency: Number(process.env.AUTOMATION_CONCURRENCY) } : {}) } });
const ws = await workspaceFor(database.db, 'bench', owner.id);
await installTemplate(app.services.metadata, ws, { userId: owner.id }, await readTemplate(fileURLToPath(new URL('../../templates/default-crm', import.meta.url))));
// Without automations first: nothing is captured.
await database.db.deleteFrom('crm.automation_captures').execute();
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${app.server.address().port}`;
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }) });
const cookie = login.headers.get('set-cookie').split(';')[0];
const call = async (method, path, body, headers = {}) => {
  const res = await fetch(`${base}/api/w/bench${path}`, { method, headers: { cookie, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
};

async function createBatches(n, tag) {
  const t0 = performance.now();
  for (let i = 0; i < n; i += BATCH) {
    const records = Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => ({ name: `${tag} 线索 ${i + j}`, source: 'website', status: 'new', phone: `139${String(i + j).padStart(8, '0')}` }));
    await call('POST', '/records/leads/batch', { records });
  }
  return performance.now() - t0;
}

// (a) without automations
const offMs = await createBatches(RECORDS, '关');

// The flow: condition, update, notification.
// The default CRM's own automations are switched off: the bench measures one known flow.
let { draftRevision, documents } = await call('GET', '/meta/draft');
for (const d of documents.filter((x) => x.kind === 'flow')) {
  ({ draftRevision } = await call('PUT', `/meta/draft/flow/${d.id}`, { ...d.body, enabled: false }, { 'if-match': `"${draftRevision}"` }));
}
const flow = {
  id: 'flw_bench', schemaVersion: 1, enabled: true, label: { 'zh-CN': '基准流程', en: 'Bench flow' },
  trigger: { kind: 'record', entity: 'leads', on: ['created'] },
  steps: [
    { id: 's1', kind: 'condition', config: { rule: { '==': [{ var: 'source' }, 'website'] } } },
    { id: 's2', kind: 'update_record', config: { values: { status: 'working' } } },
    { id: 's3', kind: 'notify', config: { to: ['owner'], title: '新线索 {{record.name}}' } },
  ],
};
({ draftRevision } = await call('PUT', `/meta/draft/flow/${flow.id}`, flow, { 'if-match': `"${draftRevision}"` }));
const plan = await call('POST', '/meta/plan', {});
await call('POST', '/meta/publish', { planId: plan.planId });

const onStart = performance.now();
const onMs = await createBatches(RECORDS, '开');
const count = async (status) => Number((await database.pool.query(`select count(*)::int as n from crm.automation_runs where status = $1`, [status])).rows[0].n);
let done = 0;
for (;;) {
  done = await count('completed');
  const failed = await count('failed');
  if (done + failed >= RECORDS) break;
  if (performance.now() - onStart > 15 * 60_000) throw new Error(`backlog did not drain: ${done} completed`);
  await new Promise((r) => setTimeout(r, 200));
}
const drainMs = performance.now() - onStart;
const failed = await count('failed');

// (b) latency at a steady rate
const latencies = [];
const pending = [];
const steadyStart = performance.now();
for (let i = 0; i < RATE * STEADY_SECONDS; i++) {
  const due = steadyStart + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  pending.push(call('POST', '/records/leads', { name: `稳态 ${i}`, source: 'website', status: 'new' }).then((r) => ({ id: r.data.id, answeredAt: Date.now() })));
}
const written = await Promise.all(pending);
const ids = written.map((w) => w.id);
for (;;) {
  const { rows } = await database.pool.query(`select r.record_id, s.finished_at from crm.automation_runs r join crm.automation_steps s on s.run_id = r.id and s.key = 's1'
    where r.record_id = any($1::text[]) and s.status = 'done'`, [ids]);
  if (rows.length >= ids.length || performance.now() - steadyStart > 120_000) {
    const at = new Map(rows.map((r) => [r.record_id, r.finished_at.getTime()]));
    for (const w of written) if (at.has(w.id)) latencies.push(Math.max(0, at.get(w.id) - w.answeredAt));
    break;
  }
  await new Promise((r) => setTimeout(r, 200));
}
latencies.sort((a, b) => a - b);
if (process.env.BENCH_DEBUG) {
  const { rows } = await database.pool.query(`select percentile_cont(0.5) within group (order by extract(epoch from r.created_at - l.created_at)) as pump,
      percentile_cont(0.5) within group (order by extract(epoch from r.started_at - r.created_at)) as queue,
      percentile_cont(0.5) within group (order by extract(epoch from s.finished_at - r.started_at)) as step
    from crm.automation_runs r join crm.automation_steps s on s.run_id = r.id and s.key = 's1'
    join ${ws.schemaName}.leads l on l.id::text = r.record_id where r.record_id = any($1::text[])`, [ids]);
  console.error('median seconds', rows[0]);
}
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

const result = {
  machine: { cpus: cpus().length, node: process.version, postgres: process.env.TEST_DATABASE_URL ? 'external' : 'embedded 18' },
  records: RECORDS,
  absorb: {
    createsPerSecOff: Math.round(RECORDS / (offMs / 1000)),
    createsPerSecOn: Math.round(RECORDS / (onMs / 1000)),
    ratio: +((offMs / onMs)).toFixed(2),
    completedRunsPerSec: Math.round(done / (drainMs / 1000)),
    drainSeconds: +(drainMs / 1000).toFixed(1),
    failed,
  },
  latency: { rate: RATE, seconds: STEADY_SECONDS, measured: latencies.length, p50: pct(50), p95: pct(95), p99: pct(99) },
};
result.targets = { createsWithAutomationsAtLeast70pct: result.absorb.ratio >= 0.7, runsPerSecAtLeast300: result.absorb.completedRunsPerSec >= 300, latencyP95Under300ms: result.latency.p95 < 300 };
console.log(JSON.stringify(result));
await app.close();
await database.close();
await bench.stop();
process.exit(0);
