import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, installTemplate, readTemplate, uuidv7, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';

const TEMPLATE = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

interface Group { entity: string; label: Record<string, string>; total?: number; records: { id: string; title: string; subtitle?: string }[] }

/**
 * Global search on the default CRM with its own roles: rep A and manager A in
 * team East, rep C in team South, the workspace owner (admin).
 */
describe('global search (default CRM)', () => {
  let t: TestApp;
  let repA: string;
  let repC: string;
  let managerA: string;
  let admin: string;
  const get = (cookie: string | null, url: string, lang = 'zh-CN') =>
    t.app.inject({ method: 'GET', url: `/api/w/${t.slug}${url}`, headers: { 'accept-language': lang, ...(cookie ? { cookie } : {}) } });
  const search = async (cookie: string, q: string, limit?: number): Promise<Group[]> => {
    const res = await get(cookie, `/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };
  const titles = (groups: Group[]) => Object.fromEntries(groups.map((g) => [g.entity, g.records.map((r) => r.title)]));
  const create = async (cookie: string, entity: string, body: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/${entity}`, payload: body, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: string; version: number };
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = t.cookie;
    const db = t.database.db;
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(db, t.slug, ownerId))!;
    await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(TEMPLATE));
    const east = uuidv7();
    const south = uuidv7();
    await db.insertInto('crm.teams').values([{ id: east, workspace_id: ws.id, name: '华东组' }, { id: south, workspace_id: ws.id, name: '华南组' }]).execute();
    const person = async (email: string, name: string, role: string, team: string, manager = false) => {
      const u = await createUser(db, { email, name, password: 'search-password-1' });
      await addMember(db, ws.id, u.id, 'member');
      await db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: u.id, role_key: role }).execute();
      await db.insertInto('crm.team_members').values({ team_id: team, user_id: u.id, is_manager: manager }).execute();
      return t.login(email, 'search-password-1');
    };
    repA = await person('rep.a@example.com', '张伟', 'sales_rep', east);
    repC = await person('rep.c@example.com', '王芳', 'sales_rep', south);
    managerA = await person('manager.a@example.com', '李经理', 'sales_manager', east, true);

    const star = await create(repA, 'accounts', { name: '星辰科技', phone: '021-66668888' });
    await create(repA, 'accounts', { name: '上海星辰科技有限公司' });
    await create(repA, 'contacts', { name: '陈星辰', account: star.id, phone: '13912345678' });
    await create(repA, 'leads', { name: '赵磊', company: '星辰科技（苏州）' });
    await create(repA, 'opportunities', { name: '星辰 CRM 项目', account: star.id });
    const southAcc = await create(repC, 'accounts', { name: '深圳星辰贸易' });
    await create(repC, 'opportunities', { name: '星辰贸易 ERP', account: southAcc.id });
    await create(repA, 'tasks', { subject: '回访星辰科技', status: 'open' });
  });
  afterAll(async () => { await t.close(); });

  it('groups what the caller may read by entity, with labels, counts and the matched field under the title', async () => {
    const groups = await search(repA, '星辰');
    // An exact title match ("星辰" is no title) does not apply here: the preferred order does.
    expect(groups.map((g) => g.entity)).toEqual(['leads', 'accounts', 'contacts', 'opportunities', 'tasks']);
    const accounts = groups.find((g) => g.entity === 'accounts')!;
    expect(accounts.label).toEqual({ 'zh-CN': '客户', en: 'Accounts' });
    expect(accounts.total).toBe(2);
    expect(accounts.records.map((r) => r.title).sort()).toEqual(['上海星辰科技有限公司', '星辰科技']);
    // Every hit is {id, title, subtitle?}; a lead found by its company shows the company.
    expect(groups.find((g) => g.entity === 'leads')!.records).toEqual([{ id: expect.any(String), title: '赵磊', subtitle: '星辰科技（苏州）' }]);
    expect(groups.find((g) => g.entity === 'contacts')!.records[0]).toMatchObject({ title: '陈星辰', subtitle: '13912345678' });
    for (const g of groups) for (const r of g.records) expect(Object.keys(r).every((k) => ['id', 'title', 'subtitle'].includes(k))).toBe(true);
  });

  it('puts the group with an exact title match first, and the exact record first within it', async () => {
    const groups = await search(repA, '星辰科技');
    expect(groups[0]!.entity).toBe('accounts');
    expect(groups[0]!.records[0]!.title).toBe('星辰科技');
    const withCase = await search(repA, '星辰 crm 项目');
    expect(withCase[0]).toMatchObject({ entity: 'opportunities', records: [{ title: '星辰 CRM 项目' }] });
  });

  it('shows a rep only their own records, a manager their team, the admin everyone', async () => {
    expect(titles(await search(repC, '星辰'))).toEqual({ accounts: ['深圳星辰贸易'], opportunities: ['星辰贸易 ERP'] });
    const a = titles(await search(repA, '星辰'));
    expect(a.accounts).not.toContain('深圳星辰贸易');
    expect(a.opportunities).toEqual(['星辰 CRM 项目']);
    const m = titles(await search(managerA, '星辰'));
    expect(m.accounts!.sort()).toEqual(['上海星辰科技有限公司', '星辰科技']);
    expect(m.opportunities).toEqual(['星辰 CRM 项目']);
    const all = titles(await search(admin, '星辰'));
    expect(all.accounts).toHaveLength(3);
    expect(all.opportunities).toHaveLength(2);
    // Nothing of another team's, not even a count, for a query only they match.
    expect(await search(repA, '深圳')).toEqual([]);
  });

  it('finds Chinese one- and two-character queries, and phone digits', async () => {
    expect(titles(await search(repC, '深'))).toEqual({ accounts: ['深圳星辰贸易'] });
    expect(titles(await search(repA, '赵磊'))).toEqual({ leads: ['赵磊'] });
    expect(titles(await search(repA, '磊'))).toEqual({ leads: ['赵磊'] });
    expect(titles(await search(repA, '6666'))).toEqual({ accounts: ['星辰科技'] });
    expect(await search(repA, '星辰科技有限公司不存在')).toEqual([]);
  });

  it('caps each group at the limit and still counts every match', async () => {
    const groups = await search(admin, '星辰', 1);
    const accounts = groups.find((g) => g.entity === 'accounts')!;
    expect(accounts.records).toHaveLength(1);
    expect(accounts.total).toBe(3);
  });

  it('leaves out deleted records', async () => {
    const gone = await create(repA, 'tasks', { subject: '临时任务甲乙', status: 'open' });
    expect(titles(await search(repA, '甲乙'))).toEqual({ tasks: ['临时任务甲乙'] });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/w/${t.slug}/records/tasks/${gone.id}`, headers: { cookie: repA, 'if-match': '"1"' } });
    expect(del.statusCode, del.body).toBe(200);
    expect(await search(repA, '甲乙')).toEqual([]);
  });

  it('matches user text literally: LIKE wildcards and quotes find nothing', async () => {
    for (const q of ['%', '_', '%%', "' or 1=1 --", '\\']) expect(await search(admin, q)).toEqual([]);
  });

  it('refuses empty, blank and too long queries, bad limits and unknown parameters with catalogue errors', async () => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%20', `/search?q=${encodeURIComponent('星'.repeat(101))}`]) {
      const res = await get(repA, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CRM_ERR_SEARCH_QUERY', message: '请输入 1–100 个字符的搜索内容', details: [{ pointer: '/q' }] });
    }
    expect((await get(repA, `/search?q=${encodeURIComponent('星'.repeat(100))}`)).statusCode).toBe(200);
    expect((await get(repA, '/search?q=', 'en')).json().message).toBe('Enter 1 to 100 characters to search');
    for (const limit of ['0', '21', 'abc', '1.5', '-1']) {
      const res = await get(repA, `/search?q=x&limit=${limit}`);
      expect(res.statusCode, limit).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CRM_ERR_BAD_REQUEST', details: [{ pointer: '/limit' }] });
    }
    const extra = await get(repA, '/search?q=x&entity=accounts');
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('CRM_ERR_BAD_REQUEST');
    expect((await get(null, '/search?q=x')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/w/nowhere/search?q=x', headers: { cookie: repA } })).statusCode).toBe(404);
  });
});
