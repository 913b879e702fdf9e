import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestClock, type TestApp } from './support/app.js';
import { setUpSales, type Persona, type SalesWorld } from './support/sales-fixture.js';

describe('auth', () => {
  let t: TestApp;
  const clock = new TestClock();
  const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  beforeAll(async () => { t = await startTestApp({ clock }); });
  afterAll(async () => { await t.close(); });

  it('limits failed logins per email, with Retry-After, and lets the user in once the window passes', async () => {
    for (let i = 0; i < 5; i++) expect((await login('owner@example.com', 'wrong')).statusCode).toBe(401);
    const limited = await login('owner@example.com', 'owner-password-1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('CRM_ERR_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    clock.advance(16 * 60_000);
    expect((await login('owner@example.com', 'owner-password-1')).statusCode).toBe(200);
  });

  it('gives a new session id on every login and ends it on logout', async () => {
    const a = String((await login('owner@example.com', 'owner-password-1')).headers['set-cookie']).split(';')[0]!;
    const b = String((await login('owner@example.com', 'owner-password-1')).headers['set-cookie']).split(';')[0]!;
    expect(a).not.toBe(b);
    expect(String((await login('owner@example.com', 'owner-password-1')).headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: { cookie: b } })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: b } });
    expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: { cookie: b } })).statusCode).toBe(401);
  });

  it('issues personal API tokens that work as Bearer and stop working when revoked', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', payload: { name: '数据同步' }, headers: { cookie: t.cookie } });
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json().data;
    expect(token).toMatch(/^crm_pat_/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: bearer })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'x' }, headers: bearer })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: { cookie: t.cookie } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: bearer })).statusCode).toBe(401);
    const stored = await t.database.pool.query(`select token_hash from crm.api_tokens where id = $1`, [id]);
    expect(stored.rows[0].token_hash).not.toContain(token.slice(8));
  });
});

describe('workspace administration', () => {
  let t: TestApp;
  let w: SalesWorld;
  let owner: Persona;
  const as = (who: Persona, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/w/${t.slug}/admin${url}`, payload: payload as object, headers: { cookie: who.cookie } });
  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
    const id = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    owner = { id, cookie: t.cookie };
  });
  afterAll(async () => { await t.close(); });

  it('invites a member with a role, who signs in with the one-time password', async () => {
    const res = await as(w.admin, 'POST', '/members', { email: 'new.rep@example.com', name: '新人', systemRole: 'member', roles: ['sales_rep'] });
    expect(res.statusCode, res.body).toBe(201);
    const { temporaryPassword } = res.json().data;
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'new.rep@example.com', password: temporaryPassword } });
    expect(login.statusCode).toBe(200);
    const members = (await as(w.admin, 'GET', '/members')).json().data;
    expect(members.find((m: { email: string }) => m.email === 'new.rep@example.com')).toMatchObject({ systemRole: 'member', roles: ['sales_rep'] });
    expect((await as(w.admin, 'POST', '/members', { email: 'new.rep@example.com', name: '新人', systemRole: 'member' })).statusCode).toBe(409);
    expect((await as(w.admin, 'POST', '/members', { email: 'x@example.com', name: 'x', systemRole: 'member', roles: ['emperor'] })).statusCode).toBe(400);
  });

  it('blocks the escalation vectors: members, self-promotion, granting owner or admin, touching owners, losing the last owner', async () => {
    expect((await as(w.repA, 'GET', '/members')).statusCode).toBe(403);
    expect((await as(w.repA, 'PATCH', `/members/${w.repA.id}`, { systemRole: 'admin' })).statusCode).toBe(403);
    expect((await as(w.admin, 'PATCH', `/members/${w.admin.id}`, { systemRole: 'owner' })).statusCode).toBe(403);
    expect((await as(w.admin, 'PATCH', `/members/${w.repA.id}`, { systemRole: 'admin' })).statusCode).toBe(403);
    expect((await as(w.admin, 'POST', '/members', { email: 'boss@example.com', name: 'b', systemRole: 'owner' })).statusCode).toBe(403);
    expect((await as(w.admin, 'PATCH', `/members/${owner.id}`, { status: 'inactive' })).statusCode).toBe(403);
    expect((await as(w.admin, 'POST', `/members/${owner.id}/reset-password`)).statusCode).toBe(403);
    expect((await as(owner, 'PATCH', `/members/${owner.id}`, { systemRole: 'member' })).statusCode).toBe(403);
    const other = await as(owner, 'POST', '/members', { email: 'second.owner@example.com', name: '二号', systemRole: 'admin' });
    expect(other.statusCode).toBe(201);
    expect((await as(owner, 'PATCH', `/members/${other.json().data.userId}`, { systemRole: 'member' })).statusCode).toBe(204);
    expect((await as(owner, 'PATCH', `/members/${w.repA.id}`, { systemRole: 'designer', roles: ['sales_rep', 'sales_manager'] })).statusCode).toBe(204);
  });

  it('deactivates a member at once and hands their records to someone else, with audit rows', async () => {
    const mk = (name: string) => t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/accounts`, payload: { name }, headers: { cookie: w.repB.cookie } });
    const a = (await mk('离职交接客户1')).json().data;
    await mk('离职交接客户2');
    expect((await as(w.admin, 'PATCH', `/members/${w.repB.id}`, { status: 'inactive' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/accounts`, headers: { cookie: w.repB.cookie } })).statusCode).toBe(404);
    const moved = await as(w.admin, 'POST', `/members/${w.repB.id}/reassign`, { to: w.repC.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().data.moved).toEqual({ accounts: 2 });
    const seen = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/accounts/${a.id}`, headers: { cookie: w.repC.cookie } });
    expect(seen.json().data).toMatchObject({ owner_id: w.repC.id, version: 2 });
    const audit = await t.database.pool.query(`select changes from crm.audit_log where record_id = $1 order by id`, [a.id]);
    expect(audit.rows.at(-1).changes).toMatchObject({ owner_id: { from: w.repB.id, to: w.repC.id } });
  });

  it('keeps the team tree free of cycles and its members inside the workspace', async () => {
    const top = (await as(w.admin, 'POST', '/teams', { name: '华东大区', members: [{ userId: w.managerA.id, isManager: true }] })).json().data.id;
    const sub = (await as(w.admin, 'POST', '/teams', { name: '上海组', parentId: top, members: [{ userId: w.repC.id }] })).json().data.id;
    const cycle = await as(w.admin, 'PUT', `/teams/${top}`, { name: '华东大区', parentId: sub });
    expect(cycle.statusCode).toBe(400);
    const teams = (await as(w.admin, 'GET', '/teams')).json().data;
    expect(teams.find((x: { id: string }) => x.id === sub)).toMatchObject({ parentId: top, members: [{ userId: w.repC.id, isManager: false }] });
    const stranger = await as(w.admin, 'POST', '/teams', { name: '外部', members: [{ userId: '0190a1b2-0000-7000-8000-000000000009' }] });
    expect(stranger.statusCode).toBe(400);
  });

  it('updates settings and refuses an unknown time zone', async () => {
    expect((await as(w.admin, 'PATCH', '/settings', { timeZone: 'Mars/Olympus' })).statusCode).toBe(400);
    const ok = await as(w.admin, 'PATCH', '/settings', { timeZone: 'Asia/Urumqi', fiscalYearStartMonth: 4 });
    expect(ok.json().data).toMatchObject({ timeZone: 'Asia/Urumqi', currency: 'CNY', fiscalYearStartMonth: 4 });
    expect((await as(w.admin, 'GET', '/settings')).json().data.timeZone).toBe('Asia/Urumqi');
  });
});
