import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveToPool, workspaceFor } from '@crm/server';
import { startTestApp, TestClock, type TestApp } from './support/app.js';
import { setUpSales, type Persona, type SalesWorld } from './support/sales-fixture.js';

const DAY = 86_400_000;

/** The public pool (server/src/pool): claim with a daily quota, release, and the automation's moveToPool. */
describe('public pool', () => {
  let t: TestApp;
  let w: SalesWorld;
  const clock = new TestClock(Date.parse('2026-12-01T02:00:00Z'));
  const owner = () => ({ id: '', cookie: t.cookie });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    w = await setUpSales(t);
    // A rep role like sales_rep but without the pool, and a member holding it.
    const draft = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta/draft`, headers: { cookie: t.cookie } })).json();
    const rep = draft.documents.find((d: { docId?: string; id?: string }) => (d.docId ?? d.id) === 'rol_rep').body;
    const put = await t.app.inject({ method: 'PUT', url: `/api/w/${t.slug}/meta/draft/role/rol_rep_np`, headers: { cookie: t.cookie, 'if-match': `"${draft.draftRevision}"` },
      payload: { ...rep, id: 'rol_rep_np', key: 'sales_rep_np', label: { 'zh-CN': '销售代表（无公海）', en: 'Rep without pool' }, pool: [] } });
    expect(put.statusCode, put.body).toBe(200);
    const plan = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/plan`, headers: { cookie: t.cookie } });
    const pub = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/publish`, payload: { planId: plan.json().planId }, headers: { cookie: t.cookie } });
    expect(pub.statusCode, pub.body).toBe(200);
    const limit = await t.app.inject({ method: 'PATCH', url: `/api/w/${t.slug}/admin/settings`, headers: { cookie: t.cookie }, payload: { poolClaimLimit: 3 } });
    expect(limit.json().data.poolClaimLimit).toBe(3);
  });
  afterAll(async () => t?.close());

  const call = (p: Pick<Persona, 'cookie'>, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${path}`, headers: { cookie: p.cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  let n = 0;
  /** A record in the pool (created by the workspace owner with no owner). */
  const poolRecord = async (entity = 'accounts') => {
    const res = await call(owner(), 'POST', `/records/${entity}`, { name: `公海客户 ${++n}`, owner_id: null });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data.owner_id).toBeNull();
    return res.json().data.id as string;
  };
  const claim = (p: Persona, id: string, entity = 'accounts') => call(p, 'POST', `/records/${entity}/${id}/claim`);
  const release = (p: Pick<Persona, 'cookie'>, id: string, reason?: string) => call(p, 'POST', `/records/accounts/${id}/release`, reason === undefined ? undefined : { reason });

  it('validates the daily limit setting', async () => {
    for (const bad of [-1, 1.5, 1001, '3']) {
      expect((await call(owner(), 'PATCH', '/admin/settings', { poolClaimLimit: bad })).statusCode).toBe(400);
    }
    expect((await call(owner(), 'GET', '/admin/settings')).json().data.poolClaimLimit).toBe(3);
  });

  it('claims within the daily quota, refuses over it (429), and a new local day resets it', async () => {
    const ids = [await poolRecord(), await poolRecord(), await poolRecord(), await poolRecord()];
    for (let i = 0; i < 3; i++) {
      const res = await claim(w.repA, ids[i]!);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.owner_id).toBe(w.repA.id);
      expect(res.json().quota).toEqual({ used: i + 1, limit: 3 });
      expect(res.headers.etag).toBe(`"${res.json().data.version}"`);
    }
    const over = await claim(w.repA, ids[3]!);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'CRM_ERR_CLAIM_QUOTA', limit: 3 });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // The refused claim changed nothing; the quota is per member.
    expect((await call(owner(), 'GET', `/records/accounts/${ids[3]}`)).json().data.owner_id).toBeNull();
    expect((await claim(w.repB, ids[3]!)).statusCode).toBe(200);
    clock.advance(DAY);
    expect((await claim(w.repA, await poolRecord())).json().quota).toEqual({ used: 1, limit: 3 });
  });

  it('counts the quota safely when one member claims concurrently', async () => {
    clock.advance(DAY);
    const ids = await Promise.all(Array.from({ length: 6 }, () => poolRecord()));
    const codes = (await Promise.all(ids.map((id) => claim(w.repC, id)))).map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('lets exactly one of several concurrent claimers have a record; the others get 409', async () => {
    clock.advance(DAY);
    const id = await poolRecord();
    const res = await Promise.all([w.repA, w.repB, w.repC, w.managerA].map((p) => claim(p, id)));
    const won = res.filter((r) => r.statusCode === 200);
    expect(won).toHaveLength(1);
    expect(res.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(['CRM_ERR_ALREADY_CLAIMED', 'CRM_ERR_ALREADY_CLAIMED', 'CRM_ERR_ALREADY_CLAIMED']);
    const history = (await call(owner(), 'GET', `/records/accounts/${id}/history`)).json().data;
    expect(history.filter((h: { action: string }) => h.action === 'record.update')).toHaveLength(1);
    // A claimed record is no longer in the pool for anyone.
    expect((await claim(w.repA, id)).json().code).toBe('CRM_ERR_ALREADY_CLAIMED');
  });

  it('refuses members without the pool right (403), unknown or unowned entities and missing records (404), stale If-Match (409)', async () => {
    clock.advance(DAY);
    const id = await poolRecord();
    const noPool = await t.login('rep.a@example.com', 'rep.a@example.com-pw');
    await t.database.pool.query(`update crm.member_roles set role_key = 'sales_rep_np' where user_id = $1`, [w.repA.id]);
    t.app.services.accessCache.clear();
    try {
      const res = await claim({ ...w.repA, cookie: noPool }, id);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('CRM_ERR_FORBIDDEN');
    } finally {
      await t.database.pool.query(`update crm.member_roles set role_key = 'sales_rep' where user_id = $1`, [w.repA.id]);
      t.app.services.accessCache.clear();
    }
    // sales_rep's pool is accounts only.
    const contact = (await call(owner(), 'POST', '/records/contacts', { name: '公海联系人', owner_id: null })).json().data.id;
    expect((await claim(w.repB, contact, 'contacts')).statusCode).toBe(403);
    expect((await claim(w.repB, id, 'quote_lines')).statusCode).toBe(404);
    expect((await claim(w.repB, id, 'nope')).statusCode).toBe(404);
    expect((await claim(w.repB, '0190a0a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await claim(w.repB, 'not-a-uuid')).statusCode).toBe(404);
    const stale = await call(w.repB, 'POST', `/records/accounts/${id}/claim`, undefined, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CRM_ERR_VERSION_CONFLICT');
    expect((await call(w.repB, 'POST', `/records/accounts/${id}/claim`, undefined, { 'if-match': '"1"' })).statusCode).toBe(200);
  });

  it('release puts a record back into the pool with an audit row naming the reason', async () => {
    clock.advance(DAY);
    const id = await poolRecord();
    const claimed = (await claim(w.repA, id)).json().data;
    const res = await release(w.repA, id, '客户暂无需求');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ owner_id: null, version: claimed.version + 1 });
    const history = (await call(owner(), 'GET', `/records/accounts/${id}/history`)).json().data as { action: string; actorId: string; changes: Record<string, unknown> }[];
    expect(history[0]).toMatchObject({ action: 'pool.release', actorId: w.repA.id, changes: { owner_id: { from: w.repA.id, to: null }, reason: '客户暂无需求' } });
    expect(history[1]).toMatchObject({ action: 'record.update', actorId: w.repA.id, changes: { owner_id: { from: w.repA.id, to: null } } });
    // Back in the pool: others see it and may claim it; releasing it again is a conflict.
    expect((await call(w.repB, 'GET', `/records/accounts/${id}`)).statusCode).toBe(200);
    expect((await release(w.repA, id)).json().code).toBe('CRM_ERR_ALREADY_IN_POOL');
    expect((await claim(w.repB, id)).statusCode).toBe(200);
  });

  it('lets the owner’s team manager release, nobody else', async () => {
    clock.advance(DAY);
    const ofB = await poolRecord();
    const ofC = await poolRecord();
    await claim(w.repB, ofB);
    await claim(w.repC, ofC);
    expect((await release(w.repA, ofB)).statusCode).toBe(404); // repA cannot even see repB's record
    expect((await release(w.managerA, ofC)).statusCode).toBe(404); // another team's record
    expect((await release(w.managerA, ofB, '转给新人')).statusCode).toBe(200);
    expect((await release(owner(), ofC)).statusCode).toBe(200);
    expect((await call(w.repA, 'POST', `/records/accounts/${ofB}/release`, { reason: 'x', extra: 1 })).statusCode).toBe(400);
  });

  it('moveToPool (automations) writes with the caller’s rights in the given transaction and is idempotent', async () => {
    clock.advance(DAY);
    const id = await poolRecord();
    await claim(w.repA, id);
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id as string;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    const caller = { ws, userId: ownerId, via: { flow: 'flw_stale', run: 'run-1', step: 's1', chain: ['flw_stale'], by: null } };
    const first = await t.database.db.transaction().execute((tx) => moveToPool(t.app.services.records, tx, caller, 'accounts', id, { reason: { 'zh-CN': '30 天未跟进', en: 'No follow-up for 30 days' } }));
    expect(first.moved).toBe(true);
    expect(first.record.owner_id).toBeNull();
    const again = await moveToPool(t.app.services.records, t.database.db, caller, 'accounts', id);
    expect(again.moved).toBe(false);
    const { rows } = await t.database.pool.query(`select action, via, changes from crm.audit_log where record_id = $1 and action = 'pool.release'`, [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].via).toMatchObject({ flow: 'flw_stale' });
    expect(rows[0].changes.reason).toEqual({ 'zh-CN': '30 天未跟进', en: 'No follow-up for 30 days' });
    // A rep's rights do not stretch to moving records (no assign right): refused by the records service.
    await claim(w.repB, id);
    const repCaller = { ws: (await workspaceFor(t.database.db, t.slug, w.repB.id))!, userId: w.repB.id };
    await expect(moveToPool(t.app.services.records, t.database.db, repCaller, 'accounts', id)).rejects.toMatchObject({ code: 'CRM_ERR_FORBIDDEN' });
  });
});
