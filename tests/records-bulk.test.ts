import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';

type Who = 'owner' | 'manager' | 'zhang' | 'li' | 'wang';

/**
 * Bulk update / assign / delete: every record through the normal write path
 * on its own (gates, permissions, audit), results per record, refused or
 * invisible records never written and never revealed.
 */
describe('records: bulk update, assign and delete', () => {
  let t: TestApp;
  let users: Record<Who, Persona>;
  let schema: string;
  const call = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: users[who].cookie, ...headers } });
  const create = async (who: Who, entity: string, body: object) => {
    const res = await call(who, 'POST', `/records/${entity}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as Record<string, any>;
  };
  const bulk = (who: Who, entity: string, body: object, lang = 'zh-CN') => call(who, 'POST', `/records/${entity}/bulk`, body, { 'accept-language': lang });
  const row = async (table: string, id: string) => (await t.database.pool.query(`select * from ${schema}.${table} where id = $1`, [id])).rows[0];
  const audits = async (id: string) => (await t.database.pool.query(`select action, actor_id, changes from crm.audit_log where record_id = $1 order by id`, [id])).rows;
  const lastBulkAudit = async () => (await t.database.pool.query(`select actor_id, entity, changes from crm.audit_log where action = 'records.bulk' order by id desc limit 1`)).rows[0];

  beforeAll(async () => {
    t = await startTestApp();
    const team = await salesTeam(t);
    users = team.users;
    schema = team.ws.schemaName;
  });
  afterAll(async () => { await t?.close(); });

  it('moves each visible record on its own: a gate refuses one, an invisible id is "not found", the rest are written and audited', async () => {
    const account = await create('zhang', 'accounts', { name: '杭州云栖科技有限公司' });
    const ready = await create('zhang', 'opportunities', { name: '云栖 ERP', account: account.id, stage: 'needs_confirmed', amount: '120000.00', expected_close: '2026-12-31' });
    const gated = await create('li', 'opportunities', { name: '西湖 CRM', account: (await create('li', 'accounts', { name: '杭州西湖软件' })).id, stage: 'needs_confirmed' });
    const theirs = await create('wang', 'opportunities', { name: '深圳 MES', account: (await create('wang', 'accounts', { name: '深圳南山精密' })).id, stage: 'needs_confirmed', amount: '50000.00', expected_close: '2026-12-01' });
    const nobody = uuidv7();

    const res = await bulk('manager', 'opportunities', { ids: [ready.id, gated.id, theirs.id, nobody], action: 'update', values: { stage: 'proposal' } }, 'en');
    expect(res.statusCode, res.body).toBe(200);
    const { data, summary } = res.json();
    expect(summary).toEqual({ ok: 1, failed: 3 });
    expect(data.map((r: { id: string }) => r.id)).toEqual([ready.id, gated.id, theirs.id, nobody]);
    expect(data[0]).toEqual({ id: ready.id, ok: true, version: 2 });
    expect(data[1]).toMatchObject({ id: gated.id, ok: false, code: 'CRM_ERR_INVALID_RECORD' });
    expect(data[1].details).toEqual([expect.objectContaining({
      pointer: '/stage', code: 'RECORD_STAGE_GATE', params: { stage: 'proposal', missing: ['amount', 'expected_close'] },
      message: 'Stage "Proposal" needs: Amount, Expected close',
    })]);
    // Someone else's record and a record that does not exist answer the same: existence is never revealed.
    const { id: _a, ...invisible } = data[2];
    const { id: _b, ...missing } = data[3];
    expect(invisible).toEqual({ ok: false, code: 'CRM_ERR_NOT_FOUND', message: 'Not found', details: [] });
    expect(missing).toEqual(invisible);

    expect((await row('opportunities', ready.id)).stage).toBe('proposal');
    expect((await row('opportunities', gated.id))).toMatchObject({ stage: 'needs_confirmed', version: 1 });
    expect((await row('opportunities', theirs.id))).toMatchObject({ stage: 'needs_confirmed', version: 1 });

    // One audit row per written record, by the manager, with the change; none for the refused ones.
    const written = await audits(ready.id);
    expect(written.map((a) => a.action)).toEqual(['record.create', 'record.update']);
    expect(written[1]).toMatchObject({ actor_id: users.manager.id, changes: { version: 2, stage: { from: 'needs_confirmed', to: 'proposal' } } });
    expect((await audits(gated.id)).map((a) => a.action)).toEqual(['record.create']);
    expect((await audits(theirs.id)).map((a) => a.action)).toEqual(['record.create']);
    // The stage move left its stage history like any other write.
    const history = await t.database.pool.query(`select from_value, to_value, by_user from crm.stage_history where record_id = $1 order by id`, [ready.id]);
    expect(history.rows.at(-1)).toEqual({ from_value: 'needs_confirmed', to_value: 'proposal', by_user: users.manager.id });
    // And the bulk action itself is on record, with who was refused what.
    expect(await lastBulkAudit()).toMatchObject({
      actor_id: users.manager.id, entity: 'opportunities',
      changes: { action: 'update', fields: ['stage'], requested: 4, ok: 1, refused: [
        { id: gated.id, code: 'CRM_ERR_INVALID_RECORD' }, { id: theirs.id, code: 'CRM_ERR_NOT_FOUND' }, { id: nobody, code: 'CRM_ERR_NOT_FOUND' }] },
    });
  });

  it('assigns owners only with the right to: a rep is refused per record, a manager reassigns the team\'s records', async () => {
    const a = await create('zhang', 'leads', { name: '赵六', company: '宁波海纳贸易' });
    const b = await create('zhang', 'leads', { name: '钱七', company: '温州瓯江电器' });

    // A rep may not give records away (that needs a scope wider than their own).
    const refused = await bulk('zhang', 'leads', { ids: [a.id, b.id], action: 'assign', ownerId: users.li.id });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json().summary).toEqual({ ok: 0, failed: 2 });
    expect(refused.json().data.map((r: { code: string }) => r.code)).toEqual(['CRM_ERR_FORBIDDEN', 'CRM_ERR_FORBIDDEN']);
    expect(refused.json().data[0].message).toBe('您没有执行此操作的权限');
    expect((await row('leads', a.id)).owner_id).toBe(users.zhang.id);
    expect(await lastBulkAudit()).toMatchObject({ actor_id: users.zhang.id, changes: { action: 'assign', ok: 0, refused: [{ id: a.id, code: 'CRM_ERR_FORBIDDEN' }, { id: b.id, code: 'CRM_ERR_FORBIDDEN' }] } });

    // A manager reassigns within the team; each record gets its audit row with the owner change.
    const done = await bulk('manager', 'leads', { ids: [a.id, b.id], action: 'assign', ownerId: users.li.id });
    expect(done.json()).toEqual({ data: [{ id: a.id, ok: true, version: 2 }, { id: b.id, ok: true, version: 2 }], summary: { ok: 2, failed: 0 } });
    for (const id of [a.id, b.id]) {
      expect((await row('leads', id)).owner_id).toBe(users.li.id);
      expect((await audits(id)).at(-1)).toMatchObject({ action: 'record.update', actor_id: users.manager.id, changes: { owner_id: { from: users.zhang.id, to: users.li.id } } });
    }
    // The new owner now sees them; the old one no longer does.
    expect((await call('li', 'GET', `/records/leads/${a.id}`)).statusCode).toBe(200);
    expect((await call('zhang', 'GET', `/records/leads/${a.id}`)).statusCode).toBe(404);

    // An owner who is not a member of the workspace is refused on each record, nothing written.
    const stranger = await bulk('manager', 'leads', { ids: [a.id], action: 'assign', ownerId: uuidv7() });
    expect(stranger.json().data[0]).toMatchObject({ ok: false, code: 'CRM_ERR_INVALID_RECORD', details: [expect.objectContaining({ pointer: '/owner_id', code: 'RECORD_RELATION_NOT_FOUND' })] });
    expect((await row('leads', a.id)).version).toBe(2);
  });

  it('deletes only what the caller may delete; others\' records are "not found" and stay', async () => {
    const mine = await create('zhang', 'tasks', { subject: '回访客户', status: 'open' });
    const hers = await create('li', 'tasks', { subject: '准备报价', status: 'open' });
    const res = await bulk('zhang', 'tasks', { ids: [mine.id, hers.id], action: 'delete' });
    expect(res.json()).toMatchObject({ data: [{ id: mine.id, ok: true, version: 2 }, { id: hers.id, ok: false, code: 'CRM_ERR_NOT_FOUND' }], summary: { ok: 1, failed: 1 } });
    expect((await row('tasks', mine.id)).deleted_at).not.toBeNull();
    expect((await row('tasks', hers.id)).deleted_at).toBeNull();
    expect((await audits(mine.id)).at(-1)).toMatchObject({ action: 'record.delete', actor_id: users.zhang.id });
    // Deleting again: it is in the recycle bin now, not a live record.
    expect((await bulk('zhang', 'tasks', { ids: [mine.id], action: 'delete' })).json().data[0].code).toBe('CRM_ERR_NOT_FOUND');
  });

  it('refuses a malformed request as a whole before writing anything', async () => {
    const lead = await create('zhang', 'leads', { name: '孙八', company: '台州精工' });
    const cases: [object, number, string][] = [
      [{ ids: [lead.id], action: 'update', values: { nope: 1 } }, 400, 'CRM_ERR_UNKNOWN_FIELDS'],
      [{ ids: [lead.id], action: 'update', values: { version: 9 } }, 400, 'CRM_ERR_UNKNOWN_FIELDS'],
      [{ ids: [lead.id], action: 'update', values: { email: 42 } }, 422, 'CRM_ERR_INVALID_RECORD'],
      [{ ids: [lead.id], action: 'update' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: [lead.id], action: 'assign' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: [lead.id], action: 'archive' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: [], action: 'delete' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: ['1; drop table x'], action: 'delete' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: [lead.id, lead.id], action: 'delete' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: Array.from({ length: 501 }, () => uuidv7()), action: 'delete' }, 400, 'CRM_ERR_BAD_REQUEST'],
      [{ ids: [lead.id], action: 'delete', extra: true }, 400, 'CRM_ERR_BAD_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const res = await bulk('zhang', 'leads', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect((await bulk('zhang', 'nope', { ids: [lead.id], action: 'delete' })).statusCode).toBe(404);
    // Products have no owner: nothing to assign.
    expect((await bulk('owner', 'products', { ids: [lead.id], action: 'assign', ownerId: users.li.id })).statusCode).toBe(400);
    expect((await row('leads', lead.id))).toMatchObject({ version: 1, deleted_at: null });
    expect((await call('zhang', 'POST', '/records/leads/bulk', { ids: [lead.id], action: 'delete' }, { cookie: '' })).statusCode).toBe(401);
  });

  /**
   * Holds a concurrent write on the record (its row lock, version + 1 and its
   * audit row) until the bulk write is waiting for the lock, then commits it.
   */
  async function concurrently(id: string, field: string, value: string, run: () => Promise<{ json(): any }>) {
    const c = await t.database.pool.connect();
    try {
      await c.query('begin');
      const { rows } = await c.query(`update ${schema}.opportunities set ${field} = $2, version = version + 1 where id = $1 returning version`, [id, value]);
      await c.query(`insert into crm.audit_log (workspace_id, actor_id, entity, record_id, action, changes) select workspace_id, $2::uuid, 'opportunities', $1::text, 'record.update', $3::jsonb
        from crm.workspace_members where user_id = $2::uuid`, [id, users.li.id, JSON.stringify({ version: rows[0].version, [field]: { from: null, to: value } })]);
      const pending = run();
      for (let i = 0; i < 200; i++) {
        const waiting = await t.database.pool.query(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`);
        if (waiting.rows.length) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await c.query('commit');
      return (await pending).json();
    } finally {
      c.release();
    }
  }

  it('never loses a concurrent change: retried when it touched other fields, reported as a conflict when it touched the same one', async () => {
    const opp = await create('li', 'opportunities', { name: '瓯江 MES', account: (await create('li', 'accounts', { name: '温州瓯江电器' })).id, stage: 'initial' });
    // Someone sets the next step while the bulk sets the source: both survive.
    const other = await concurrently(opp.id, 'next_step', '约客户演示', () => bulk('manager', 'opportunities', { ids: [opp.id], action: 'update', values: { source: 'referral' } }));
    expect(other.data[0]).toEqual({ id: opp.id, ok: true, version: 3 });
    expect(await row('opportunities', opp.id)).toMatchObject({ next_step: '约客户演示', source: 'referral', version: 3 });

    // Someone sets the source while the bulk sets it too: theirs stays, this record is reported.
    const same = await concurrently(opp.id, 'source', 'partner', () => bulk('manager', 'opportunities', { ids: [opp.id], action: 'update', values: { source: 'website' } }));
    expect(same.data[0]).toMatchObject({ id: opp.id, ok: false, code: 'CRM_ERR_VERSION_CONFLICT', currentVersion: 4, changedFields: ['source'] });
    expect(await row('opportunities', opp.id)).toMatchObject({ source: 'partner', version: 4 });

    // A delete never goes through over a change its caller did not see.
    const del = await concurrently(opp.id, 'next_step', '发合同', () => bulk('manager', 'opportunities', { ids: [opp.id], action: 'delete' }));
    expect(del.data[0]).toMatchObject({ ok: false, code: 'CRM_ERR_VERSION_CONFLICT' });
    expect((await row('opportunities', opp.id)).deleted_at).toBeNull();
  });
});
