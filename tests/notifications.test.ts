import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, NotificationStore, remindDueTasks } from '@crm/server';
import { startTestApp, TestClock, type TestApp } from './support/app.js';
import { salesTeam } from './support/sales-team.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Notifications: @mentions reach only members who may read the record (and a
 * refused mention writes nothing), due reminders are idempotent as time
 * moves, a user only ever sees their own notifications, recent records
 * follow read access.
 */
describe('notifications', () => {
  const clock = new TestClock(Date.parse('2026-11-23T02:00:00Z'));
  let t: TestApp;
  const users: Record<string, { id: string; cookie: string }> = {};
  const call = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: users[who]!.cookie, ...headers } });
  const stored = async () => (await t.database.pool.query(`select count(*)::int as n from crm.notifications`)).rows[0].n as number;
  const reminders = () => remindDueTasks({ db: t.database.db, metadata: t.app.services.metadata, store: new NotificationStore(t.database.db) }, clock);

  beforeAll(async () => {
    t = await startTestApp({ clock });
    Object.assign(users, (await salesTeam(t)).users);
  });
  afterAll(async () => { await t?.close(); });

  const create = async (who: string, entity: string, body: object) => {
    const res = await call(who, 'POST', `/records/${entity}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as Record<string, any>;
  };
  const feed = async (who: string, query = '') => {
    const res = await call(who, 'GET', `/notifications${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: Record<string, any>[]; unreadCount: number; nextCursor: string | null };
  };

  it('notifies mentioned members who may read the record, and refuses the whole mention naming anyone who may not', async () => {
    const account = await create('zhang', 'accounts', { name: '杭州云栖科技有限公司' });
    const refused = await call('zhang', 'POST', `/records/accounts/${account.id}/mentions`, { userIds: [users.manager!.id, users.li!.id, users.wang!.id], note: '请帮忙跟进报价' }, { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'CRM_ERR_MENTION_UNREADABLE', message: '李娜、王磊 cannot see this record and cannot be mentioned' });
    expect(refused.json().refused.map((r: { name: string }) => r.name)).toEqual(['李娜', '王磊']);
    expect(await stored()).toBe(0);

    const ok = await call('zhang', 'POST', `/records/accounts/${account.id}/mentions`, { userIds: [users.manager!.id], note: '请帮忙跟进报价' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().data.notified).toEqual([{ id: users.manager!.id, name: '刘经理' }]);
    const mine = await feed('manager', '?unread=true');
    expect(mine.unreadCount).toBe(1);
    expect(mine.data).toMatchObject([{ kind: 'mention', entity: 'accounts', recordId: account.id, title: '杭州云栖科技有限公司', body: '请帮忙跟进报价', actor: { id: users.zhang!.id, name: '张伟' }, readAt: null }]);
    expect((await feed('li')).data).toEqual([]);
  });

  it('refuses mentions of non-members and of records the caller cannot read, writing nothing', async () => {
    const before = await stored();
    const account = await create('zhang', 'accounts', { name: '宁波海纳贸易有限公司' });
    const stranger = await createUser(t.database.db, { email: 'stranger@example.com', name: '外部人员', password: 'member-password-1' });
    const notMember = await call('zhang', 'POST', `/records/accounts/${account.id}/mentions`, { userIds: [stranger.id] });
    expect(notMember.statusCode).toBe(422);
    expect(notMember.json().code).toBe('CRM_ERR_MENTION_UNREADABLE');
    // 李娜 cannot read 张伟's account, so she cannot mention anyone on it: not found, as for any record she may not see.
    expect((await call('li', 'POST', `/records/accounts/${account.id}/mentions`, { userIds: [users.manager!.id] })).statusCode).toBe(404);
    expect((await call('zhang', 'POST', `/records/nope/${account.id}/mentions`, { userIds: [users.manager!.id] })).statusCode).toBe(404);
    const malformed = await call('zhang', 'POST', `/records/accounts/${account.id}/mentions`, { userIds: ['x'], extra: 1 });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('CRM_ERR_BAD_REQUEST');
    expect(await stored()).toBe(before);
  });

  it('never shows or changes another user\'s notifications', async () => {
    const target = (await feed('manager')).data[0]!;
    expect((await call('li', 'POST', `/notifications/${target.id}/read`)).statusCode).toBe(404);
    expect((await call('li', 'POST', '/notifications/read-all')).json().data.updated).toBe(0);
    expect((await call('li', 'GET', '/notifications')).json().data).toEqual([]);
    expect((await feed('manager')).data[0]!.readAt).toBeNull();
    // In another workspace the same user sees nothing of this one.
    const ownerCookie = t.cookie;
    const other = await t.app.inject({ method: 'POST', url: '/api/workspaces', payload: { slug: 'other', name: 'Other' }, headers: { cookie: ownerCookie } });
    expect(other.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/w/other/notifications', headers: { cookie: ownerCookie } })).json().data).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/w/acme/notifications', headers: { cookie: users.manager!.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/w/other/notifications', headers: { cookie: users.manager!.cookie } })).statusCode).toBe(404);

    const read = await call('manager', 'POST', `/notifications/${target.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().data.readAt).toBe(clock.now().toISOString());
    expect((await feed('manager', '?unread=true')).data).toEqual([]);
    expect((await call('manager', 'POST', '/notifications/not-a-uuid/read')).statusCode).toBe(404);
    expect((await call('manager', 'GET', '/notifications?limit=0')).statusCode).toBe(400);
    expect((await call('manager', 'GET', '/notifications?since=1')).statusCode).toBe(400);
  });

  it('reminds the owner once per task and due date, as the clock moves', async () => {
    const now = clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const soon = await create('zhang', 'tasks', { subject: '回访客户', status: 'open', due: iso(now + 30 * 60_000) });
    const later = await create('zhang', 'tasks', { subject: '准备报价单', status: 'open', due: iso(now + 3 * HOUR) });
    const overdue = await create('li', 'tasks', { subject: '催收回款', status: 'in_progress', due: iso(now - 2 * DAY) });
    await create('zhang', 'tasks', { subject: '已完成的任务', status: 'done', due: iso(now + 10 * 60_000) });
    await create('zhang', 'tasks', { subject: '去年的任务', status: 'open', due: iso(now - 400 * DAY) });
    await create('zhang', 'tasks', { subject: '没有截止时间', status: 'open' });

    expect(await reminders()).toBe(2);
    expect(await reminders()).toBe(0);
    const zhang = await feed('zhang');
    expect(zhang.data).toMatchObject([{ kind: 'task_due', entity: 'tasks', recordId: soon.id, title: '回访客户', data: { due: soon.due }, actor: null }]);
    expect((await feed('li')).data).toMatchObject([{ kind: 'task_due', recordId: overdue.id, title: '催收回款' }]);

    clock.advance(2.5 * HOUR);
    expect(await reminders()).toBe(1);
    expect((await feed('zhang')).data[0]).toMatchObject({ recordId: later.id });
    expect(await reminders()).toBe(0);

    // Moving the due date is a new reminder; completing a task stops them.
    const moved = await call('zhang', 'PATCH', `/records/tasks/${soon.id}`, { due: iso(clock.now().getTime() + 20 * 60_000) }, { 'if-match': `"${String(soon.version)}"` });
    expect(moved.statusCode, moved.body).toBe(200);
    const done = await call('li', 'PATCH', `/records/tasks/${overdue.id}`, { status: 'done', due: iso(clock.now().getTime() - HOUR) }, { 'if-match': `"${String(overdue.version)}"` });
    expect(done.statusCode, done.body).toBe(200);
    expect(await reminders()).toBe(1);
    expect(await reminders()).toBe(0);
    expect((await feed('zhang')).data.filter((n) => n.recordId === soon.id)).toHaveLength(2);
    expect((await feed('li', '?unread=true')).unreadCount).toBe(1);
  });

  it('pages the feed and marks everything read', async () => {
    const page = await feed('zhang', '?limit=2');
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).toBeTruthy();
    const rest = await feed('zhang', `?limit=2&cursor=${page.nextCursor}`);
    expect(rest.data.map((n) => n.id)).not.toContain(page.data[0]!.id);
    expect(page.unreadCount).toBe(3);
    expect((await call('zhang', 'POST', '/notifications/read-all')).json().data.updated).toBe(3);
    expect((await feed('zhang', '?unread=true')).unreadCount).toBe(0);
    expect((await call('zhang', 'GET', '/notifications?cursor=bogus')).statusCode).toBe(400);
  });

  it('lists the records one changed lately, only while one may still read them', async () => {
    const account = await create('wang', 'accounts', { name: '深圳远景新能源有限公司' });
    clock.advance(1000);
    const opp = await create('wang', 'opportunities', { name: '远景 储能项目', account: account.id, stage: 'initial' });
    const recent = (await call('wang', 'GET', '/recent')).json().data;
    expect(recent.map((r: { title: string }) => r.title)).toEqual(['远景 储能项目', '深圳远景新能源有限公司']);
    expect(recent[0]).toMatchObject({ entity: 'opportunities', id: opp.id, source: 'changed' });
    expect((await call('zhang', 'GET', '/recent')).json().data.map((r: { id: string }) => r.id)).not.toContain(opp.id);

    // Handed to 张伟 by the owner: 王磊 may no longer read it, so it leaves his recent list.
    const handed = await t.app.inject({ method: 'PATCH', url: `/api/w/${t.slug}/records/opportunities/${opp.id}`, payload: { owner_id: users.zhang!.id }, headers: { cookie: t.cookie, 'if-match': '"1"' } });
    expect(handed.statusCode, handed.body).toBe(200);
    expect((await call('wang', 'GET', '/recent')).json().data.map((r: { id: string }) => r.id)).toEqual([account.id]);
    expect((await call('wang', 'GET', '/recent?limit=99')).statusCode).toBe(400);

    // Someone else hands 李娜 an account: it tops up her short list as one of hers.
    const given = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/accounts`, payload: { name: '青岛明德医疗器械有限公司', owner_id: users.li!.id }, headers: { cookie: t.cookie } });
    expect(given.statusCode, given.body).toBe(201);
    expect((await call('li', 'GET', '/recent')).json().data).toContainEqual(expect.objectContaining({ id: given.json().data.id, source: 'owned' }));
    expect((await call('wang', 'GET', '/recent')).json().data.map((r: { id: string }) => r.id)).toEqual([account.id]);
  });
});
