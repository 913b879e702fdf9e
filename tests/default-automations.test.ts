import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@crm/server';
import { startTestApp, TestClock, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';
import { until } from './support/flows.js';

type Json = Record<string, any>;
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The default CRM's own automations, as installed, on a sales organisation:
 * 销售中心 above 华东 (华东, 华北) and 华南. The clock starts 30 days ahead of
 * the database's, so time jobs wait for `runDue()` (see automation-triggers).
 */
describe('the default CRM automations', () => {
  let t: TestApp;
  let users: Record<string, Persona>;
  const clock = new TestClock(Math.floor(Date.now() / MIN) * MIN + 30 * 24 * HOUR + 10_000);
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, cookie = t.cookie, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie, ...headers } });
  const runsOf = async (flow: string, record: string) => ((await api('GET', `/automation/runs?flow=${flow}&record=${record}`)).json().data as Json[]);
  const settled = (flow: string, record: string) => until(() => runsOf(flow, record), (rs) => rs.length > 0 && rs.every((r) => ['completed', 'stopped', 'failed'].includes(r.status)));
  const titles = async (p: Persona) => ((await api('GET', '/notifications', undefined, p.cookie)).json().data as Json[]).filter((n) => n.kind === 'automation').map((n) => n.title as string);
  const lead = async (id: string) => (await api('GET', `/records/leads/${id}`)).json().data as Json;
  /** The lead's wake-up job for a time flow exists: the pump has seen the assignment (the worker does that on its own). */
  const scheduled = (flow: string, id: string) => until(async () => (await t.database.pool.query(
    `select 1 from graphile_worker.jobs where key like $1`, [`automation_time:%:${flow}:${id}`])).rowCount, (n) => n === 1);

  beforeAll(async () => {
    t = await startTestApp({ clock, automation: { retryDelayMs: () => 50, recoverEveryMs: 0 } });
    ({ users } = await salesTeam(t));
    const ws = (await t.database.db.selectFrom('crm.workspaces').select('id').where('slug', '=', t.slug).executeTakeFirstOrThrow()).id;
    const center = uuidv7();
    await t.database.db.insertInto('crm.teams').values({ id: center, workspace_id: ws, name: '销售中心' }).execute();
    await t.database.db.updateTable('crm.teams').set({ parent_id: center, attributes: JSON.stringify({ regions: '华东,华北' }) }).where('name', '=', '华东销售部').execute();
    await t.database.db.updateTable('crm.teams').set({ parent_id: center, attributes: JSON.stringify({ regions: '华南' }) }).where('name', '=', '华南销售部').execute();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('assigns a new ownerless lead by region, welcomes it, tells its owner; a duplicate stays where it is', async () => {
    const south = (await api('POST', '/records/leads', { name: '周杰', phone: '+86 139 0000 1111', email: 'zhou@example.com', region: 'south', owner_id: null })).json().data;
    await settled('flw_lead_intake', south.id);
    expect((await lead(south.id)).owner_id).toBe(users.wang!.id);
    expect(await titles(users.wang!)).toContain('新线索分配给你：周杰');
    const mail = ((await api('GET', '/outbox')).json().data as Json[]).find((m) => m.to[0] === 'zhou@example.com');
    expect(mail).toMatchObject({ subject: '感谢您的关注，周杰', status: 'captured' });
    // Its history says who assigned it and why.
    const history = (await api('GET', `/records/leads/${south.id}/history`)).json().data as Json[];
    expect(history.find((h) => h.via?.reason)).toMatchObject({ via: { flow: 'flw_lead_intake', reason: { 'zh-CN': expect.stringContaining('王磊') } } });

    // East: the three people of 华东销售部 take turns.
    const east: string[] = [];
    for (const name of ['吴一', '郑二', '冯三']) {
      const l = (await api('POST', '/records/leads', { name, phone: `1380000${east.length}000`, region: 'east', owner_id: null })).json().data;
      await settled('flw_lead_intake', l.id);
      east.push((await lead(l.id)).owner_id);
    }
    expect(new Set(east)).toEqual(new Set([users.manager!.id, users.zhang!.id, users.li!.id]));

    const dup = (await api('POST', '/records/leads', { name: '周杰（重复）', phone: '13900001111', region: 'south', owner_id: null })).json().data;
    const [run] = await settled('flw_lead_intake', dup.id);
    expect(run!.status).toBe('stopped');
    expect((await lead(dup.id)).owner_id).toBeNull();
  });

  it('reminds the manager after 30 minutes, warns the owner after 2 days and puts the lead back in the pool after 3 days without a follow-up', async () => {
    const l = (await api('POST', '/records/leads', { name: '褚四', phone: '13700002222', region: 'east', owner_id: null })).json().data;
    await settled('flw_lead_intake', l.id);
    const owner = (await lead(l.id)).owner_id as string;
    const person = Object.values(users).find((u) => u.id === owner)!;
    const auto = t.app.services.automation!;
    for (const flow of ['flw_lead_no_touch_30m', 'flw_lead_recycle_warning', 'flw_lead_recycle', 'flw_lead_nurture_72h']) await scheduled(flow, l.id);

    clock.advance(31 * MIN);
    await auto.runDue();
    await settled('flw_lead_no_touch_30m', l.id);
    if (owner !== users.manager!.id) expect(await titles(users.manager!)).toContain('线索 褚四 分配 30 分钟仍未跟进');

    clock.advance(48 * HOUR - 31 * MIN);
    await auto.runDue();
    await settled('flw_lead_recycle_warning', l.id);
    expect(await titles(person)).toContain('线索 褚四 将在 24 小时后退回公海');

    clock.advance(24 * HOUR + MIN);
    await auto.runDue();
    await settled('flw_lead_recycle', l.id);
    const after = await lead(l.id);
    expect(after.owner_id).toBeNull();
    expect(after.status).toBe('nurturing');
  });

  it('keeps a lead whose owner logged a call', async () => {
    const l = (await api('POST', '/records/leads', { name: '卫五', phone: '13600003333', region: 'south', owner_id: null })).json().data;
    await settled('flw_lead_intake', l.id);
    await scheduled('flw_lead_recycle', l.id);
    await api('POST', '/records/activities', { subject: '首次电话', kind: 'call', occurred_at: clock.now().toISOString(), lead: l.id }, users.wang!.cookie);
    clock.advance(72 * HOUR + MIN);
    await t.app.services.automation!.runDue();
    expect((await lead(l.id)).owner_id).toBe(users.wang!.id);
    expect(await runsOf('flw_lead_recycle', l.id)).toEqual([]);
  });

  it('gives the owner a "prepare the technical proposal" task when an opportunity reaches Proposal', async () => {
    const account = (await api('POST', '/records/accounts', { name: '海天机械' })).json().data;
    const opp = (await api('POST', '/records/opportunities', { name: '海天 MES', account: account.id, stage: 'needs_confirmed', amount: '500000', expected_close: '2027-06-30', owner_id: users.zhang!.id })).json().data;
    await api('PATCH', `/records/opportunities/${opp.id}`, { stage: 'proposal' }, t.cookie, { 'if-match': `"${opp.version}"` });
    await settled('flw_opp_proposal', opp.id);
    const tasks = (await api('GET', `/records/tasks?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'opportunity' }, opp.id] }))}`)).json().data as Json[];
    expect(tasks.map((x) => [x.subject, x.assignee, x.status])).toEqual([['准备技术方案：海天 MES', users.zhang!.id, 'open']]);
    expect(await titles(users.zhang!)).toContain('海天 MES 进入方案阶段');
  });
});
