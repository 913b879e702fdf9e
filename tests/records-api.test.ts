import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { setUpSales, type Persona, type SalesWorld } from './support/sales-fixture.js';

/** The records API run as personas: rep A, rep B (same team), rep C (other team), manager A, admin, anonymous. */
describe('records API', () => {
  let t: TestApp;
  let w: SalesWorld;
  const call = (who: Persona | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { ...(who ? { cookie: who.cookie } : {}), ...headers } });
  const create = async (who: Persona, entity: string, body: object) => {
    const res = await call(who, 'POST', `/records/${entity}`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  };
  const q = async (text: string, params: unknown[] = []) => (await t.database.pool.query(text, params)).rows;

  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
  });
  afterAll(async () => { await t.close(); });

  describe('scopes and the 404-not-403 rule', () => {
    let acc: { id: string; version: number };
    let pool: { id: string };
    beforeAll(async () => {
      acc = await create(w.repA, 'accounts', { name: '上海星辰科技有限公司', region: 'east' });
      pool = await create(w.admin, 'accounts', { name: '公海客户（广州）', owner_id: null });
    });

    it('lets the owner, their manager and the admin read; not a teammate, another team or anyone signed out', async () => {
      for (const who of [w.repA, w.managerA, w.admin]) expect((await call(who, 'GET', `/records/accounts/${acc.id}`)).statusCode).toBe(200);
      for (const who of [w.repB, w.repC]) {
        const res = await call(who, 'GET', `/records/accounts/${acc.id}`);
        expect(res.statusCode).toBe(404);
        expect(res.json().code).toBe('CRM_ERR_NOT_FOUND');
      }
      expect((await call(null, 'GET', `/records/accounts/${acc.id}`)).statusCode).toBe(401);
    });

    it('applies the same predicate to lists, search, history and expand', async () => {
      const ids = async (who: Persona, url: string) => (await call(who, 'GET', url)).json().data.map((r: { id: string }) => r.id);
      expect(await ids(w.repA, '/records/accounts')).toContain(acc.id);
      expect(await ids(w.repB, '/records/accounts')).not.toContain(acc.id);
      expect(await ids(w.repC, '/records/accounts?q=星辰')).toEqual([]);
      expect(await ids(w.managerA, '/records/accounts?q=星辰')).toEqual([acc.id]);
      expect((await call(w.repB, 'GET', `/records/accounts/${acc.id}/history`)).statusCode).toBe(404);
      expect((await call(w.repA, 'GET', `/records/accounts/${acc.id}/history`)).json().data[0]).toMatchObject({ action: 'record.create', actorId: w.repA.id });
      // An opportunity of rep C pointing at rep A's account: the expand must not reveal the account's name.
      const acctC = await create(w.repC, 'accounts', { name: '深圳海风贸易' });
      const opp = await create(w.repC, 'opportunities', { name: '海风 ERP', account: acctC.id });
      const expanded = await call(w.repC, 'GET', `/records/opportunities/${opp.id}?expand=account`);
      expect(expanded.json().data.expand.account).toEqual({ id: acctC.id, title: '深圳海风贸易' });
      await q(`update ${await schema()}.opportunities set account = $1 where id = $2`, [acc.id, opp.id]);
      const hidden = await call(w.repC, 'GET', `/records/opportunities/${opp.id}?expand=account`);
      expect(hidden.json().data.account).toBe(acc.id);
      expect(hidden.json().data.expand).toBeUndefined();
    });

    it('shows public-pool records to roles granted the pool', async () => {
      for (const who of [w.repA, w.repB, w.repC]) expect((await call(who, 'GET', `/records/accounts/${pool.id}`)).statusCode).toBe(200);
      // Reading the pool is not owning it: a rep may not update a pool record.
      const patch = await call(w.repB, 'PATCH', `/records/accounts/${pool.id}`, { region: 'south' }, { 'if-match': '"1"' });
      expect(patch.statusCode).toBe(403);
    });

    it('answers 403 for a visible record one may not change, 404 for an invisible one', async () => {
      const mine = await create(w.repB, 'accounts', { name: '杭州云帆' });
      expect((await call(w.repA, 'PATCH', `/records/accounts/${mine.id}`, { region: 'east' }, { 'if-match': '"1"' })).statusCode).toBe(404);
      const byManager = await call(w.managerA, 'PATCH', `/records/accounts/${mine.id}`, { region: 'east' }, { 'if-match': '"1"' });
      expect(byManager.statusCode, byManager.body).toBe(200);
      expect(byManager.headers.etag).toBe('"2"');
      expect((await call(w.repC, 'DELETE', `/records/accounts/${mine.id}`, undefined, { 'if-match': '"2"' })).statusCode).toBe(404);
    });

    it('refuses a rep assigning a record to someone else, lets the manager reassign', async () => {
      const res = await call(w.repA, 'POST', '/records/accounts', { name: '北京远景', owner_id: w.repB.id });
      expect(res.statusCode).toBe(422);
      expect(res.json().details[0]).toMatchObject({ pointer: '/owner_id', code: 'RECORD_PROTECTED_FIELD' });
      const ok = await call(w.managerA, 'POST', '/records/accounts', { name: '北京远景', owner_id: w.repB.id });
      expect(ok.statusCode).toBe(201);
      expect((await call(w.repB, 'GET', `/records/accounts/${ok.json().data.id}`)).statusCode).toBe(200);
    });
  });

  describe('optimistic locking', () => {
    it('needs If-Match on update, delete and restore, and names the fields changed since', async () => {
      const acc = await create(w.repA, 'accounts', { name: '苏州工业园客户' });
      const url = `/records/accounts/${acc.id}`;
      expect((await call(w.repA, 'PATCH', url, { region: 'east' })).statusCode).toBe(428);
      expect((await call(w.repA, 'PATCH', url, { region: 'east' }, { 'if-match': '"1"' })).statusCode).toBe(200);
      const stale = await call(w.repA, 'PATCH', url, { name: '苏州园区' }, { 'if-match': '"1"' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'CRM_ERR_VERSION_CONFLICT', currentVersion: 2, changedFields: ['region'] });
      expect((await call(w.repA, 'DELETE', url)).statusCode).toBe(428);
      expect((await call(w.repA, 'DELETE', url, undefined, { 'if-match': '"1"' })).statusCode).toBe(409);
      const del = await call(w.repA, 'DELETE', url, undefined, { 'if-match': '"2"' });
      expect(del.statusCode).toBe(200);
      expect((await call(w.repA, 'GET', url)).statusCode).toBe(404);
      const bin = (await call(w.repA, 'GET', '/recycle-bin/accounts')).json().data.map((r: { id: string }) => r.id);
      expect(bin).toContain(acc.id);
      expect((await call(w.repA, 'POST', `${url}/restore`)).statusCode).toBe(428);
      expect((await call(w.repA, 'POST', `${url}/restore`, undefined, { 'if-match': '"2"' })).statusCode).toBe(409);
      const restored = await call(w.repA, 'POST', `${url}/restore`, undefined, { 'if-match': '"3"' });
      expect(restored.statusCode).toBe(200);
      expect(restored.json().data).toMatchObject({ version: 4, deleted_at: null });
    });
  });

  describe('writes', () => {
    it('creates a batch all or nothing, with errors by index and no audit rows left behind', async () => {
      const before = (await q(`select count(*)::int as n from crm.audit_log where entity = 'accounts'`))[0].n;
      const bad = await call(w.repA, 'POST', '/records/accounts/batch', { records: [{ name: '甲公司' }, { region: 'west' }, { name: '丙公司', budget: 'abc' }] });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().details.map((d: { pointer: string; code: string }) => `${d.pointer} ${d.code}`)).toEqual(expect.arrayContaining([
        '/records/1/region RECORD_INVALID_VALUE', '/records/2/budget RECORD_INVALID_VALUE',
      ]));
      // A failure inside the database half way (a duplicate unique value) rolls back the rows and their audit.
      const dup = await call(w.repA, 'POST', '/records/accounts/batch', { records: [{ name: '丁公司', code: '91310000X' }, { name: '戊公司', code: '91310000X' }] });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('CRM_ERR_DUPLICATE');
      expect((await q(`select count(*)::int as n from ${await schema()}.accounts where name in ('甲公司', '丁公司')`))[0].n).toBe(0);
      expect((await q(`select count(*)::int as n from crm.audit_log where entity = 'accounts'`))[0].n).toBe(before);
      const ok = await call(w.repA, 'POST', '/records/accounts/batch', { records: [{ name: '己公司' }, { name: '庚公司' }] });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().data).toHaveLength(2);
    });

    it('creates once per Idempotency-Key', async () => {
      const first = await call(w.repA, 'POST', '/records/accounts', { name: '幂等客户' }, { 'idempotency-key': 'k-123' });
      const again = await call(w.repA, 'POST', '/records/accounts', { name: '幂等客户' }, { 'idempotency-key': 'k-123' });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().data.id).toBe(first.json().data.id);
      expect((await q(`select count(*)::int as n from ${await schema()}.accounts where name = '幂等客户'`))[0].n).toBe(1);
    });

    it('enforces rules and stage gates on the API path', async () => {
      const opp = await create(w.repA, 'opportunities', { name: '华东区 CRM 项目', stage: 'initial' });
      const url = `/records/opportunities/${opp.id}`;
      const skip = await call(w.repA, 'PATCH', url, { stage: 'proposal' }, { 'if-match': '"1"' });
      expect(skip.statusCode).toBe(422);
      expect(skip.json().details.map((d: { code: string }) => d.code)).toEqual(['RECORD_STAGE_TRANSITION', 'RECORD_STAGE_GATE']);
      expect((await call(w.repA, 'PATCH', url, { stage: 'needs_confirmed' }, { 'if-match': '"1"' })).statusCode).toBe(200);
      const gate = await call(w.repA, 'PATCH', url, { stage: 'proposal' }, { 'if-match': '"2"', 'accept-language': 'en' });
      expect(gate.statusCode).toBe(422);
      expect(gate.json().details[0]).toMatchObject({ code: 'RECORD_STAGE_GATE', message: 'Stage "Proposal" needs: Amount, Expected close', params: { stage: 'proposal', missing: ['amount', 'expected_close'] } });
      const pass = await call(w.repA, 'PATCH', url, { stage: 'proposal', amount: '120000.00', expected_close: '2026-12-31' }, { 'if-match': '"2"' });
      expect(pass.statusCode, pass.body).toBe(200);
      const lost = await call(w.repA, 'PATCH', url, { stage: 'lost' }, { 'if-match': '"3"' });
      expect(lost.json().details).toEqual([expect.objectContaining({ pointer: '/loss_reason', code: 'RECORD_REQUIRED' })]);
      expect((await call(w.repA, 'PATCH', url, { stage: 'lost', loss_reason: '预算取消' }, { 'if-match': '"3"' })).statusCode).toBe(200);
      const history = await q(`select from_value, to_value from crm.stage_history where record_id = $1 order by id`, [opp.id]);
      expect(history).toEqual([
        { from_value: null, to_value: 'initial' }, { from_value: 'initial', to_value: 'needs_confirmed' },
        { from_value: 'needs_confirmed', to_value: 'proposal' }, { from_value: 'proposal', to_value: 'lost' },
      ]);
    });

    it('stamps last_activity_at on the account when an activity is logged', async () => {
      const acc = await create(w.repA, 'accounts', { name: '活动客户' });
      expect(acc.last_activity_at).toBeNull();
      await create(w.repA, 'activities', { subject: '电话回访', kind: 'call', account: acc.id });
      const after = (await call(w.repA, 'GET', `/records/accounts/${acc.id}`)).json().data;
      expect(Date.parse(after.last_activity_at)).toBeGreaterThan(Date.parse(acc.created_at) - 1);
      expect(after.version).toBe(acc.version);
      const active = encodeURIComponent(JSON.stringify({ '!': { isEmpty: [{ var: 'last_activity_at' }] } }));
      const sorted = (await call(w.repA, 'GET', `/records/accounts?filter=${active}&sort=-last_activity_at&limit=1`)).json().data;
      expect(sorted[0].id).toBe(acc.id);
    });

    it('refuses deactivated options on new values', async () => {
      const res = await call(w.repA, 'POST', '/records/accounts', { name: '天津客户', region: 'north' });
      expect(res.statusCode).toBe(422);
      expect(res.json().details[0].code).toBe('RECORD_OPTION_INACTIVE');
    });

    it('computes formulas, rollups and autonumbers in the write', async () => {
      const opp = await create(w.repA, 'opportunities', { name: '报价测试', stage: 'initial' });
      const quote = await create(w.repA, 'quotes', { opportunity: opp.id });
      expect(quote.number).toMatch(/^QT-\d{4}-0001$/);
      const line1 = await create(w.repA, 'quote_lines', { quote: quote.id, product: '服务器', quantity: 3, unit_price: '19999.90' });
      expect(line1.line_total).toBe('59999.70');
      await create(w.repA, 'quote_lines', { quote: quote.id, product: '实施服务', quantity: 1, unit_price: '0.30' });
      const q1 = (await call(w.repA, 'GET', `/records/quotes/${quote.id}`)).json().data;
      expect(q1).toMatchObject({ total: '60000.00', line_count: 2, gross: '67800.00' });
      expect((await create(w.repA, 'quotes', { opportunity: opp.id })).number).toMatch(/-0002$/);
      // Lines inherit the quote's access: rep B sees neither.
      expect((await call(w.repB, 'GET', `/records/quote_lines/${line1.id}`)).statusCode).toBe(404);
      const computed = await call(w.repA, 'PATCH', `/records/quote_lines/${line1.id}`, { line_total: '1.00' }, { 'if-match': '"1"' });
      expect(computed.statusCode).toBe(400);
      expect(computed.json().details[0].code).toBe('RECORD_PROTECTED_FIELD');
    });
  });

  describe('onDelete', () => {
    it('restricts, cascades (softly) and keeps', async () => {
      const acc = await create(w.repA, 'accounts', { name: '级联测试客户' });
      const contact = await create(w.repA, 'contacts', { name: '陈经理', account: acc.id });
      const opp = await create(w.repA, 'opportunities', { name: '级联商机', account: acc.id });
      const quote = await create(w.repA, 'quotes', { opportunity: opp.id });
      const line = await create(w.repA, 'quote_lines', { quote: quote.id, product: '软件', quantity: 1, unit_price: '100.00' });

      const blocked = await call(w.repA, 'DELETE', `/records/accounts/${acc.id}`, undefined, { 'if-match': '"1"' });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json()).toMatchObject({ code: 'CRM_ERR_DELETE_RESTRICTED', details: [{ code: 'RECORD_DELETE_BLOCKED', params: { entity: 'opportunities', count: 1, samples: [opp.id] } }] });

      expect((await call(w.repA, 'DELETE', `/records/opportunities/${opp.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(200);
      const s = await schema();
      expect((await q(`select deleted_at is not null as gone from ${s}.quotes where id = $1`, [quote.id]))[0].gone).toBe(true);
      expect((await q(`select deleted_at is not null as gone from ${s}.quote_lines where id = $1`, [line.id]))[0].gone).toBe(true);
      expect((await call(w.repA, 'DELETE', `/records/accounts/${acc.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(200);
      const kept = (await call(w.repA, 'GET', `/records/contacts/${contact.id}`)).json().data;
      expect(kept.account).toBe(acc.id);
    });
  });

  describe('lists', () => {
    it('filters, sorts, pages with a cursor and counts', async () => {
      for (const [i, region] of ['east', 'south', 'east', 'east', 'south'].entries()) {
        await create(w.repC, 'opportunities', { name: `分页商机${i}`, amount: `${(i + 1) * 1000}.00`, region });
      }
      const filter = encodeURIComponent(JSON.stringify({ and: [{ '==': [{ var: 'region' }, 'east'] }, { startsWith: [{ var: 'name' }, '分页'] }] }));
      const page1 = (await call(w.repC, 'GET', `/records/opportunities?filter=${filter}&sort=-amount&limit=2&total=true&fields=name,amount`)).json();
      expect(page1.total).toBe(3);
      expect(page1.data.map((r: { amount: string }) => r.amount)).toEqual(['4000.00', '3000.00']);
      expect(page1.data[0].region).toBeUndefined();
      const page2 = (await call(w.repC, 'GET', `/records/opportunities?filter=${filter}&sort=-amount&limit=2&cursor=${page1.nextCursor}`)).json();
      expect(page2.data.map((r: { amount: string }) => r.amount)).toEqual(['1000.00']);
      expect(page2.nextCursor).toBeNull();
      const viaPost = (await call(w.repC, 'POST', '/records/opportunities/query', { filter: JSON.parse(decodeURIComponent(filter)), sort: '-amount', limit: 5 })).json();
      expect(viaPost.data).toHaveLength(3);
    });

    it('finds Chinese text with 1, 2 and 4 characters', async () => {
      await create(w.repC, 'accounts', { name: '成都天府软件园' });
      const names = async (qq: string) => (await call(w.repC, 'GET', `/records/accounts?q=${encodeURIComponent(qq)}`)).json().data.map((r: { name: string }) => r.name);
      expect(await names('府')).toContain('成都天府软件园');
      expect(await names('天府')).toContain('成都天府软件园');
      expect(await names('天府软件')).toContain('成都天府软件园');
      expect(await names('府天')).toEqual([]);
      expect(await names('%')).toEqual([]);
    });
  });

  describe('bad input', () => {
    const bad = async (url: string, method: 'GET' | 'POST' | 'PATCH' = 'GET', body?: unknown, headers: Record<string, string> = {}) => {
      const res = await call(w.repA, method, url, body, headers);
      return { status: res.statusCode, body: res.json() };
    };

    it('names unknown or archived fields in filter, sort, fields and expand, listing the allowed ones', async () => {
      const f = await bad(`/records/accounts?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'nope' }, 'x'] }))}`);
      expect(f.status).toBe(400);
      expect(f.body.code).toBe('CRM_ERR_BAD_FILTER');
      expect(f.body.details[0].params.allowed).toContain('name');
      const s = await bad('/records/accounts?sort=-nope');
      expect(s).toMatchObject({ status: 400, body: { code: 'CRM_ERR_UNKNOWN_FIELDS' } });
      expect(s.body.details[0].params.allowed).toEqual(expect.arrayContaining(['name', 'created_at']));
      expect((await bad('/records/accounts?fields=name,secret')).status).toBe(400);
      expect((await bad('/records/accounts?expand=name')).status).toBe(400);
      expect((await bad('/records/accounts?limit=501')).status).toBe(400);
      expect((await bad('/records/accounts?cursor=garbage')).status).toBe(400);
      expect((await bad('/records/accounts?bogus=1')).status).toBe(400);
    });

    it('never executes SQL fragments: they are refused or taken literally', async () => {
      expect((await bad(`/records/accounts?sort=${encodeURIComponent('name;drop table crm.users')}`)).status).toBe(400);
      expect((await bad(`/records/accounts?fields=${encodeURIComponent('name,(select 1)')}`)).status).toBe(400);
      const lit = await bad(`/records/accounts?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'name' }, "x' or '1'='1"] }))}`);
      expect(lit).toMatchObject({ status: 200, body: { data: [] } });
      const search = await bad(`/records/accounts?q=${encodeURIComponent("' or 1=1 --")}`);
      expect(search).toMatchObject({ status: 200, body: { data: [] } });
      expect((await q(`select count(*)::int as n from crm.users`))[0].n).toBeGreaterThan(0);
    });

    it('refuses unknown, protected and prototype keys in bodies', async () => {
      const unknown = await bad('/records/accounts', 'POST', { name: '甲', colour: 'red' });
      expect(unknown).toMatchObject({ status: 400, body: { code: 'CRM_ERR_UNKNOWN_FIELDS' } });
      expect(unknown.body.details[0].params.allowed).toContain('name');
      for (const key of ['id', 'version', 'created_at', 'updated_by', 'deleted_at']) {
        const res = await bad('/records/accounts', 'POST', { name: '甲', [key]: 'x' });
        expect(res.status, key).toBe(400);
        expect(res.body.details[0].code, key).toBe('RECORD_PROTECTED_FIELD');
      }
      const proto = await call(w.repA, 'POST', '/records/accounts', '{"name":"甲","__proto__":{"admin":true}}', { 'content-type': 'application/json' });
      expect(proto.statusCode).toBe(400);
      const ctor = await bad('/records/accounts', 'POST', { name: '甲', constructor: { prototype: {} } });
      expect(ctor.status).toBe(400);
    });

    it('refuses bodies over the limit with 413', async () => {
      const res = await bad('/records/accounts', 'POST', { name: 'x'.repeat(1_100_000) });
      expect(res.status).toBe(413);
    });

    it('refuses unknown entities and malformed ids with 404', async () => {
      expect((await bad('/records/secrets')).status).toBe(404);
      expect((await bad('/records/accounts/not-a-uuid')).status).toBe(404);
    });
  });

  async function schema() {
    return (await q(`select schema_name from crm.workspaces where slug = $1`, [t.slug]))[0].schema_name as string;
  }
});

describe('records API: wire format and audit', () => {
  let t: TestApp;
  let w: SalesWorld;
  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
  });
  afterAll(async () => { await t.close(); });

  it('answers and audits in wire format on every create path', async () => {
    const body = { name: '格式测试', budget: '120000', address: { province: '浙江省', city: '杭州市' } };
    const single = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/accounts`, payload: body, headers: { cookie: w.repA.cookie } });
    const keyed = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/accounts`, payload: body, headers: { cookie: w.repA.cookie, 'idempotency-key': 'fmt-1' } });
    const batch = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/accounts/batch`, payload: { records: [body] }, headers: { cookie: w.repA.cookie } });
    const created = [single.json().data, keyed.json().data, batch.json().data[0]];
    for (const r of created) {
      expect(r).toMatchObject({ budget: '120000.00', address: { province: '浙江省', city: '杭州市', district: null, detail: null }, version: 1, owner_id: w.repA.id });
      expect(r.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(r.address_city).toBeUndefined();
      const audit = (await t.database.pool.query(`select changes from crm.audit_log where record_id = $1`, [r.id])).rows[0].changes;
      expect(audit).toEqual({ version: 1, name: { from: null, to: '格式测试' }, budget: { from: null, to: '120000.00' },
        address: { from: null, to: { province: '浙江省', city: '杭州市', district: null, detail: null } }, owner_id: { from: null, to: w.repA.id } });
    }
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/w/${t.slug}/records/accounts/${created[0].id}`, headers: { cookie: w.repA.cookie, 'if-match': '"1"' },
      payload: { budget: '99.5', name: '格式测试', address: { province: '浙江省', city: '宁波市' } } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().data).toMatchObject({ budget: '99.50', version: 2, address: { city: '宁波市' } });
    const audit = (await t.database.pool.query(`select changes from crm.audit_log where record_id = $1 order by id desc limit 1`, [created[0].id])).rows[0].changes;
    // Only what changed (the name was sent unchanged), in wire format.
    expect(audit).toEqual({ version: 2, budget: { from: '120000.00', to: '99.50' },
      address: { from: { province: '浙江省', city: '杭州市', district: null, detail: null }, to: { province: '浙江省', city: '宁波市', district: null, detail: null } } });
  });
});

describe('OpenAPI', () => {
  let t: TestApp;
  let w: SalesWorld;
  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
  });
  afterAll(async () => { await t.close(); });

  it('describes each readable entity from the published metadata', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/openapi.json`, headers: { cookie: w.repA.cookie, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([`/api/w/${t.slug}/records/accounts`, `/api/w/${t.slug}/records/opportunities/{id}`]));
    const input = doc.components.schemas.AccountsInput;
    expect(input.required).toEqual(['name']);
    expect(input.properties.budget.anyOf[0]).toMatchObject({ type: 'string', pattern: expect.stringContaining('\\.') });
    expect(input.properties.region.anyOf[0].anyOf.map((o: { const: string }) => o.const)).toEqual(['east', 'south', 'north']);
    expect(doc.components.schemas.QuoteLines.properties.line_total.readOnly).toBe(true);
    expect(doc.components.schemas.QuoteLinesInput.properties.line_total).toBeUndefined();
    // A member whose roles grant nothing sees no entity.
    const { createUser, addMember } = await import('@crm/server');
    const u = await createUser(t.database.db, { email: 'nobody@example.com', name: '访客', password: 'nobody-pw-1' });
    await addMember(t.database.db, w.wsId, u.id, 'member');
    const cookie = await t.login('nobody@example.com', 'nobody-pw-1');
    const empty = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/openapi.json`, headers: { cookie } })).json();
    expect(Object.keys(empty.paths)).toEqual([]);
  });
});

describe('write hooks', () => {
  let t: TestApp;
  let w: SalesWorld;
  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
  });
  afterAll(async () => { await t.close(); });

  it('run inside the write transaction on every path, and a failing hook undoes the write', async () => {
    const seen: string[] = [];
    const off = t.app.services.records.hooks.register(async (e) => {
      seen.push(`${e.kind}:${e.entity}`);
      // Inside the transaction: the row is already there for the hook to see.
      const { rows } = await sql`select version from ${sql.table(`${await schemaOf(t)}.${e.entity}`)} where id = ${e.recordId}::uuid`.execute(e.tx);
      expect(rows).toHaveLength(1);
      if (e.after.name === '钩子拒绝') throw new Error('refused by hook');
    });
    const url = `/api/w/${t.slug}/records/accounts`;
    const h = { cookie: w.repA.cookie };
    const made = await t.app.inject({ method: 'POST', url, payload: { name: '钩子客户' }, headers: h });
    expect(made.statusCode).toBe(201);
    const id = made.json().data.id;
    expect((await t.app.inject({ method: 'PATCH', url: `${url}/${id}`, payload: { region: 'east' }, headers: { ...h, 'if-match': '"1"' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `${url}/${id}`, headers: { ...h, 'if-match': '"2"' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `${url}/${id}/restore`, headers: { ...h, 'if-match': '"3"' } })).statusCode).toBe(200);
    expect(seen).toEqual(['create:accounts', 'update:accounts', 'delete:accounts', 'restore:accounts']);
    const refused = await t.app.inject({ method: 'POST', url, payload: { name: '钩子拒绝' }, headers: h });
    expect(refused.statusCode).toBe(500);
    expect((await t.database.pool.query(`select count(*)::int as n from ${await schemaOf(t)}.accounts where name = '钩子拒绝'`)).rows[0].n).toBe(0);
    off();
  });
});

async function schemaOf(t: TestApp) {
  return (await t.database.pool.query(`select schema_name from crm.workspaces where slug = $1`, [t.slug])).rows[0].schema_name as string;
}
