import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';
import { publishFlows, until } from './support/flows.js';

type Json = Record<string, any>;

describe('automations: dry run of the whole cascade', () => {
  let t: TestApp;
  let users: Record<string, Persona>;
  let schema = '';
  let connections = 0;
  let port = 0;
  const receiver: Server = createServer((_req, res) => res.end('{}'));
  receiver.on('connection', () => (connections += 1));
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown, cookie = t.cookie) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie } });

  /** Row counts of every system and entity table, the job queue, and the counters: what a dry run must leave as it was. */
  async function snapshot() {
    // Whatever the worker still had to do from before (a publish's backfill, a pump) is done first: the snapshot is
    // of a quiet queue, so a difference can only come from the dry run.
    await until(async () => Number((await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
      where task_identifier <> 'automation_tick' and run_at <= now()`.execute(t.database.db)).rows[0]!.n), (n) => n === 0);
    const { rows } = await sql<{ t: string }>`select table_schema || '.' || table_name as t from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema in ('crm', ${schema})`.execute(t.database.db);
    const counts: Record<string, number> = {};
    for (const { t: name } of rows) {
      const [s, n] = name.split('.');
      counts[name] = Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${s}.${n}`)}`.execute(t.database.db)).rows[0]!.n);
    }
    const counters = (await sql`select * from crm.counters order by entity, field, period`.execute(t.database.db)).rows;
    // The queue, but for the schedule trigger's minutely tick, which graphile's crontab adds whatever the test does.
    counts.jobs = Number((await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs where task_identifier <> 'automation_tick'`.execute(t.database.db)).rows[0]!.n);
    const cursors = (await sql`select * from crm.assignment_cursors order by rule_key`.execute(t.database.db)).rows;
    return { counts, counters, cursors };
  }

  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    port = (receiver.address() as AddressInfo).port;
    t = await startTestApp({ automation: { http: { allowHosts: [`127.0.0.1:${port}`] } } });
    ({ users } = await salesTeam(t));
    schema = (await t.database.db.selectFrom('crm.workspaces').select('schema_name').where('slug', '=', t.slug).executeTakeFirstOrThrow()).schema_name;
    await publishFlows(t, [
      {
        id: 'flw_new_lead', label: { 'zh-CN': '新线索', en: 'New lead' },
        trigger: { kind: 'record', entity: 'leads', on: ['created'], condition: { '==': [{ var: 'source' }, 'website'] } },
        steps: [
          { id: 's_assign', kind: 'assign_owner', config: { strategy: 'round_robin', team: '华东销售部' } },
          { id: 's_status', kind: 'update_record', config: { values: { status: 'working' } } },
          { id: 's_mail', kind: 'send_email', config: { to: [{ var: 'record.email' }], subject: '欢迎 {{record.name}}', body: '您好 {{record.name}}' } },
          { id: 's_hook', kind: 'http_request', config: { method: 'POST', url: `http://127.0.0.1:${port}/erp`, body: { name: { var: 'record.name' } } } },
          { id: 's_wait', kind: 'delay', config: { for: { amount: 3, unit: 'days' } } },
          { id: 's_nurture', kind: 'update_record', config: { values: { status: 'nurturing' } } },
        ],
      },
      {
        id: 'flw_working_task', label: { 'zh-CN': '跟进任务', en: 'Follow-up task' },
        trigger: { kind: 'field_changed', entity: 'leads', field: 'status', to: ['working'] },
        steps: [{ id: 's_task', kind: 'create_task', config: { title: '首次联系 {{record.name}}', assignee: 'owner', due: { amount: 1, unit: 'days' } } }],
      },
      {
        id: 'flw_task_note', label: { 'zh-CN': '任务提醒', en: 'Task notice' },
        trigger: { kind: 'record', entity: 'tasks', on: ['created'] },
        steps: [{ id: 's_note', kind: 'notify', config: { to: ['owner'], title: '新任务：{{record.subject}}' } }],
      },
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('follows every flow the change sets off, step by step, and afterwards nothing has changed', async () => {
    const before = await snapshot();
    const res = await api('POST', '/automation/dry-run', { entity: 'leads', values: { name: '陈静', email: 'chen@example.com', source: 'website' } });
    expect(res.statusCode, res.body).toBe(200);
    const { runs, totals } = res.json().data as { runs: Json[]; totals: Json };

    expect(runs.map((r) => [r.flow, r.depth, r.status])).toEqual([
      ['flw_new_lead', 0, 'completed'], ['flw_working_task', 1, 'completed'], ['flw_task_note', 2, 'completed'],
    ]);
    const [lead, task, note] = runs as [Json, Json, Json];
    expect(lead.steps.map((s: Json) => s.kind)).toEqual(['assign_owner', 'update_record', 'send_email', 'http_request', 'delay', 'update_record']);
    expect(lead.steps.map((s: Json) => [s.key, s.status])).toEqual([
      ['s_assign', 'done'], ['s_status', 'done'], ['s_mail', 'done'], ['s_hook', 'done'], ['s_wait', 'skipped_wait'], ['s_nurture', 'done'],
    ]);
    const assign = lead.steps[0];
    expect(assign.writes).toEqual([expect.objectContaining({ entity: 'leads', action: 'update', changes: expect.objectContaining({ owner_id: { from: users.owner!.id, to: expect.any(String) } }) })]);
    expect([users.manager!.id, users.zhang!.id, users.li!.id]).toContain(assign.writes[0].changes.owner_id.to);
    expect(lead.steps[1].writes[0].changes.status).toEqual({ from: null, to: 'working' });
    expect(lead.steps[2].mails).toEqual([expect.objectContaining({ to: ['chen@example.com'], subject: '欢迎 陈静' })]);
    expect(lead.steps[3].requests).toEqual([expect.objectContaining({ method: 'POST', url: `http://127.0.0.1:${port}/erp`, body: '{"name":"陈静"}' })]);
    expect(lead.steps[4].delayedMs).toBe(3 * 86_400_000);
    expect(lead.steps[5].writes[0].changes.status).toEqual({ from: 'working', to: 'nurturing' });
    expect(task.steps[0].writes).toEqual([expect.objectContaining({ entity: 'tasks', action: 'create' })]);
    expect(task.steps[0].writes[0].changes.subject).toEqual({ from: null, to: '首次联系 陈静' });
    expect(note.steps[0].notifications).toEqual([expect.objectContaining({ title: '新任务：首次联系 陈静' })]);
    expect(totals).toMatchObject({ runs: 3, mails: 1, requests: 1, notifications: 1 });

    // Nothing was written, queued, counted or sent.
    expect(await snapshot()).toEqual(before);
    expect(connections).toBe(0);
  });

  it('runs one chosen flow on an existing record with a change, and refuses records the caller cannot read', async () => {
    const lead = (await api('POST', '/records/leads', { name: '王芳', source: 'referral', status: 'new' })).json().data;
    const res = await api('POST', '/automation/dry-run', { entity: 'leads', recordId: lead.id, values: { status: 'working' }, flow: 'flw_working_task' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.runs.map((r: Json) => r.flow)).toEqual(['flw_working_task', 'flw_task_note']);
    expect((await api('GET', `/records/leads/${lead.id}`)).json().data.status).toBe('new');

    expect((await api('POST', '/automation/dry-run', { entity: 'leads', recordId: lead.id }, users.zhang!.cookie)).statusCode).toBe(403);
    expect((await api('POST', '/automation/dry-run', { entity: 'leads', recordId: '01a208f5-eb0c-7161-91c0-35892c3756a1' })).statusCode).toBe(404);
    expect((await api('POST', '/automation/dry-run', { entity: 'leads', recordId: lead.id, flow: 'flw_nope' })).statusCode).toBe(404);
    const bad = await api('POST', '/automation/dry-run', { entity: 'leads', values: { name: '' } });
    expect(bad.statusCode).toBe(422);
  });
});
