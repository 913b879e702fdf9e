import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, installTemplate, readTemplate, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';

const TEMPLATE = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

/** Views people save on the list screen: personal, shared by role, checked against metadata, soft-deleted with audit rows. */
describe('saved views', () => {
  let t: TestApp;
  let rep = '';
  let rep2 = '';
  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload, headers: { cookie, 'accept-language': 'zh-CN' } });
  const big = { type: 'list', columns: ['name', 'amount', 'stage'], sort: [{ field: 'amount', direction: 'desc' }], filter: { '>=': [{ var: 'amount' }, '100000'] } };

  beforeAll(async () => {
    t = await startTestApp();
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(TEMPLATE));
    for (const [email, name] of [['rep@example.com', '张伟'], ['rep2@example.com', '李娜']] as const) {
      const u = await createUser(t.database.db, { email, name, password: 'rep-password-1' });
      await addMember(t.database.db, ws.id, u.id, 'member');
      await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: u.id, role_key: 'sales_rep' }).execute();
    }
    rep = await t.login('rep@example.com', 'rep-password-1');
    rep2 = await t.login('rep2@example.com', 'rep-password-1');
  });
  afterAll(async () => { await t.close(); });

  it('keeps a personal view to its owner, and a shared one reaches the role read-only', async () => {
    const mine = await call(rep, 'POST', '/saved-views', { entity: 'opportunities', label: '我的大单', definition: big });
    expect(mine.statusCode, mine.body).toBe(201);
    const id = mine.json().data.id;
    expect((await call(rep, 'GET', '/saved-views?entity=opportunities')).json().data).toMatchObject([{ id, label: '我的大单', mine: true, definition: big }]);
    expect((await call(rep2, 'GET', '/saved-views?entity=opportunities')).json().data).toEqual([]);
    // Another rep can neither change nor delete it: it is not theirs.
    expect((await call(rep2, 'PUT', `/saved-views/${id}`, { label: 'x', definition: big })).statusCode).toBe(404);
    expect((await call(rep2, 'DELETE', `/saved-views/${id}`)).statusCode).toBe(404);

    // A rep may not share with roles; the owner (workspace owner) may.
    const share = await call(rep, 'PUT', `/saved-views/${id}`, { label: '我的大单', definition: big, sharedRoles: ['sales_rep'] });
    expect(share.statusCode).toBe(422);
    expect(share.json().details[0]).toMatchObject({ pointer: '/sharedRoles', code: 'VIEW_SHARE_FORBIDDEN' });
    const team = await call(t.cookie, 'POST', '/saved-views', { entity: 'opportunities', label: '本季度重点', definition: big, sharedRoles: ['sales_rep'] });
    expect(team.statusCode, team.body).toBe(201);
    const seen = (await call(rep2, 'GET', '/saved-views?entity=opportunities')).json().data;
    expect(seen).toMatchObject([{ label: '本季度重点', mine: false, sharedRoles: ['sales_rep'] }]);
  });

  it('refuses unknown columns, unsortable keys, bad filters and unknown roles with pointers, writing nothing', async () => {
    const before = (await t.database.pool.query(`select count(*)::int as n from crm.saved_views`)).rows[0].n;
    const res = await call(t.cookie, 'POST', '/saved-views', {
      entity: 'opportunities', label: '坏视图', sharedRoles: ['nobody'],
      definition: { type: 'list', columns: ['name', 'nope'], sort: [{ field: 'tags_not_here', direction: 'asc' }], filter: { '>': [{ var: 'stage' }, 'x'] } },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().details.map((d: { pointer: string }) => d.pointer)).toEqual(['/definition/columns/1', '/definition/sort/0/field', expect.stringMatching(/^\/definition\/filter/), '/sharedRoles/0']);
    expect(res.json().message).toContain('视图定义有 4 处问题');
    expect((await call(t.cookie, 'POST', '/saved-views', { entity: 'nothing', label: 'x', definition: big })).statusCode).toBe(404);
    expect((await call(t.cookie, 'POST', '/saved-views', { entity: 'opportunities', label: 'x', definition: { ...big, columns: [] } })).statusCode).toBe(400);
    expect((await t.database.pool.query(`select count(*)::int as n from crm.saved_views`)).rows[0].n).toBe(before);
  });

  it('deletes softly and leaves an audit row for every change', async () => {
    const id = (await call(rep, 'POST', '/saved-views', { entity: 'accounts', label: '华东客户', definition: { type: 'list', columns: ['name'], sort: [] } })).json().data.id;
    expect((await call(rep, 'DELETE', `/saved-views/${id}`)).statusCode).toBe(200);
    expect((await call(rep, 'GET', '/saved-views?entity=accounts')).json().data).toEqual([]);
    expect((await t.database.pool.query(`select deleted_at is not null as gone from crm.saved_views where id = $1`, [id])).rows[0].gone).toBe(true);
    const audit = (await t.database.pool.query(`select action from crm.audit_log where entity = 'saved_views' and record_id = $1 order by id`, [id])).rows.map((r) => r.action);
    expect(audit).toEqual(['view.create', 'view.delete']);
  });
});
