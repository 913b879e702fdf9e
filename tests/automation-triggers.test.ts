import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, LocalFileStore, openDatabase, workspaceFor, type Database } from '@crm/server';
import { zonedDate, zonedMidnight } from '@crm/rules';
import { startTestApp, TestClock, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';
import { publishFlows, until } from './support/flows.js';

type Json = Record<string, any>;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TZ = 'Asia/Shanghai';

/**
 * Time, schedule, manual and webhook triggers on a real PostgreSQL.
 *
 * Time: the clock starts 30 days ahead of the real time, so every job due by
 * the test clock is still in the future for graphile-worker (which only knows
 * the database's time) and never fires on its own; `automation.runDue()`
 * runs the schedule tick and every time job due by the moved clock, in this
 * process. graphile-worker's minutely crontab keeps ticking in the background
 * at the test clock's minute: harmless, since a tick covers the minutes since
 * the last one and a run per minute is unique (the counts below hold whether
 * the background tick or the test's got there first).
 */
describe('automation triggers', () => {
  let t: TestApp;
  let users: Record<string, Persona>;
  let wsId = '';
  const clock = new TestClock(Math.floor(Date.now() / MIN) * MIN + 30 * DAY + 10_000);
  let account: Json;

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, cookie = t.cookie, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie, ...headers } });
  const runsOf = async (flow: string) => (await t.database.pool.query(
    `select id, status, entity, record_id, trigger, triggered_by, dedupe_key from crm.automation_runs where flow_id = $1 order by created_at, id`, [flow])).rows as Json[];
  const jobOf = async (key: string) => (await t.database.pool.query(`select run_at from graphile_worker.jobs where key = $1`, [key])).rows[0] as { run_at: Date } | undefined;
  const timeKey = (flow: string, record: string) => `automation_time:${wsId}:${flow}:${record}`;
  const pumped = () => t.app.services.automation!.pump(wsId);
  const automation = () => t.app.services.automation!;

  beforeAll(async () => {
    t = await startTestApp({ clock, automation: { retryDelayMs: () => 50, recoverEveryMs: 0, webhookRatePerMinute: 8 } });
    ({ users } = await salesTeam(t));
    wsId = (await t.database.db.selectFrom('crm.workspaces').select('id').where('slug', '=', t.slug).executeTakeFirstOrThrow()).id;
    account = (await api('POST', '/records/accounts', { name: '远航物流' })).json().data;
    await publishFlows(t, [
      {
        id: 'flw_close_soon', label: { 'zh-CN': '预计成交前两天提醒', en: 'Two days before expected close' },
        trigger: { kind: 'time', entity: 'opportunities', field: 'expected_close', offset: { amount: -2, unit: 'days' }, condition: { '!=': [{ var: 'stage' }, 'won'] } },
        steps: [{ id: 's_note', kind: 'notify', config: { to: ['owner'], title: '{{record.name}} 两天后预计成交' } }],
      },
      {
        id: 'flw_no_followup', label: { 'zh-CN': '分配后 24 小时未跟进', en: 'No follow-up 24 h after assignment' },
        trigger: { kind: 'time', entity: 'leads', field: 'owner_assigned_at', offset: { amount: 24, unit: 'hours' }, unlessActivitySince: true },
        steps: [{ id: 's_note', kind: 'notify', config: { to: ['owner'], title: '线索 {{record.name}} 分配 24 小时仍未跟进' } }],
      },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('time triggers', () => {
    it('fires "2 days before expected close" once, at the moved time; a double fire makes one run', async () => {
      const close = zonedDate(clock.now(), TZ, 4);
      const opp = (await api('POST', '/records/opportunities', { name: '远航 TMS', account: account.id, stage: 'initial', expected_close: close, owner_id: users.zhang!.id })).json().data;
      await pumped();
      const due = zonedMidnight(close, TZ) - 2 * DAY;
      const job = await until(() => jobOf(timeKey('flw_close_soon', opp.id)), (j) => !!j);
      expect(job!.run_at.getTime()).toBe(due);

      clock.advance(due - clock.now().getTime() - MIN);
      await automation().runDue();
      expect(await runsOf('flw_close_soon')).toHaveLength(0);

      clock.advance(2 * MIN);
      await automation().runDue();
      const runs = await runsOf('flw_close_soon');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ entity: 'opportunities', record_id: opp.id, triggered_by: null,
        trigger: { event: 'time', field: 'expected_close', anchor: new Date(zonedMidnight(close, TZ)).toISOString(), due: new Date(due).toISOString() } });
      expect(await jobOf(timeKey('flw_close_soon', opp.id))).toBeUndefined();
      await until(() => runsOf('flw_close_soon'), (rs) => rs[0]!.status === 'completed');
      const notes = (await api('GET', '/notifications', undefined, users.zhang!.cookie)).json().data as Json[];
      expect(notes.filter((n) => n.kind === 'automation').map((n) => n.title)).toContain('远航 TMS 两天后预计成交');

      // The same job fires again (a retry, a second worker): still one run for this anchor.
      await t.database.pool.query(`select graphile_worker.add_job('automation_time', json_build_object('w', $1::text, 'f', 'flw_close_soon', 'r', $2::text),
        run_at := $3, job_key := $4)`, [wsId, opp.id, new Date(due), timeKey('flw_close_soon', opp.id)]);
      await automation().runDue();
      expect(await runsOf('flw_close_soon')).toHaveLength(1);
    });

    it('moves the job when the date changes, drops it when the record is deleted or the date emptied', async () => {
      const first = zonedDate(clock.now(), TZ, 4);
      const later = zonedDate(clock.now(), TZ, 9);
      const opp = (await api('POST', '/records/opportunities', { name: '改期项目', account: account.id, stage: 'initial', expected_close: first })).json().data;
      await pumped();
      const key = timeKey('flw_close_soon', opp.id);
      await until(() => jobOf(key), (j) => j?.run_at.getTime() === zonedMidnight(first, TZ) - 2 * DAY);
      const moved = await api('PATCH', `/records/opportunities/${opp.id}`, { expected_close: later }, t.cookie, { 'if-match': `"${opp.version}"` });
      expect(moved.statusCode, moved.body).toBe(200);
      await pumped();
      await until(() => jobOf(key), (j) => j?.run_at.getTime() === zonedMidnight(later, TZ) - 2 * DAY);
      // Past the first due time: nothing fires (the one job now waits for the new date).
      clock.advance(zonedMidnight(first, TZ) - 2 * DAY - clock.now().getTime() + HOUR);
      await automation().runDue();
      expect((await runsOf('flw_close_soon')).filter((r) => r.record_id === opp.id)).toHaveLength(0);

      // Emptied: the job goes.
      const emptied = await api('PATCH', `/records/opportunities/${opp.id}`, { expected_close: null }, t.cookie, { 'if-match': `"${moved.json().data.version}"` });
      expect(emptied.statusCode, emptied.body).toBe(200);
      await pumped();
      await until(() => jobOf(key), (j) => j === undefined);

      // Deleted: the job goes too.
      const gone = (await api('POST', '/records/opportunities', { name: '将删除项目', account: account.id, stage: 'initial', expected_close: zonedDate(clock.now(), TZ, 3) })).json().data;
      await pumped();
      const goneKey = timeKey('flw_close_soon', gone.id);
      await until(() => jobOf(goneKey), (j) => !!j);
      expect((await api('DELETE', `/records/opportunities/${gone.id}`, undefined, t.cookie, { 'if-match': `"${gone.version}"` })).statusCode).toBe(200);
      await pumped();
      await until(() => jobOf(goneKey), (j) => j === undefined);
      clock.advance(2 * DAY);
      await automation().runDue();
      expect((await runsOf('flw_close_soon')).filter((r) => r.record_id === opp.id || r.record_id === gone.id)).toHaveLength(0);
    });

    it('does not fire "24 h after assignment unless activity" when the owner logged an activity; follows a reassignment', async () => {
      const quiet = (await api('POST', '/records/leads', { name: '沉默线索', owner_id: users.zhang!.id })).json().data;
      const busy = (await api('POST', '/records/leads', { name: '已跟进线索', owner_id: users.zhang!.id })).json().data;
      const moved = (await api('POST', '/records/leads', { name: '转派线索', owner_id: users.zhang!.id })).json().data;
      const automated = (await api('POST', '/records/leads', { name: '自动跟进线索', owner_id: users.zhang!.id })).json().data;
      const assignedAt = clock.now().getTime();
      await pumped();
      for (const l of [quiet, busy, moved, automated]) {
        await until(() => jobOf(timeKey('flw_no_followup', l.id)), (j) => j?.run_at.getTime() === Date.parse(l.created_at) + DAY);
      }
      clock.advance(2 * HOUR);
      const logged = await api('POST', '/records/activities', { subject: '电话沟通需求', kind: 'call', occurred_at: clock.now().toISOString(), lead: busy.id }, users.zhang!.cookie);
      expect(logged.statusCode, logged.body).toBe(201);
      // An activity an automation created (its audit row names the run) is not a follow-up by a person.
      const ws = (await workspaceFor(t.database.db, t.slug, users.zhang!.id))!;
      await t.app.services.records.create({ ws, userId: users.zhang!.id, via: { flow: 'flw_other', run: '01900000-0000-7000-8000-000000000001', step: 's1', chain: ['flw_other'], by: null } },
        'activities', { subject: '自动记录', kind: 'email', occurred_at: clock.now().toISOString(), lead: automated.id });
      // Reassigned ten hours in: the clock restarts at the reassignment.
      clock.advance(8 * HOUR);
      const re = await api('PATCH', `/records/leads/${moved.id}`, { owner_id: users.li!.id }, t.cookie, { 'if-match': `"${moved.version}"` });
      expect(re.statusCode, re.body).toBe(200);
      await pumped();
      await until(() => jobOf(timeKey('flw_no_followup', moved.id)), (j) => j?.run_at.getTime() === clock.now().getTime() + DAY);

      clock.advance(assignedAt + DAY + MIN - clock.now().getTime());
      await automation().runDue();
      const runs = await runsOf('flw_no_followup');
      expect(runs.map((r) => r.record_id).sort()).toEqual([quiet.id, automated.id].sort());
      expect(runs[0]!.trigger).toMatchObject({ event: 'time', field: 'owner_assigned_at', anchor: new Date(assignedAt).toISOString() });

      clock.advance(10 * HOUR);
      await automation().runDue();
      expect((await runsOf('flw_no_followup')).map((r) => r.record_id).sort()).toEqual([quiet.id, automated.id, moved.id].sort());
    });

    it('backfills existing records when a time trigger is published; moments already past are skipped', async () => {
      const soon = (await api('POST', '/records/opportunities', { name: '存量项目', account: account.id, stage: 'initial', expected_close: zonedDate(clock.now(), TZ, 14) })).json().data;
      const past = (await api('POST', '/records/opportunities', { name: '已过期项目', account: account.id, stage: 'initial', expected_close: zonedDate(clock.now(), TZ, -3) })).json().data;
      const none = (await api('POST', '/records/opportunities', { name: '无日期项目', account: account.id, stage: 'initial' })).json().data;
      const oldLead = (await api('POST', '/records/leads', { name: '三天前分配', owner_id: users.zhang!.id })).json().data;
      clock.advance(3 * DAY);
      const newLead = (await api('POST', '/records/leads', { name: '一小时前分配', owner_id: users.zhang!.id })).json().data;
      clock.advance(HOUR);
      await publishFlows(t, [
        {
          id: 'flw_week_before', label: { en: 'A week before expected close' },
          trigger: { kind: 'time', entity: 'opportunities', field: 'expected_close', offset: { amount: -7, unit: 'days' } },
          steps: [{ id: 's_note', kind: 'notify', config: { to: ['owner'], title: '{{record.name}} 一周后预计成交' } }],
        },
        {
          id: 'flw_assigned_day', label: { en: 'A day after assignment' },
          trigger: { kind: 'time', entity: 'leads', field: 'owner_assigned_at', offset: { amount: 1, unit: 'days' } },
          steps: [{ id: 's_note', kind: 'notify', config: { to: ['owner'], title: '{{record.name}} 分配一天' } }],
        },
      ]);
      // The backfill job runs on the worker after the publish commits.
      const soonJob = await until(() => jobOf(timeKey('flw_week_before', soon.id)), (j) => !!j);
      expect(soonJob!.run_at.getTime()).toBe(zonedMidnight(soon.expected_close, TZ) - 7 * DAY);
      const leadJob = await until(() => jobOf(timeKey('flw_assigned_day', newLead.id)), (j) => !!j);
      expect(leadJob!.run_at.getTime()).toBe(Date.parse(newLead.created_at) + DAY);
      await until(async () => (await t.database.pool.query(`select 1 from graphile_worker.jobs where task_identifier = 'automation_time_backfill'`)).rowCount, (n) => n === 0);
      expect(await jobOf(timeKey('flw_week_before', past.id))).toBeUndefined();
      expect(await jobOf(timeKey('flw_week_before', none.id))).toBeUndefined();
      // "A day after assignment" for a lead assigned three days ago does not fire at backfill.
      expect(await jobOf(timeKey('flw_assigned_day', oldLead.id))).toBeUndefined();
      const before = (await runsOf('flw_assigned_day')).length;
      await automation().runDue();
      expect(await runsOf('flw_assigned_day')).toHaveLength(before);
    });

    it('backfills 2,000 records in batches of one add_jobs call each', async () => {
      const close = zonedDate(clock.now(), TZ, 30);
      for (let i = 0; i < 2; i++) {
        const res = await api('POST', '/records/opportunities/batch', { records: Array.from({ length: 1000 }, (_, j) => ({ name: `批量 ${i}-${j}`, account: account.id, stage: 'initial', expected_close: close })) });
        expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      }
      await pumped();
      await publishFlows(t, [{
        id: 'flw_bulk', label: { en: 'Bulk backfill' },
        trigger: { kind: 'time', entity: 'opportunities', field: 'expected_close', offset: { amount: -1, unit: 'days' } },
        steps: [{ id: 's_note', kind: 'notify', config: { to: ['owner'], title: '{{record.name}}' } }],
      }]);
      const count = async () => Number((await t.database.pool.query(`select count(*) from graphile_worker.jobs where key like $1`, [`automation_time:${wsId}:flw_bulk:%`])).rows[0].count);
      expect(await until(count, (n) => n >= 2000, 30_000)).toBeGreaterThanOrEqual(2000);
    });
  });

  describe('schedule triggers', () => {
    it('makes one run per matching minute, and ONE catch-up run after a two-hour outage', async () => {
      await publishFlows(t, [{
        id: 'flw_minutely', label: { en: 'Every minute' },
        trigger: { kind: 'schedule', cron: '* * * * *' },
        steps: [{ id: 's_note', kind: 'notify', config: { to: [{ user: users.owner!.id }], title: '每分钟' } }],
      }]);
      expect(await runsOf('flw_minutely')).toHaveLength(0);
      for (let i = 0; i < 5; i++) {
        clock.advance(MIN);
        await automation().tick();
      }
      const runs = await runsOf('flw_minutely');
      expect(runs).toHaveLength(5);
      const minutes = runs.map((r) => Date.parse(r.trigger.at));
      expect(minutes.every((m, i) => i === 0 || m - minutes[i - 1]! === MIN)).toBe(true);
      expect(runs.map((r) => r.dedupe_key)).toEqual(runs.map((r) => `schedule:flw_minutely:${r.trigger.at}`));
      expect(runs.every((r) => r.trigger.catchUp === false && r.entity === null)).toBe(true);

      // The same minute again: nothing new.
      await automation().tick();
      expect(await runsOf('flw_minutely')).toHaveLength(5);

      clock.advance(2 * HOUR);
      await automation().tick();
      await automation().tick();
      const after = await runsOf('flw_minutely');
      expect(after).toHaveLength(6);
      expect(after[5]!.trigger).toMatchObject({ catchUp: true, timeZone: TZ, at: new Date(Math.floor(clock.now().getTime() / MIN) * MIN).toISOString() });
      await until(() => runsOf('flw_minutely'), (rs) => rs.every((r) => r.status === 'completed'));
    });

    it('runs a weekday-morning schedule in the workspace time zone', async () => {
      await publishFlows(t, [{
        id: 'flw_morning', label: { en: 'Weekdays at nine' },
        trigger: { kind: 'schedule', cron: '0 9 * * 1-5' },
        steps: [{ id: 's_note', kind: 'notify', config: { to: [{ user: users.owner!.id }], title: '早上好' } }],
      }]);
      // Step through two days an hour at a time (any two days hold a weekday 09:00): one run per weekday 09:00 Shanghai time.
      const fired: string[] = [];
      for (let h = 0; h < 48; h++) {
        clock.advance(HOUR);
        await automation().tick();
      }
      for (const r of await runsOf('flw_morning')) {
        const local = new Date(Date.parse(r.trigger.at) + 8 * HOUR);
        expect([local.getUTCHours(), local.getUTCMinutes()]).toEqual([9, 0]);
        expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
        fired.push(r.trigger.at);
      }
      expect(new Set(fired).size).toBe(fired.length);
      expect(fired.length).toBeGreaterThanOrEqual(1);
      expect(fired.length).toBeLessThanOrEqual(2);
    });

    it('two server instances on one database make exactly one run per minute', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'crm-files-b-'));
      const database: Database = openDatabase(t.testDb.connectionString, { max: 5 });
      let other: FastifyInstance | undefined;
      try {
        other = await build({ database, fileStore: new LocalFileStore(dir), clock, automation: { recoverEveryMs: 0 } });
        await publishFlows(t, [{
          id: 'flw_pair', label: { en: 'Every minute, two instances' },
          trigger: { kind: 'schedule', cron: '* * * * *' },
          steps: [{ id: 's_note', kind: 'notify', config: { to: [{ user: users.owner!.id }], title: '两个实例' } }],
        }]);
        for (let i = 0; i < 5; i++) {
          clock.advance(MIN);
          // Both processes tick the same minute at the same moment.
          await Promise.all([automation().tick(), other.services.automation!.tick(), automation().tick(), other.services.automation!.tick()]);
        }
        const runs = await runsOf('flw_pair');
        expect(runs).toHaveLength(5);
        expect(new Set(runs.map((r) => r.trigger.at)).size).toBe(5);
        // Every run executed once, by whichever worker took its job.
        await until(() => runsOf('flw_pair'), (rs) => rs.every((r) => r.status === 'completed'));
        const notes = await t.database.pool.query(`select count(*)::int as n from crm.notifications where title = '两个实例'`);
        expect(notes.rows[0].n).toBe(5);
      } finally {
        await other?.close();
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('manual buttons', () => {
    let zhangLead: Json;
    let liLead: Json;
    let wangLead: Json;
    let poolLead: Json;
    let closedLead: Json;

    beforeAll(async () => {
      await publishFlows(t, [
        {
          id: 'flw_escalate', label: { 'zh-CN': '升级给经理', en: 'Escalate' },
          trigger: { kind: 'manual', entity: 'leads', button: { 'zh-CN': '升级', en: 'Escalate' }, roles: ['sales_manager'] },
          steps: [{ id: 's_note', kind: 'notify', config: { to: ['trigger_user'], title: '已升级 {{record.name}}' } }],
        },
        {
          id: 'flw_working', label: { 'zh-CN': '标记跟进中', en: 'Mark working' },
          trigger: { kind: 'manual', entity: 'leads', button: { 'zh-CN': '开始跟进', en: 'Start working' }, condition: { '!': [{ '==': [{ var: 'status' }, 'disqualified'] }] } },
          steps: [{ id: 's_status', kind: 'update_record', config: { values: { status: 'working' } } }],
        },
      ]);
      const make = async (name: string, extra: Json) => (await api('POST', '/records/leads', { name, ...extra })).json().data as Json;
      zhangLead = await make('张伟的线索', { owner_id: users.zhang!.id });
      liLead = await make('李娜的线索', { owner_id: users.li!.id });
      wangLead = await make('王磊的线索', { owner_id: users.wang!.id });
      poolLead = await make('公海线索', { owner_id: null });
      closedLead = await make('已关闭线索', { owner_id: users.zhang!.id, status: 'disqualified', disqualify_reason: '无预算' });
      expect(closedLead?.id).toBeDefined();
    });

    const press = (flow: string, ids: string[], who: Persona, entity = 'leads') => api('POST', `/automation/flows/${flow}/run`, { entity, ids }, who.cookie);

    it('lists the buttons a caller may press', async () => {
      const names = async (who: Persona) => ((await api('GET', '/automation/buttons?entity=leads', undefined, who.cookie)).json().data as Json[]).map((b) => b.flow).sort();
      expect(await names(users.zhang!)).toEqual(['flw_working']);
      expect(await names(users.manager!)).toEqual(['flw_escalate', 'flw_working']);
      const one = ((await api('GET', '/automation/buttons?entity=leads', undefined, users.zhang!.cookie)).json().data as Json[])[0];
      expect(one).toMatchObject({ flow: 'flw_working', button: { 'zh-CN': '开始跟进', en: 'Start working' }, label: { en: 'Mark working' }, conditional: true });
      expect((await api('GET', '/automation/buttons?entity=accounts', undefined, users.zhang!.cookie)).json().data).toEqual([]);
      expect((await api('GET', '/automation/buttons', undefined, users.zhang!.cookie)).statusCode).toBe(400);
    });

    it('runs a flow on the selected records the caller may update, as triggered by the caller', async () => {
      const res = await press('flw_escalate', [zhangLead.id, liLead.id], users.manager!);
      expect(res.statusCode, res.body).toBe(202);
      const data = res.json().data;
      expect(data.skipped).toEqual([]);
      expect(data.runs.map((r: Json) => r.recordId)).toEqual([zhangLead.id, liLead.id]);
      const runs = await runsOf('flw_escalate');
      expect(runs.map((r) => [r.record_id, r.triggered_by, r.trigger.event]).sort()).toEqual([
        [zhangLead.id, users.manager!.id, 'manual'], [liLead.id, users.manager!.id, 'manual'],
      ].sort());
      expect(runs.map((r) => r.id).sort()).toEqual(data.runs.map((r: Json) => r.runId).sort());
      await until(() => runsOf('flw_escalate'), (rs) => rs.every((r) => r.status === 'completed'));
      const notes = (await api('GET', '/notifications', undefined, users.manager!.cookie)).json().data as Json[];
      expect(notes.filter((n) => n.kind === 'automation').map((n) => n.title).sort()).toEqual(['已升级 张伟的线索', '已升级 李娜的线索']);
    });

    it('refuses a caller without the flow\'s roles (403) and a flow that is not a button for that entity (404)', async () => {
      const res = await press('flw_escalate', [zhangLead.id], users.zhang!);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('CRM_ERR_FLOW_NOT_ALLOWED');
      expect((await press('flw_working', [account.id], users.owner!, 'accounts')).statusCode).toBe(404);
      expect((await press('flw_close_soon', [zhangLead.id], users.owner!)).statusCode).toBe(404);
      expect((await press('flw_nothing', [zhangLead.id], users.owner!)).statusCode).toBe(404);
      expect((await press('BAD..', [zhangLead.id], users.owner!)).statusCode).toBe(404);
      expect((await api('POST', '/automation/flows/flw_working/run', { entity: 'leads', ids: [] }, users.zhang!.cookie)).statusCode).toBe(400);
      expect((await api('POST', '/automation/flows/flw_working/run', { entity: 'leads', ids: Array(201).fill(zhangLead.id) }, users.zhang!.cookie)).statusCode).toBe(400);
      expect((await api('POST', '/automation/flows/flw_working/run', { entity: 'leads', ids: [zhangLead.id], extra: 1 }, users.zhang!.cookie)).statusCode).toBe(400);
    });

    it('refuses out-of-scope ids exactly like missing ones (404), all or nothing; readable but not updatable is 403', async () => {
      const before = (await runsOf('flw_working')).length;
      const missing = '01900000-0000-7000-8000-000000000000';
      const cases: [Persona, string[], number][] = [
        [users.zhang!, [zhangLead.id, wangLead.id], 404], // another team's lead, smuggled in with an own one
        [users.zhang!, [zhangLead.id, missing], 404],
        [users.zhang!, [zhangLead.id, 'not-a-uuid'], 404],
        [users.manager!, [zhangLead.id, wangLead.id], 404],
        [users.zhang!, [poolLead.id], 403], // the pool is readable by reps, not theirs to update
      ];
      for (const [who, ids, status] of cases) {
        const res = await press('flw_working', ids, who);
        expect(res.statusCode, `${who.name} ${ids.join(',')}: ${res.body}`).toBe(status);
      }
      const notFound = await press('flw_working', [wangLead.id], users.zhang!);
      const reallyMissing = await press('flw_working', [missing], users.zhang!);
      expect(notFound.json()).toEqual(reallyMissing.json());
      expect((await runsOf('flw_working')).length).toBe(before);
    });

    it('skips records whose trigger condition does not hold', async () => {
      const res = await press('flw_working', [zhangLead.id, closedLead.id, zhangLead.id], users.zhang!);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json().data.runs.map((r: Json) => r.recordId)).toEqual([zhangLead.id]);
      expect(res.json().data.skipped).toEqual([{ recordId: closedLead.id, reason: 'condition_false' }]);
      await until(() => runsOf('flw_working'), (rs) => rs.length === 1 && rs[0]!.status === 'completed');
      expect((await api('GET', `/records/leads/${zhangLead.id}`, undefined, users.zhang!.cookie)).json().data.status).toBe('working');
    });
  });

  describe('inbound webhooks', () => {
    let key = '';
    const hook = (body: unknown, headers: Record<string, string> = {}, url = `/api/hooks/${t.slug}/flw_intake`) =>
      t.app.inject({ method: 'POST', url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
    const auth = () => ({ authorization: `Bearer ${key}` });

    beforeAll(async () => {
      await publishFlows(t, [
        {
          id: 'flw_intake', label: { 'zh-CN': '官网表单', en: 'Website form' },
          trigger: { kind: 'webhook', entity: 'leads' },
          steps: [{ id: 's_lead', kind: 'create_record', config: { entity: 'leads', values: { name: { var: 'trigger.name' }, email: { var: 'trigger.email' }, source: 'website' } } }],
        },
        {
          id: 'flw_other_hook', label: { en: 'Another webhook' },
          trigger: { kind: 'webhook' },
          steps: [{ id: 's_note', kind: 'notify', config: { to: [{ user: users.owner!.id }], title: '{{trigger.title}}' } }],
        },
      ]);
      clock.advance(MIN);
    });

    it('makes keys for designers only, shown once, stored as a hash', async () => {
      expect((await api('POST', '/automation/flows/flw_intake/webhook-keys', { name: 'x' }, users.zhang!.cookie)).statusCode).toBe(403);
      expect((await api('POST', '/automation/flows/flw_close_soon/webhook-keys', { name: 'x' })).statusCode).toBe(404);
      const made = await api('POST', '/automation/flows/flw_intake/webhook-keys', { name: '官网' });
      expect(made.statusCode, made.body).toBe(201);
      key = made.json().data.key;
      expect(key).toMatch(/^crm_whk_[A-Za-z0-9_-]{43}$/);
      expect(made.json().data.url).toBe(`/api/hooks/${t.slug}/flw_intake`);
      const stored = await t.database.pool.query(`select key_hash from crm.automation_webhook_keys`);
      expect(JSON.stringify(stored.rows)).not.toContain(key);
      const list = (await api('GET', '/automation/flows/flw_intake/webhook-keys')).json().data as Json[];
      expect(list).toHaveLength(1);
      expect(JSON.stringify(list)).not.toContain(key);
    });

    it('refuses calls without a valid key for this flow (401), and path tricks (401/404)', async () => {
      const before = (await runsOf('flw_intake')).length;
      const payload = { name: '未授权', email: 'x@example.com' };
      expect((await hook(payload)).statusCode).toBe(401);
      expect((await hook(payload)).json().code).toBe('CRM_ERR_WEBHOOK_UNAUTHORIZED');
      expect((await hook(payload, { authorization: `Bearer crm_whk_${'A'.repeat(43)}` })).statusCode).toBe(401);
      expect((await hook(payload, { authorization: key })).statusCode).toBe(401);
      // The key is for flw_intake only.
      expect((await hook(payload, auth(), `/api/hooks/${t.slug}/flw_other_hook`)).statusCode).toBe(401);
      // A personal API token is not a webhook key.
      const pat = (await t.app.inject({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'api' }, headers: { cookie: t.cookie } })).json().data.token as string;
      expect((await hook(payload, { authorization: `Bearer ${pat}` })).statusCode).toBe(401);
      // A webhook key opens nothing else. (Dot segments are resolved by the HTTP client before the router sees them:
      // `/api/hooks/acme/flw_intake/../flw_intake` IS this route; `..` reaching elsewhere lands on a route that wants a session.)
      const leads = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/leads`, headers: auth() });
      expect(leads.statusCode).toBe(401);
      for (const url of [
        `/api/w/${t.slug}/records/leads?x=/api/hooks/`,
        `/api/hooks/${t.slug}/../../w/${t.slug}/records/leads`,
        `/api/hooks/${t.slug}/%2e%2e/%2e%2e/w/${t.slug}/records/leads`,
        `/api/hooks/${t.slug}%2Fflw_intake`,
        `/api/hooks/${t.slug}/flw_intake/`,
        `/API/HOOKS/${t.slug}/flw_intake`,
        `/api/hooks/ACME/flw_intake`,
        `//api/hooks/${t.slug}/flw_intake`,
        `/api/hooks/${t.slug}/flw_intake%00`,
      ]) {
        for (const method of ['GET', 'POST'] as const) {
          const res = await t.app.inject({ method, url, payload: method === 'POST' ? payload : undefined, headers: { ...auth(), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) } });
          expect([401, 404], `${method} ${url}: ${res.statusCode}`).toContain(res.statusCode);
        }
      }
      // A revoked key stops working.
      const spare = (await api('POST', '/automation/flows/flw_intake/webhook-keys', { name: 'spare' })).json().data;
      expect((await api('DELETE', `/automation/flows/flw_intake/webhook-keys/${spare.id}`)).statusCode).toBe(204);
      expect((await hook(payload, { authorization: `Bearer ${spare.key}` })).statusCode).toBe(401);
      expect((await runsOf('flw_intake')).length).toBe(before);
    });

    it('makes ONE run for the same Idempotency-Key (or body id); the second answer is 200 with the same run', async () => {
      clock.advance(MIN);
      const first = await hook({ name: '网站访客', email: 'visitor@example.com', title: '经理' }, { ...auth(), 'idempotency-key': 'evt-1001' });
      expect(first.statusCode, first.body).toBe(202);
      const again = await hook({ name: '网站访客', email: 'visitor@example.com', title: '经理' }, { ...auth(), 'idempotency-key': 'evt-1001' });
      expect(again.statusCode).toBe(200);
      expect(again.json().data).toEqual({ runId: first.json().data.runId, replayed: true });
      const byId1 = await hook({ id: 'ext-42', name: '表单二', email: 'two@example.com' }, auth());
      const byId2 = await hook({ id: 'ext-42', name: '表单二', email: 'two@example.com' }, auth());
      expect([byId1.statusCode, byId2.statusCode]).toEqual([202, 200]);
      expect(byId2.json().data.runId).toBe(byId1.json().data.runId);

      const runs = await until(() => runsOf('flw_intake'), (rs) => rs.length === 2 && rs.every((r) => r.status === 'completed'));
      expect(runs.find((r) => r.id === first.json().data.runId)).toMatchObject({
        entity: 'leads', record_id: null, triggered_by: null, dedupe_key: 'webhook:flw_intake:evt-1001', trigger: { name: '网站访客', email: 'visitor@example.com', title: '经理' },
      });
      expect(runs.map((r) => r.dedupe_key).sort()).toEqual(['webhook:flw_intake:evt-1001', 'webhook:flw_intake:ext-42']);
      const leads = (await api('GET', `/records/leads?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'email' }, 'visitor@example.com'] }))}`)).json().data as Json[];
      expect(leads.map((l) => [l.name, l.source])).toEqual([['网站访客', 'website']]);
      expect((await hook([1, 2], auth())).statusCode).toBe(400);
    });

    it('refuses a body over 256 KB with 413', async () => {
      clock.advance(MIN);
      const big = { name: 'x', notes: 'x'.repeat(260 * 1024) };
      const res = await hook(big, auth());
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('CRM_ERR_PAYLOAD_TOO_LARGE');
      // Under the limit is fine.
      expect((await hook({ name: 'y', notes: 'y'.repeat(200 * 1024) }, auth())).statusCode).toBe(202);
    });

    it('limits calls per flow and minute: 429 with Retry-After, open again the next minute', async () => {
      clock.advance(MIN);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await hook({ name: `限流 ${i}` }, auth())).statusCode);
      expect(statuses).toEqual([...Array(8).fill(202), 429, 429]);
      const limited = await hook({ name: '限流' }, auth());
      expect(limited.json().code).toBe('CRM_ERR_RATE_LIMITED');
      const wait = Number(limited.headers['retry-after']);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      clock.advance(wait * 1000);
      expect((await hook({ name: '下一分钟' }, auth())).statusCode).toBe(202);
    });
  });
});
