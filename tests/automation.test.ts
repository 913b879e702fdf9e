import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../server/src/automation/run-store.js';
import { startTestApp, TestClock, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';
import { publishFlows, until } from './support/flows.js';

type Json = Record<string, any>;

/** A loopback HTTP receiver that answers from a script and remembers what it got. */
function receiver() {
  const got: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];
  let script: number[] = [];
  let connections = 0;
  let sideEffect: (() => Promise<void>) | null = null;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      got.push({ headers: req.headers, body, url: req.url ?? '' });
      if (sideEffect) { const f = sideEffect; sideEffect = null; await f(); }
      const status = script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 400, n: got.length }));
    });
  });
  server.on('connection', () => (connections += 1));
  return {
    got, server,
    get connections() { return connections; },
    answer(...statuses: number[]) { script = statuses; },
    /** Runs once, while the next request is being answered (someone edits the record meanwhile). */
    meanwhile(f: () => Promise<void>) { sideEffect = f; },
    async start() { await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r())); return (server.address() as AddressInfo).port; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('automations: durable runs on every write path', () => {
  let t: TestApp;
  let users: Record<string, Persona>;
  let wsId = '';
  const clock = new TestClock();
  const hook = receiver();
  const canary = receiver();
  let hookPort = 0;
  let canaryPort = 0;
  let account: Json;

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, cookie = t.cookie, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie, ...headers } });
  const runsOf = async (flow: string) => (await api('GET', `/automation/runs?flow=${flow}`)).json().data as Json[];
  const runDetail = async (id: string) => (await api('GET', `/automation/runs/${id}`)).json().data as Json;
  const settled = (flow: string, n = 1) => until(() => runsOf(flow), (rs) => rs.length >= n && rs.every((r) => ['completed', 'stopped', 'failed', 'waiting'].includes(r.status)));

  beforeAll(async () => {
    hookPort = await hook.start();
    canaryPort = await canary.start();
    t = await startTestApp({ clock, automation: { http: { allowHosts: [`127.0.0.1:${hookPort}`] }, retryDelayMs: () => 50, recoverEveryMs: 0 } });
    ({ users } = await salesTeam(t));
    wsId = (await t.database.db.selectFrom('crm.workspaces').select('id').where('slug', '=', t.slug).executeTakeFirstOrThrow()).id;
    account = (await api('POST', '/records/accounts', { name: '远航物流' })).json().data;
    await publishFlows(t, [
      {
        id: 'flw_web_lead', label: { 'zh-CN': '网站线索跟进', en: 'Web lead follow-up' },
        trigger: { kind: 'record', entity: 'leads', on: ['created'], condition: { '==': [{ var: 'source' }, 'website'] } },
        steps: [
          { id: 's_status', kind: 'update_record', config: { values: { status: 'working' } } },
          { id: 's_notify', kind: 'notify', config: { to: ['owner'], title: '新网站线索：{{record.name}}' } },
          { id: 's_mail', kind: 'send_email', config: { to: [{ var: 'record.email' }], subject: '感谢关注，{{record.name}}', body: '<p>您好 {{record.name}}，我们会尽快联系您。</p>' } },
        ],
      },
      {
        id: 'flw_proposal', label: { 'zh-CN': '进入方案阶段', en: 'Reached proposal' },
        trigger: { kind: 'field_changed', entity: 'opportunities', field: 'stage', from: ['needs_confirmed'], to: ['proposal'] },
        steps: [
          { id: 's_task', kind: 'create_task', config: { title: '准备技术方案：{{record.name}}', assignee: 'owner', due: { amount: 2, unit: 'days' } } },
          { id: 's_hook', kind: 'http_request', config: { method: 'POST', url: `http://127.0.0.1:${hookPort}/crm`, body: { opportunity: { var: 'record.id' }, name: { var: 'record.name' } }, sign: true } },
        ],
      },
      {
        id: 'flw_ssrf', label: { en: 'Posts somewhere it must not' },
        trigger: { kind: 'record', entity: 'accounts', on: ['created'] },
        steps: [{ id: 's_post', kind: 'http_request', config: { method: 'POST', url: `http://127.0.0.1:${canaryPort}/steal`, body: { id: { var: 'record.id' } } } }],
      },
      {
        id: 'flw_echo', label: { en: 'Re-triggers itself' },
        trigger: { kind: 'field_changed', entity: 'contacts', field: 'title' },
        steps: [{ id: 's_again', kind: 'update_record', config: { values: { title: { template: '{{record.title}}+' } } } }],
      },
      {
        id: 'flw_dedupe', label: { en: 'Partner leads, once' },
        trigger: { kind: 'record', entity: 'leads', on: ['created'], condition: { '==': [{ var: 'source' }, 'partner'] } },
        steps: [
          { id: 's_dup', kind: 'find_duplicate', config: { fields: ['phone', 'email'], onFound: 'stop' } },
          { id: 's_work', kind: 'update_record', config: { values: { status: 'working' } } },
        ],
      },
      {
        id: 'flw_stale', label: { en: 'Updates a record someone edited meanwhile' },
        trigger: { kind: 'record', entity: 'leads', on: ['created'], condition: { '==': [{ var: 'source' }, 'cold_call'] } },
        steps: [
          { id: 's_ping', kind: 'http_request', config: { method: 'POST', url: `http://127.0.0.1:${hookPort}/ping`, body: { id: { var: 'record.id' } } } },
          { id: 's_upd', kind: 'update_record', config: { values: { status: 'working' } } },
        ],
      },
      {
        id: 'flw_wait', label: { en: 'Waits a day' },
        trigger: { kind: 'record', entity: 'leads', on: ['created'], condition: { '==': [{ var: 'source' }, 'exhibition'] } },
        steps: [
          { id: 's_delay', kind: 'delay', config: { for: { amount: 1, unit: 'days' } } },
          { id: 's_after', kind: 'update_record', config: { values: { status: 'nurturing' } } },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await hook.close();
    await canary.close();
  });

  it('runs a flow on a created record: the update, the notification and the mail happen once, named by flow and run', async () => {
    const lead = (await api('POST', '/records/leads', { name: '陈静', company: '远航物流', email: 'chen.jing@example.com', source: 'website', owner_id: users.zhang!.id })).json().data;
    const [run] = await settled('flw_web_lead');
    expect(run).toMatchObject({ status: 'completed', entity: 'leads', recordId: lead.id, triggeredBy: users.owner!.id });
    const detail = await runDetail(run!.id);
    expect(detail.steps.map((s: Json) => [s.key, s.kind, s.status])).toEqual([
      ['s_status', 'update_record', 'done'], ['s_notify', 'notify', 'done'], ['s_mail', 'send_email', 'done'],
    ]);
    expect((await api('GET', `/records/leads/${lead.id}`)).json().data.status).toBe('working');

    // The audit row names the flow, the run, the step and whose action set it off.
    const audit = await t.database.db.selectFrom('crm.audit_log').select(['actor_id', 'via', 'changes']).where('record_id', '=', lead.id).where('action', '=', 'record.update').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.via).toMatchObject({ flow: 'flw_web_lead', run: run!.id, step: 's_status', chain: ['flw_web_lead'], by: users.owner!.id });

    // The record's history names the automation by its label, and whose action set it off.
    const history = (await api('GET', `/records/leads/${lead.id}/history`)).json().data as Json[];
    expect(history[0]).toMatchObject({ action: 'record.update', via: { flow: 'flw_web_lead', label: { 'zh-CN': '网站线索跟进' }, run: run!.id, by: users.owner!.id } });
    expect(history[1]!.via).toBeUndefined();

    const notes = (await api('GET', '/notifications', undefined, users.zhang!.cookie)).json().data as Json[];
    expect(notes.filter((n) => n.kind === 'automation').map((n) => n.title)).toEqual(['新网站线索：陈静']);

    const mail = (await api('GET', '/outbox')).json().data as Json[];
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to: ['chen.jing@example.com'], subject: '感谢关注，陈静', status: 'captured', messageId: `<${run!.id}.s_mail@${wsId}>` });
  });

  it('runs as the flow owner, limited to their rights, and names the rep whose write set it off (SECURITY-CASES 10)', async () => {
    const lead = (await api('POST', '/records/leads', { name: '蒋六', email: 'jiang@example.com', source: 'website' }, users.zhang!.cookie)).json().data;
    const run = await until(async () => (await runsOf('flw_web_lead')).find((r) => r.recordId === lead.id), (r) => r?.status === 'completed');
    expect(run!.triggeredBy).toBe(users.zhang!.id);
    expect(run!.actedAs).toBe(users.owner!.id);
    const steps = (await runDetail(run!.id)).steps as Json[];
    expect(steps[0]).toMatchObject({ key: 's_status', input: { values: { status: 'working' } }, output: { id: lead.id } });
    const audit = await t.database.db.selectFrom('crm.audit_log').select(['actor_id', 'via']).where('record_id', '=', lead.id).where('action', '=', 'record.update').executeTakeFirstOrThrow();
    // The flow's owner is the member who published it (the workspace owner here): the write is theirs, set off by 张伟.
    expect(audit.actor_id).toBe(users.owner!.id);
    expect(audit.via).toMatchObject({ flow: 'flw_web_lead', run: run!.id, by: users.zhang!.id });
    // 张伟 cannot read the run log.
    expect((await api('GET', `/automation/runs/${run!.id}`, undefined, users.zhang!.cookie)).statusCode).toBe(403);
  });

  it('refuses a flow with an unknown step kind at save, and one naming a missing field at publish, each with its pointer', async () => {
    const put = async (body: Json) => {
      const draft = (await api('GET', '/meta/draft')).json();
      return t.app.inject({ method: 'PUT', url: `/api/w/${t.slug}/meta/draft/flow/flw_bad`, payload: { id: 'flw_bad', schemaVersion: 1, enabled: true, label: { en: 'bad' }, ...body }, headers: { cookie: t.cookie, 'if-match': `"${draft.draftRevision}"` } });
    };
    const trigger = { kind: 'record', entity: 'leads', on: ['created'] };
    const unknownKind = await put({ trigger, steps: [{ id: 's1', kind: 'launch_rocket', config: {} }] });
    expect(unknownKind.statusCode).toBe(422);
    expect(unknownKind.json().details.map((d: Json) => d.pointer)).toContain('/flow/flw_bad/steps/0/kind');
    // A field of another document may be added later in the same draft: reported now, refused when publishing.
    const missing = await put({ trigger, steps: [{ id: 's1', kind: 'update_record', config: { values: { no_such_field: 'x' } } }] });
    expect(missing.statusCode).toBe(200);
    expect(missing.json().pending.map((d: Json) => d.pointer)).toEqual(['/steps/0/config/values/no_such_field']);
    const plan = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/plan`, payload: {}, headers: { cookie: t.cookie } });
    expect(plan.statusCode).toBe(422);
    expect(JSON.stringify(plan.json())).toContain('/steps/0/config/values/no_such_field');
    const draft = (await api('GET', '/meta/draft')).json();
    await t.app.inject({ method: 'DELETE', url: `/api/w/${t.slug}/meta/draft/flow/flw_bad`, headers: { cookie: t.cookie, 'if-match': `"${draft.draftRevision}"` } });
  });

  it('escapes record values inserted into an email body', async () => {
    await api('POST', '/records/leads', { name: '<script>alert(1)</script>', email: 'x@example.com', source: 'website' });
    const mail = await until(async () => ((await api('GET', '/outbox')).json().data as Json[]).find((m) => m.to[0] === 'x@example.com'), (m) => !!m);
    const full = (await api('GET', `/outbox/${mail!.id}`)).json().data;
    expect(full.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(full.html).not.toContain('<script>');
  });

  it('triggers nothing for a write that is refused or does not match', async () => {
    const before = (await runsOf('flw_web_lead')).length;
    const refused = await api('POST', '/records/leads', { name: '', source: 'website' });
    expect(refused.statusCode).toBe(422);
    await api('POST', '/records/leads', { name: '不匹配', source: 'referral' });
    await t.app.services.automation!.pump(wsId);
    await until(() => t.database.db.selectFrom('crm.automation_inbox').selectAll().execute(), (rows) => rows.length === 0);
    expect((await runsOf('flw_web_lead')).length).toBe(before);
  });

  it('fires on a field change from one value to another, creates the task and posts a signed webhook with an idempotency key', async () => {
    const created = await api('POST', '/records/opportunities', { name: '远航 TMS', account: account.id, stage: 'needs_confirmed', amount: '380000', expected_close: '2026-12-31', owner_id: users.li!.id }, users.owner!.cookie);
    expect(created.statusCode, created.body).toBe(201);
    const opp = created.json().data;
    expect((await api('PATCH', `/records/opportunities/${opp.id}`, { stage: 'proposal' }, t.cookie, { 'if-match': `"${opp.version}"` })).statusCode).toBe(200);
    const [run] = await settled('flw_proposal');
    expect(run!.status).toBe('completed');
    const tasks = (await api('GET', `/records/tasks?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'opportunity' }, opp.id] }))}`)).json().data as Json[];
    expect(tasks.map((x) => [x.subject, x.assignee, x.owner_id])).toEqual([['准备技术方案：远航 TMS', users.li!.id, users.li!.id]]);
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.headers['idempotency-key']).toBe(`${run!.id}.s_hook`);
    expect(hook.got[0]!.headers['x-crm-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(hook.got[0]!.body)).toEqual({ opportunity: opp.id, name: '远航 TMS' });
  });

  it('retries a webhook that answers 5xx with backoff, the same idempotency key each time; a 4xx fails at once and retries from that step on request', async () => {
    hook.got.length = 0;
    hook.answer(500, 503, 200);
    const opp = (await api('POST', '/records/opportunities', { name: '重试项目', account: account.id, stage: 'needs_confirmed', amount: '1000', expected_close: '2026-12-31' })).json().data;
    await api('PATCH', `/records/opportunities/${opp.id}`, { stage: 'proposal' }, t.cookie, { 'if-match': `"${opp.version}"` });
    const run = await until(async () => (await runsOf('flw_proposal')).find((r) => r.recordId === opp.id), (r) => r?.status === 'completed');
    expect(hook.got.map((g) => g.headers['idempotency-key'])).toEqual(Array(3).fill(`${run!.id}.s_hook`));
    expect(run!.attempts).toBe(2);
    // The task step ran once although the run was tried three times.
    const tasks = (await api('GET', `/records/tasks?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'opportunity' }, opp.id] }))}`)).json().data as Json[];
    expect(tasks).toHaveLength(1);

    hook.got.length = 0;
    hook.answer(400);
    const opp2 = (await api('POST', '/records/opportunities', { name: '拒收项目', account: account.id, stage: 'needs_confirmed', amount: '1000', expected_close: '2026-12-31' })).json().data;
    await api('PATCH', `/records/opportunities/${opp2.id}`, { stage: 'proposal' }, t.cookie, { 'if-match': `"${opp2.version}"` });
    const failed = await until(async () => (await runsOf('flw_proposal')).find((r) => r.recordId === opp2.id), (r) => r?.status === 'failed');
    expect(hook.got).toHaveLength(1);
    expect(failed).toMatchObject({ failedStep: 's_hook', error: { code: 'http_4xx', status: 400 } });
    expect((await api('GET', '/automation/runs?status=failed')).json().data.map((r: Json) => r.id)).toContain(failed!.id);

    hook.answer(200);
    expect((await api('POST', `/automation/runs/${failed!.id}/retry`)).statusCode).toBe(200);
    const retried = await until(() => runDetail(failed!.id), (r) => r.status === 'completed');
    expect(retried.steps.map((s: Json) => [s.key, s.status])).toEqual([['s_task', 'done'], ['s_hook', 'done']]);
    expect(hook.got).toHaveLength(2);
    const tasks2 = (await api('GET', `/records/tasks?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'opportunity' }, opp2.id] }))}`)).json().data as Json[];
    expect(tasks2).toHaveLength(1);
  });

  it('refuses an HTTP step aimed at a private address: the run fails with ssrf_blocked and the canary hears nothing', async () => {
    await api('POST', '/records/accounts', { name: '内网探测公司' });
    const [run] = await settled('flw_ssrf');
    expect(run).toMatchObject({ status: 'failed', failedStep: 's_post', error: { code: 'CRM_ERR_SSRF_BLOCKED' } });
    expect(canary.connections).toBe(0);
  });

  it('stops a flow that re-triggers itself at the depth limit, rolling back the looping write', async () => {
    const contact = (await api('POST', '/records/contacts', { name: '循环测试', title: 'x' })).json().data;
    const runs = await until(() => runsOf('flw_echo'), (rs) => rs.some((r) => r.status === 'failed'));
    const failed = runs.find((r) => r.status === 'failed')!;
    expect(failed.error.code).toBe('loop_detected');
    expect(runs.filter((r) => r.status === 'completed')).toHaveLength(4);
    expect(failed.chain).toEqual(['flw_echo', 'flw_echo', 'flw_echo', 'flw_echo']);
    // Four automated writes landed; the fifth (the looping one) was rolled back.
    expect((await api('GET', `/records/contacts/${contact.id}`)).json().data.title).toBe('x++++');
  });

  it('stops at a duplicate found by normalised phone or email, and goes on for a new one', async () => {
    const first = (await api('POST', '/records/leads', { name: '赵一', phone: '13800138000', source: 'referral' })).json().data;
    const dup = (await api('POST', '/records/leads', { name: '赵一（合作伙伴）', phone: '+86 138-0013-8000', source: 'partner', status: 'new' })).json().data;
    const fresh = (await api('POST', '/records/leads', { name: '钱二', phone: '13900139000', email: 'Qian@Example.com', source: 'partner', status: 'new' })).json().data;
    const runs = await settled('flw_dedupe', 2);
    const byRecord = new Map(runs.map((r) => [r.recordId, r]));
    expect(byRecord.get(dup.id), JSON.stringify(byRecord.get(dup.id)?.error)).toMatchObject({ status: 'stopped' });
    expect((await runDetail(byRecord.get(dup.id)!.id)).steps[0]).toMatchObject({ key: 's_dup', output: { found: true, id: first.id, count: 1 } });
    expect(byRecord.get(fresh.id)).toMatchObject({ status: 'completed' });
    expect((await api('GET', `/records/leads/${dup.id}`)).json().data.status).toBe('new');
    expect((await api('GET', `/records/leads/${fresh.id}`)).json().data.status).toBe('working');
  });

  it('writes a step\'s fields on the current version when someone edited the record while the run was going', async () => {
    hook.got.length = 0;
    let leadId = '';
    // While the run waits on its HTTP step, a person renames the lead: the run's copy of it is now older.
    hook.meanwhile(async () => {
      const cur = (await api('GET', `/records/leads/${leadId}`)).json().data;
      expect((await api('PATCH', `/records/leads/${leadId}`, { name: '改名后' }, t.cookie, { 'if-match': `"${cur.version}"` })).statusCode).toBe(200);
    });
    leadId = (await api('POST', '/records/leads', { name: '改名前', source: 'cold_call' })).json().data.id;
    const run = await until(async () => (await runsOf('flw_stale')).find((r) => r.recordId === leadId), (r) => r?.status === 'completed' || r?.status === 'failed');
    expect(run).toMatchObject({ status: 'completed', attempts: 0 });
    expect((await api('GET', `/records/leads/${leadId}`)).json().data).toMatchObject({ name: '改名后', status: 'working' });
  });

  it('never completes a writing step twice: a second runner\'s transaction rolls back with its writes', async () => {
    const store = new RunStore(t.database.db, clock);
    const [run] = await runsOf('flw_web_lead');
    const done = { key: 's_guard', kind: 'notify', output: {}, startedAt: clock.now() };
    await t.database.db.transaction().execute((tx) => store.complete(run!.id, [done], tx, 's_guard'));
    await expect(t.database.db.transaction().execute(async (tx) => {
      await sql`insert into crm.automation_inbox (audit_id, workspace_id) values (987654321, ${wsId}::uuid)`.execute(tx);
      await store.complete(run!.id, [done], tx, 's_guard');
    })).rejects.toThrow(/already done/);
    expect((await sql`select 1 from crm.automation_inbox where audit_id = 987654321`.execute(t.database.db)).rows).toHaveLength(0);
  });

  it('waits a day on a delay without holding anything, then goes on when the (moved) clock says so', async () => {
    const lead = (await api('POST', '/records/leads', { name: '展会线索', source: 'exhibition' })).json().data;
    const [run] = await settled('flw_wait');
    expect(run!.status).toBe('waiting');
    expect(new Date(run!.wakeAt).getTime() - clock.now().getTime()).toBeGreaterThan(23 * 3600_000);
    clock.advance(24 * 3600_000 + 1000);
    await t.app.services.automation!.runNow([run!.id]);
    const done = await runDetail(run!.id);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect((await api('GET', `/records/leads/${lead.id}`)).json().data.status).toBe('nurturing');
  });
});
