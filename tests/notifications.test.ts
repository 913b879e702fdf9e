import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, NotificationStore, remindDueTasks } from '@crm/server';
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

    // Both hand-overs told the new owner, as the one who did it.
    expect(await assigned('zhang', opp.id)).toEqual([{ entity: 'opportunities', title: '远景 储能项目', actor_id: users.owner!.id, data: {} }]);
    expect(await assigned('li', given.json().data.id)).toEqual([{ entity: 'accounts', title: '青岛明德医疗器械有限公司', actor_id: users.owner!.id, data: {} }]);
  });

  /** The `assigned` notifications of `who` (for one record, or all), oldest first. */
  const assigned = async (who: string, recordId?: string) => (await t.database.pool.query(
    `select entity, title, actor_id, data from crm.notifications where kind = 'assigned' and user_id = $1 ${recordId ? 'and record_id = $2' : ''} order by id`,
    recordId ? [users[who]!.id, recordId] : [users[who]!.id])).rows as { entity: string; title: string; actor_id: string; data: Record<string, unknown> }[];
  const assignedCount = async () => (await t.database.pool.query(`select count(*)::int as n from crm.notifications where kind = 'assigned'`)).rows[0].n as number;
  const patch = (who: string, url: string, body: object, version: unknown) => call(who, 'PATCH', url, body, { 'if-match': `"${String(version)}"` });

  it('tells whoever a create or an update hands a record to, on every write path, never the one who did it', async () => {
    clock.advance(1000);
    // Create with another owner: the careful create path.
    const account = await create('owner', 'accounts', { name: '厦门海沧港务有限公司', owner_id: users.zhang!.id });
    expect(await assigned('zhang', account.id)).toEqual([{ entity: 'accounts', title: '厦门海沧港务有限公司', actor_id: users.owner!.id, data: {} }]);
    expect((await feed('zhang', '?limit=1')).data[0]).toMatchObject({ kind: 'assigned', entity: 'accounts', recordId: account.id, title: '厦门海沧港务有限公司', actor: { id: users.owner!.id, name: '王经理' }, readAt: null });

    // Self-assignment, explicit or by default, and unchanged owners: nobody hears of it.
    const before = await assignedCount();
    const own = await create('zhang', 'contacts', { name: '陈静' });
    const ownExplicit = await create('owner', 'contacts', { name: '林海燕', owner_id: users.owner!.id });
    const sameOwner = await patch('zhang', `/records/contacts/${own.id}`, { owner_id: users.zhang!.id, title: '总经理' }, own.version);
    expect(sameOwner.statusCode, sameOwner.body).toBe(200);
    const toSelf = await patch('owner', `/records/accounts/${account.id}`, { owner_id: users.owner!.id }, account.version);
    expect(toSelf.statusCode, toSelf.body).toBe(200);
    expect(await assignedCount()).toBe(before);

    // Update of the owner: the one-statement branch of the careful update (contacts) ...
    const handed = await patch('owner', `/records/contacts/${ownExplicit.id}`, { owner_id: users.li!.id }, ownExplicit.version);
    expect(handed.statusCode, handed.body).toBe(200);
    expect(await assigned('li', ownExplicit.id)).toEqual([{ entity: 'contacts', title: '林海燕', actor_id: users.owner!.id, data: {} }]);
    // ... and the one computing formulas and rollups afterwards (quotes; the title is the autonumber).
    const opp = await create('owner', 'opportunities', { name: '海沧 港口扩建', account: account.id, stage: 'initial' });
    const quote = await create('owner', 'quotes', { opportunity: opp.id, account: account.id });
    expect(await assigned('wang', quote.id)).toEqual([]);
    const moved = await patch('owner', `/records/quotes/${quote.id}`, { owner_id: users.wang!.id }, quote.version);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await assigned('wang', quote.id)).toEqual([{ entity: 'quotes', title: quote.number, actor_id: users.owner!.id, data: {} }]);

    // A manager hands a rep's lead to another rep (inline edit, kanban and forms all PATCH like this).
    const lead = await create('zhang', 'leads', { name: '福州闽江物流' });
    const byManager = await patch('manager', `/records/leads/${lead.id}`, { owner_id: users.li!.id }, lead.version);
    expect(byManager.statusCode, byManager.body).toBe(200);
    expect(await assigned('li', lead.id)).toEqual([{ entity: 'leads', title: '福州闽江物流', actor_id: users.manager!.id, data: {} }]);
    expect(await assigned('zhang', lead.id)).toEqual([]);
  });

  it('tells the new owner of each record a bulk assign or a batch create hands over', async () => {
    const leads = await Promise.all(['温州瓯江电器', '台州椒江机电', '金华义乌商贸'].map((name) => create('owner', 'leads', { name })));
    const res = await call('owner', 'POST', '/records/leads/bulk', { ids: leads.map((l) => l.id), action: 'assign', ownerId: users.wang!.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toEqual({ ok: 3, failed: 0 });
    for (const l of leads) expect(await assigned('wang', l.id)).toEqual([{ entity: 'leads', title: l.name, actor_id: users.owner!.id, data: {} }]);
    // Assigning them to oneself in bulk: nothing.
    const before = await assignedCount();
    const back = await call('owner', 'POST', '/records/leads/bulk', { ids: leads.map((l) => l.id), action: 'assign', ownerId: users.owner!.id });
    expect(back.json().summary).toEqual({ ok: 3, failed: 0 });
    expect(await assignedCount()).toBe(before);

    const batch = await call('owner', 'POST', '/records/accounts/batch', { records: [
      { name: '南昌赣江化工', owner_id: users.li!.id }, { name: '九江庐山旅游', owner_id: users.li!.id }, { name: '赣州稀土材料' },
    ] });
    expect(batch.statusCode, batch.body).toBe(201);
    const [a, b, mine] = batch.json().data as { id: string }[];
    expect((await assigned('li', a!.id)).map((n) => n.title)).toEqual(['南昌赣江化工']);
    expect((await assigned('li', b!.id)).map((n) => n.title)).toEqual(['九江庐山旅游']);
    expect(await assignedCount()).toBe(before + 2);
    // The third, owned by whoever created it, told nobody.
    expect(await assigned('owner', mine!.id)).toEqual([]);
  });

  it('tells the owner of a converted lead about the account and contact made for them', async () => {
    const lead = await create('zhang', 'leads', { name: '周海', company: '南平武夷茶业有限公司' });
    const res = await call('manager', 'POST', `/records/leads/${lead.id}/convert`, { newAccount: true }, { 'if-match': `"${String(lead.version)}"` });
    expect(res.statusCode, res.body).toBe(200);
    const { accountId, contactId } = res.json().data;
    expect((await assigned('zhang', accountId)).map((n) => n.entity)).toEqual(['accounts']);
    expect((await assigned('zhang', contactId)).map((n) => n.entity)).toEqual(['contacts']);
  });

  it('notifies nobody when the write is refused or rolls back', async () => {
    const lead = await create('zhang', 'leads', { name: '莆田鞋业' });
    const before = await assignedCount();
    // Refused before the transaction (a malformed value), inside it (a rule, a non-member owner, a stale version), by permission.
    expect((await patch('owner', `/records/leads/${lead.id}`, { owner_id: users.li!.id, name: '' }, lead.version)).statusCode).toBe(422);
    expect((await patch('owner', `/records/leads/${lead.id}`, { owner_id: users.li!.id, status: 'disqualified' }, lead.version)).statusCode).toBe(422);
    const stranger = await createUser(t.database.db, { email: 'stranger2@example.com', name: '局外人', password: 'member-password-1' });
    expect((await patch('owner', `/records/leads/${lead.id}`, { owner_id: stranger.id }, lead.version)).statusCode).toBe(422);
    expect((await patch('owner', `/records/leads/${lead.id}`, { owner_id: users.li!.id }, lead.version + 5)).statusCode).toBe(409);
    expect((await patch('zhang', `/records/leads/${lead.id}`, { owner_id: users.li!.id }, lead.version)).statusCode).toBe(403);
    expect((await call('zhang', 'POST', '/records/leads', { name: '给别人的线索', owner_id: users.li!.id })).statusCode).toBe(422);
    expect(await assignedCount()).toBe(before);

    // Something fails after the notification was written, in the same transaction: it goes with the write.
    const off = t.app.services.records.hooks.register(async () => { throw new Error('boom'); });
    try {
      expect((await patch('owner', `/records/leads/${lead.id}`, { owner_id: users.li!.id }, lead.version)).statusCode).toBe(500);
      expect((await call('owner', 'POST', '/records/leads', { name: '回滚的线索', owner_id: users.li!.id })).statusCode).toBe(500);
    } finally {
      off();
    }
    expect(await assignedCount()).toBe(before);
    expect((await call('owner', 'GET', `/records/leads/${lead.id}`)).json().data.owner_id).toBe(users.zhang!.id);
  });

  it('never tells an owner about a record their roles may not read', async () => {
    const service = await createUser(t.database.db, { email: 'service@example.com', name: '客服小周', password: 'member-password-1' });
    const ws = (await t.database.pool.query(`select id from crm.workspaces where slug = $1`, [t.slug])).rows[0].id as string;
    await addMember(t.database.db, ws, service.id, 'member');
    await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws, user_id: service.id, role_key: 'customer_service' }).execute();
    const count = async () => (await t.database.pool.query(`select count(*)::int as n from crm.notifications where user_id = $1`, [service.id])).rows[0].n as number;
    // Customer service reads no leads: the lead is handed over, without a word naming it.
    const lead = await create('owner', 'leads', { name: '不可见的线索', owner_id: service.id });
    expect(lead.owner_id).toBe(service.id);
    expect(await count()).toBe(0);
    await create('owner', 'accounts', { name: '客服的客户', owner_id: service.id });
    expect(await count()).toBe(1);
  });

  it('tells the new owner of an admin reassignment once per entity, naming the record when only one moved', async () => {
    const leaver = await createUser(t.database.db, { email: 'leaver@example.com', name: '离职的小赵', password: 'member-password-1' });
    const ws = (await t.database.pool.query(`select id from crm.workspaces where slug = $1`, [t.slug])).rows[0].id as string;
    await addMember(t.database.db, ws, leaver.id, 'member');
    await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws, user_id: leaver.id, role_key: 'sales_rep' }).execute();
    const accounts = await Promise.all(['泉州石狮服装', '漳州芗城食品', '龙岩新罗矿业'].map((name) => create('owner', 'accounts', { name, owner_id: leaver.id })));
    const contact = await create('owner', 'contacts', { name: '赵小军', owner_id: leaver.id });
    const before = (await assigned('wang')).length;

    const res = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/admin/members/${leaver.id}/reassign`, payload: { to: users.wang!.id }, headers: { cookie: t.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.moved).toMatchObject({ accounts: 3, contacts: 1 });
    const got = (await feed('wang', '?limit=100')).data.filter((n) => n.kind === 'assigned').slice(0, 2);
    expect(got).toHaveLength(2);
    expect(got.find((n) => n.entity === 'contacts')).toMatchObject({ recordId: contact.id, title: '赵小军', data: {}, actor: { id: users.owner!.id } });
    expect(got.find((n) => n.entity === 'accounts')).toMatchObject({ recordId: null, title: '', data: { count: 3, label: { 'zh-CN': expect.any(String), en: expect.any(String) } }, actor: { id: users.owner!.id } });
    expect((await assigned('wang')).length).toBe(before + 2);
    expect(accounts).toHaveLength(3);

    // Back to oneself: nothing.
    const total = await assignedCount();
    const self = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/admin/members/${users.wang!.id}/reassign`, payload: { to: users.owner!.id }, headers: { cookie: t.cookie } });
    expect(self.statusCode, self.body).toBe(200);
    expect(await assignedCount()).toBe(total);
  });
});
