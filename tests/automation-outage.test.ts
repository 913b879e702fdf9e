import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '@crm/migrations';
import { build, createUser, createWorkspace, installTemplate, openDatabase, openEmbeddedCluster, readTemplate, workspaceFor, type Database, type EmbeddedCluster } from '@crm/server';
import type { FastifyInstance } from 'fastify';
import { until } from './support/flows.js';

const TEMPLATE = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

/**
 * A database restart with automations under way (SECURITY-CASES 48): jobs
 * wait while it is down, then run; no run and no write is lost. A cluster
 * of its own, so stopping it disturbs no other test file.
 */
describe('automations across a database restart', () => {
  let dir: string;
  let cluster: EmbeddedCluster;
  let database: Database;
  let app: FastifyInstance;
  let worker: FastifyInstance | undefined;
  let cookie = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-auto-outage-'));
    cluster = await openEmbeddedCluster({ dir });
    await cluster.start();
    database = openDatabase(cluster.connectionString('postgres'), { max: 6, onError: () => {} });
    await migrateToLatest(database.db);
    // This app writes and queues; the runs wait for a process with a worker (started after the restart).
    app = await build({ database, remindEveryMs: 0, automation: { worker: false } });
    const owner = await createUser(database.db, { email: 'owner@example.com', name: '王经理', password: 'owner-password-1' });
    await createWorkspace(database.db, { slug: 'acme', name: 'Acme', ownerId: owner.id }, {});
    const ws = (await workspaceFor(database.db, 'acme', owner.id))!;
    await installTemplate(app.services.metadata, ws, { userId: owner.id }, await readTemplate(TEMPLATE));
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owner@example.com', password: 'owner-password-1' } });
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const api = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method, url: `/api/w/acme${url}`, payload: payload as object, headers: { cookie, ...headers } });
    // Only this flow: the default ones are switched off.
    const draft = (await api('GET', '/meta/draft')).json();
    let rev = draft.draftRevision as number;
    for (const d of draft.documents.filter((x: { kind: string }) => x.kind === 'flow')) {
      rev = (await api('PUT', `/meta/draft/flow/${d.id}`, { ...d.body, enabled: false }, { 'if-match': `"${rev}"` })).json().draftRevision;
    }
    rev = (await api('PUT', '/meta/draft/flow/flw_later', {
      id: 'flw_later', schemaVersion: 1, enabled: true, label: { en: 'Later' },
      trigger: { kind: 'record', entity: 'leads', on: ['created'] },
      steps: [{ id: 's_work', kind: 'update_record', config: { values: { status: 'working' } } }],
    }, { 'if-match': `"${rev}"` })).json().draftRevision;
    const plan = (await api('POST', '/meta/plan', {})).json();
    expect((await api('POST', '/meta/publish', { planId: plan.planId })).statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await database?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps queued work through a restart, and a worker that lived through one goes on working', async () => {
    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) => app.inject({ method, url: `/api/w/acme${url}`, payload: payload as object, headers: { cookie } });
    const runs = () => database.pool.query(`select status, record_id from crm.automation_runs where flow_id = 'flw_later'`).then((r) => r.rows as { status: string; record_id: string }[]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api('POST', '/records/leads', { name: `重启前 ${i}`, status: 'new' })).json().data.id);
    const queued = Number((await database.pool.query(`select count(*)::int as n from crm.automation_inbox`)).rows[0].n);
    expect(queued).toBe(5);

    await cluster.stop();
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(503);
    await cluster.start();
    await until(async () => (await app.inject({ method: 'GET', url: '/api/health' })).statusCode, (s) => s === 200);

    // A process with a worker picks the queued work up: every write became its run, each ran once.
    worker = await build({ database, remindEveryMs: 0, automation: { recoverEveryMs: 300, retryDelayMs: () => 200 } });
    let done = await until(runs, (rs) => rs.length === 5 && rs.every((r) => r.status === 'completed'), 30_000);
    expect(done.map((r) => r.record_id).sort()).toEqual([...ids].sort());

    // The database goes away again under the running worker; afterwards new writes still run.
    await cluster.stop();
    await new Promise((r) => setTimeout(r, 500));
    await cluster.start();
    await until(async () => (await app.inject({ method: 'GET', url: '/api/health' })).statusCode, (s) => s === 200);
    for (let i = 0; i < 5; i++) ids.push((await api('POST', '/records/leads', { name: `重启后 ${i}`, status: 'new' })).json().data.id);
    done = await until(runs, (rs) => rs.length === 10 && rs.every((r) => r.status === 'completed'), 60_000);
    for (const id of ids) expect((await api('GET', `/records/leads/${id}`)).json().data.status).toBe('working');
  }, 180_000);
});
