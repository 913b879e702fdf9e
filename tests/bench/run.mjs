#!/usr/bin/env node
// npm run bench: the records API against raw `pg` doing the same work (the record
// row plus its audit row in one transaction), in one run on the same PostgreSQL.
// Prints one JSON line. Needs the build (`npm run bench` builds first).
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Worker } from 'node:worker_threads';
import { migrateToLatest } from '../../migrations/dist/index.js';
import { build, openDatabase, createUser, createWorkspace, uuidv7 } from '../../server/dist/index.js';
import { benchDatabase } from './database.mjs';

const CONCURRENCY = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const LIST_ROWS = 100_000;
const REGIONS = ['east', 'south', 'north'];

const bench = await benchDatabase('crm_bench');
const dbUrl = new URL(bench.url);

const database = openDatabase(dbUrl.toString(), { max: 24 });
await migrateToLatest(database.db);
const owner = await createUser(database.db, { email: 'bench@example.com', name: 'Bench', password: 'bench-password' });
const ws = await createWorkspace(database.db, { slug: 'bench', name: 'Bench', ownerId: owner.id }, {});
const app = await build({ database });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${app.server.address().port}`;

const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }) });
const cookie = login.headers.get('set-cookie').split(';')[0];
const api = (method, path, body, headers = {}) =>
  fetch(`${base}/api/w/bench${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

const L = (zh, en) => ({ 'zh-CN': zh, en });
const entity = {
  id: 'ent_deal', key: 'deals', schemaVersion: 1, label: L('商机', 'Deal'), titleField: 'name', ownership: 'owned',
  fields: [
    { id: 'fld_name', key: 'name', type: 'text', label: L('名称', 'Name'), required: true },
    { id: 'fld_region', key: 'region', type: 'select', label: L('区域', 'Region'), indexed: true, options: REGIONS.map((r) => ({ id: `opt_${r}`, key: r, label: L(r, r), active: true })) },
    { id: 'fld_amount', key: 'amount', type: 'currency', label: L('金额', 'Amount'), indexed: true },
  ],
  rules: [],
};
const put = await api('PUT', '/meta/draft/entity/ent_deal', entity, { 'if-match': '"0"' });
if (put.status !== 200) throw new Error(await put.text());
const plan = await (await api('POST', '/meta/plan')).json();
const pub = await api('POST', '/meta/publish', { planId: plan.planId });
if (pub.status !== 200) throw new Error(await pub.text());
const table = `${ws.schemaName}.deals`;
const raw = new pg.Pool({ connectionString: dbUrl.toString(), max: CONCURRENCY });

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2);
};
const stats = (lat, ms) => ({ perSec: +((lat.length / ms) * 1000).toFixed(0), p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), n: lat.length });

async function loop(work) {
  const lat = [];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      const n = i++;
      const s = performance.now();
      await work(n);
      lat.push(performance.now() - s);
    }
  }));
  return stats(lat, performance.now() - t0);
}

const value = (n) => ({ name: `商机 ${n}`, region: REGIONS[n % 3], amount: `${(n % 9973) * 10}.00` });

async function rawCreate(n) {
  const c = await raw.connect();
  try {
    const v = value(n);
    const id = uuidv7();
    await c.query('begin');
    await c.query(`insert into ${table} (id, created_by, updated_by, owner_id, name, region, amount) values ($1, $2, $2, $2, $3, $4, $5)`, [id, owner.id, v.name, v.region, v.amount]);
    await c.query(`insert into crm.audit_log (workspace_id, actor_id, entity, record_id, action, changes) values ($1, $2, 'deals', $3, 'record.create', $4)`, [ws.id, owner.id, id, JSON.stringify({ name: { from: null, to: v.name } })]);
    await c.query('commit');
  } finally {
    c.release();
  }
}

function viaWorker(scenario, extra = {}) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { base, cookie, scenario, seconds: SECONDS, concurrency: CONCURRENCY, regions: REGIONS, ...extra },
    });
    w.once('message', ({ lat, ms }) => resolve(stats(lat, ms)));
    w.once('error', reject);
  });
}

const result = { machine: { cpus: cpus().length, node: process.version, postgres: process.env.TEST_DATABASE_URL ? 'external' : 'embedded 18' }, seconds: SECONDS, concurrency: CONCURRENCY };

// Single create over HTTP vs raw.
// BENCH_ONLY=createApi runs just the API create phase (for profiling the request path).
const only = process.env.BENCH_ONLY;
if (only === 'createApi') {
  console.log(JSON.stringify(await viaWorker('create')));
  process.exit(0);
}
result.createRaw = await loop(rawCreate);
result.createApi = await viaWorker('create');
result.createRatio = +(result.createApi.perSec / result.createRaw.perSec).toFixed(2);

// Batch of 1,000 vs raw multi-row insert + multi-row audit in one transaction.
async function rawBatch(k) {
  const c = await raw.connect();
  try {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: uuidv7(), ...value(k * 1000 + i) }));
    await c.query('begin');
    await c.query(`insert into ${table} (id, created_by, updated_by, owner_id, name, region, amount)
      select id, $2, $2, $2, name, region, amount from jsonb_to_recordset($1::jsonb) as x(id uuid, name text, region text, amount numeric)`, [JSON.stringify(rows), owner.id]);
    await c.query(`insert into crm.audit_log (workspace_id, actor_id, entity, record_id, action, changes)
      select $2, $3, 'deals', id, 'record.create', jsonb_build_object('name', jsonb_build_object('from', null, 'to', name)) from jsonb_to_recordset($1::jsonb) as x(id uuid, name text)`, [JSON.stringify(rows), ws.id, owner.id]);
    await c.query('commit');
  } finally {
    c.release();
  }
}
async function timed(fn, times) {
  const lat = [];
  for (let k = 0; k < times; k++) {
    const s = performance.now();
    await fn(k);
    lat.push(performance.now() - s);
  }
  return { msPerBatch: pct(lat, 50), recordsPerSec: +(1000 / (pct(lat, 50) / 1000)).toFixed(0) };
}
result.batchRaw = await timed(rawBatch, 5);
result.batchApi = await timed(async (k) => {
  const res = await api('POST', '/records/deals/batch', { records: Array.from({ length: 1000 }, (_, i) => value(500_000 + k * 1000 + i)) });
  if (res.status !== 201) throw new Error(`batch ${res.status} ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}, 5);
result.batchRatio = +(result.batchApi.recordsPerSec / result.batchRaw.recordsPerSec).toFixed(2);

// PATCH one field.
const ids = (await raw.query(`select id, version from ${table} order by id limit 20000`)).rows;
const versions = new Map(ids.map((r) => [r.id, r.version]));
result.patchRaw = await loop(async (n) => {
  const id = ids[n % ids.length].id;
  const c = await raw.connect();
  try {
    await c.query('begin');
    await c.query(`update ${table} set amount = $2, version = version + 1, updated_at = now() where id = $1`, [id, `${n}.00`]);
    await c.query(`insert into crm.audit_log (workspace_id, actor_id, entity, record_id, action, changes) values ($1, $2, 'deals', $3, 'record.update', $4)`, [ws.id, owner.id, id, JSON.stringify({ amount: { to: `${n}.00` } })]);
    await c.query('commit');
    versions.set(id, versions.get(id) + 1);
  } finally {
    c.release();
  }
});
// Each HTTP worker request takes the next record, so no request waits on another's row lock.
const fresh = (await raw.query(`select id, version from ${table} order by id desc limit 20000`)).rows;
result.patchApi = await viaWorker('patch', { ids: fresh.map((r) => r.id), versions: fresh.map((r) => r.version) });
result.patchRatio = +(result.patchApi.perSec / result.patchRaw.perSec).toFixed(2);

// List over 100,000 records: filter region = X, sort -amount, limit 50.
const have = Number((await raw.query(`select count(*) from ${table}`)).rows[0].count);
if (have < LIST_ROWS) {
  await raw.query(`insert into ${table} (id, created_by, updated_by, owner_id, name, region, amount)
    select gen_random_uuid(), $1, $1, $1, '商机 ' || g, (array['east','south','north'])[1 + g % 3], (g % 9973) * 10
    from generate_series(1, $2::int) g`, [owner.id, LIST_ROWS - have]);
}
await raw.query(`analyze ${table}`);
result.listRows = Number((await raw.query(`select count(*) from ${table}`)).rows[0].count);
const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'region' }, 'east'] }));
const listLat = [];
for (let i = 0; i < 300; i++) {
  const s = performance.now();
  const res = await api('GET', `/records/deals?filter=${filter}&sort=-amount&limit=50`);
  const body = await res.json();
  if (body.data.length !== 50) throw new Error('list returned ' + body.data.length);
  listLat.push(performance.now() - s);
}
result.listApi = { p50: pct(listLat, 50), p95: pct(listLat, 95), p99: pct(listLat, 99) };
const rawLat = [];
for (let i = 0; i < 300; i++) {
  const s = performance.now();
  await raw.query(`select * from ${table} where deleted_at is null and region = $1 order by amount desc, id limit 50`, ['east']);
  rawLat.push(performance.now() - s);
}
result.listRaw = { p50: pct(rawLat, 50), p95: pct(rawLat, 95), p99: pct(rawLat, 99) };
// Publishing "add one field" on the 100,000-record entity (an ADD COLUMN; target < 1 s).
const withField = { ...entity, fields: [...entity.fields, { id: 'fld_note', key: 'note', type: 'text', label: L('备注', 'Note'), searchable: false }] };
const draftRev = (await (await api('GET', '/meta/draft')).json()).draftRevision;
await api('PUT', '/meta/draft/entity/ent_deal', withField, { 'if-match': `"${draftRev}"` });
let t0 = performance.now();
const plan2 = await (await api('POST', '/meta/plan')).json();
result.planAddFieldMs = +(performance.now() - t0).toFixed(1);
t0 = performance.now();
const pub2 = await api('POST', '/meta/publish', { planId: plan2.planId });
result.publishAddFieldMs = +(performance.now() - t0).toFixed(1);
if (pub2.status !== 200) throw new Error(await pub2.text());

result.targets = {
  createRatio: result.createRatio >= 0.4, patchRatio: result.patchRatio >= 0.4, batchRatio: result.batchRatio >= 0.5, listP95Under20ms: result.listApi.p95 < 20, publishAddFieldUnder1s: result.publishAddFieldMs < 1000,
};

console.log(JSON.stringify(result));
await raw.end();
await app.close();
await database.close();
await bench.stop();
