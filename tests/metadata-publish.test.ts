import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';

/** Publishing metadata into real tables, through the HTTP API (issue: foundation). */

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

function accountEntity(extraFields: object[] = []) {
  return {
    id: 'ent_account', key: 'accounts', schemaVersion: 1, label: L('客户', 'Account'),
    titleField: 'name', ownership: 'owned',
    fields: [
      { id: 'fld_name', key: 'name', type: 'text', label: L('客户名称', 'Name'), required: true, searchable: true },
      { id: 'fld_code', key: 'code', type: 'text', label: L('客户编号', 'Code') },
      { id: 'fld_budget', key: 'budget', type: 'currency', scale: 2, label: L('预算', 'Budget') },
      { id: 'fld_level', key: 'level', type: 'select', label: L('客户等级', 'Level'), options: [
        { id: 'opt_a', key: 'a', label: L('A 类', 'A'), active: true },
        { id: 'opt_b', key: 'b', label: L('B 类', 'B'), active: true },
      ] },
      ...extraFields,
    ],
    rules: [],
  };
}

function opportunityEntity() {
  return {
    id: 'ent_opportunity', key: 'opportunities', schemaVersion: 1, label: L('商机', 'Opportunity'),
    titleField: 'name', ownership: 'owned',
    fields: [
      { id: 'fld_opp_name', key: 'name', type: 'text', label: L('商机名称', 'Name'), required: true },
      { id: 'fld_opp_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'restrict', label: L('客户', 'Account') },
      { id: 'fld_opp_amount', key: 'amount', type: 'currency', scale: 2, label: L('金额', 'Amount') },
    ],
    rules: [
      { id: 'rul_big', kind: 'requiredIf', field: 'account', when: { '>': [{ var: 'amount' }, '100000.00'] } },
    ],
  };
}

describe('metadata publish', () => {
  let t: TestApp;
  let draftRevision = 0;
  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie, ...headers } });
  const put = async (kind: string, doc: { id: string }) => {
    const res = await api('PUT', `/meta/draft/${kind}/${doc.id}`, doc, { 'if-match': `"${draftRevision}"` });
    if (res.statusCode === 200) draftRevision = res.json().draftRevision;
    return res;
  };
  const planAndPublish = async () => {
    const plan = await api('POST', '/meta/plan');
    expect(plan.statusCode, plan.body).toBe(200);
    const pub = await api('POST', '/meta/publish', { planId: plan.json().planId });
    return { plan: plan.json(), pub };
  };
  const q = async (text: string, params: unknown[] = []) => (await t.database.pool.query(text, params)).rows;
  let schema = '';

  beforeAll(async () => {
    t = await startTestApp();
    schema = (await q(`select schema_name from crm.workspaces where slug = $1`, [t.slug]))[0].schema_name;
  });
  afterAll(async () => { await t.close(); });

  it('creates entity tables with typed columns, foreign keys and search indexes', async () => {
    expect((await put('entity', accountEntity())).statusCode).toBe(200);
    expect((await put('entity', opportunityEntity())).statusCode).toBe(200);
    const { plan, pub } = await planAndPublish();
    expect(plan.actions.map((a: { kind: string }) => a.kind)).toContain('createTable');
    expect(plan.actions.find((a: { kind: string }) => a.kind === 'createTable').description).toMatch(/新建对象「客户」/);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().revision).toBe(1);

    const cols = await q(`select table_name, column_name, data_type, numeric_scale from information_schema.columns where table_schema = $1 order by 1, 2`, [schema]);
    const col = (tbl: string, c: string) => cols.find((r) => r.table_name === tbl && r.column_name === c);
    expect(col('accounts', 'budget')).toMatchObject({ data_type: 'numeric', numeric_scale: 2 });
    expect(col('accounts', 'level')?.data_type).toBe('text');
    expect(col('opportunities', 'account')?.data_type).toBe('uuid');
    for (const sys of ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id', 'version', 'deleted_at']) {
      expect(col('accounts', sys), sys).toBeDefined();
    }
    const fks = await q(`select conname from pg_constraint where contype = 'f' and connamespace = $1::regnamespace`, [schema]);
    expect(fks.map((r) => r.conname)).toContain('opportunities_account_fk');
    const idx = await q(`select indexname, indexdef from pg_indexes where schemaname = $1`, [schema]);
    expect(idx.find((i) => i.indexname === 'accounts_name_trgm')?.indexdef).toMatch(/gin_trgm_ops/);
    expect(idx.find((i) => i.indexname === 'accounts_name_grams')?.indexdef).toMatch(/search_grams/);
    expect(idx.find((i) => i.indexname === 'opportunities_account_ix')).toBeDefined();

    const meta = await api('GET', '/meta');
    expect(meta.json().revision).toBe(1);
    expect(meta.json().documents.map((d: { id: string }) => d.id).sort()).toEqual(['ent_account', 'ent_opportunity']);
  });

  it('short Chinese queries use the grams index', async () => {
    await q(`insert into ${schema}.accounts (id, name) select gen_random_uuid(), '客户' || g from generate_series(1, 2000) g`);
    await q(`insert into ${schema}.accounts (id, name) values (gen_random_uuid(), '华东销售中心')`);
    await q(`analyze ${schema}.accounts`);
    const plan = await q(`explain select id from ${schema}.accounts where crm.search_grams(name) @> array['销售'] and name ilike '%销售%'`);
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/accounts_name_grams/);
    const hits = await q(`select name from ${schema}.accounts where crm.search_grams(name) @> array['销售'] and name ilike '%销售%'`);
    expect(hits.map((r) => r.name)).toEqual(['华东销售中心']);
    await q(`delete from ${schema}.accounts`);
  });

  it('3+ character queries use the trigram index', async () => {
    await q(`insert into ${schema}.accounts (id, name) select gen_random_uuid(), '客户' || g || '号公司' from generate_series(1, 20000) g`);
    await q(`insert into ${schema}.accounts (id, name) values (gen_random_uuid(), '华东销售中心')`);
    await q(`analyze ${schema}.accounts`);
    const plan = await q(`explain select id from ${schema}.accounts where name ilike '%销售中心%'`);
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/accounts_name_trgm/);
    expect((await q(`select name from ${schema}.accounts where name ilike '%销售中心%'`)).map((r) => r.name)).toEqual(['华东销售中心']);
    await q(`delete from ${schema}.accounts`);
  });

  it('answers bad requests with catalogue errors in the asked language', async () => {
    const unknownKind = await api('PUT', '/meta/draft/widget/w_1', { id: 'w_1' }, { 'if-match': `"${draftRevision}"`, 'accept-language': 'en' });
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json()).toMatchObject({ code: 'CRM_ERR_UNKNOWN_IDENTIFIER', message: 'Unknown identifier: widget' });
    const mismatch = await api('PUT', '/meta/draft/entity/ent_other', accountEntity(), { 'if-match': `"${draftRevision}"` });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().details[0]).toMatchObject({ pointer: '/id', code: 'META_ID_MISMATCH' });
    const huge = await api('PUT', '/meta/draft/entity/ent_account', { ...accountEntity(), description: { en: 'x'.repeat(1_100_000) } }, { 'if-match': `"${draftRevision}"` });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('CRM_ERR_PAYLOAD_TOO_LARGE');
    const future = await api('PUT', '/meta/draft/entity/ent_account', { ...accountEntity(), schemaVersion: 99 }, { 'if-match': `"${draftRevision}"` });
    expect(future.statusCode).toBe(422);
    expect(future.json().details[0].code).toBe('META_SCHEMA_VERSION');
    const badPlan = await api('POST', '/meta/publish', { planId: 'not-a-uuid' });
    expect(badPlan.statusCode).toBe(400);
    expect(badPlan.json().code).toBe('CRM_ERR_BAD_REQUEST');
    const noPlan = await api('POST', '/meta/publish', { planId: '0190a1b2-0000-7000-8000-000000000001' });
    expect(noPlan.statusCode).toBe(404);
  });

  it('archives a removed field with its values, and restores it', async () => {
    await q(`insert into ${schema}.accounts (id, name, budget) select gen_random_uuid(), '客户' || g, g * 100 from generate_series(1, 37) g`);
    const withoutBudget = accountEntity();
    withoutBudget.fields = withoutBudget.fields.filter((f) => (f as { key: string }).key !== 'budget');
    expect((await put('entity', withoutBudget)).statusCode).toBe(200);
    const { plan, pub } = await planAndPublish();
    const archive = plan.actions.findIndex((a: { kind: string }) => a.kind === 'archiveField');
    expect(archive).toBeGreaterThanOrEqual(0);
    const finding = plan.findings.find((f: { action: number }) => f.action === archive);
    expect(finding).toMatchObject({ code: 'ARCHIVES_VALUES', count: 37, blocking: false });
    expect(finding.description).toContain('37');
    expect(pub.statusCode, pub.body).toBe(200);
    expect((await q(`select count(budget)::int as n from ${schema}.accounts`))[0].n).toBe(37);
    const published = (await api('GET', '/meta')).json().documents.find((d: { id: string }) => d.id === 'ent_account');
    expect(published.body.fields.find((f: { key: string }) => f.key === 'budget')).toMatchObject({ archived: true });

    // Restore: the field comes back with the same column and values.
    const draft = (await api('GET', '/meta/draft')).json();
    const doc = draft.documents.find((d: { id: string }) => d.id === 'ent_account').body;
    doc.fields.find((f: { key: string }) => f.key === 'budget').archived = false;
    expect((await put('entity', doc)).statusCode).toBe(200);
    const again = await planAndPublish();
    expect(again.plan.actions.map((a: { kind: string }) => a.kind)).toContain('restoreField');
    expect(again.pub.statusCode).toBe(200);
    expect((await q(`select sum(budget)::text as s from ${schema}.accounts`))[0].s).toBe(String((37 * 38 / 2) * 100) + '.00');
  });

  it('refuses a type change whose values do not all convert, naming them; applies it once they do', async () => {
    await q(`update ${schema}.accounts set code = (row_number) from (select id, row_number() over (order by id) from ${schema}.accounts) r where r.id = accounts.id`);
    const bad = await q(`update ${schema}.accounts set code = 'X-' || left(id::text, 4) where id in (select id from ${schema}.accounts order by id limit 12) returning id`);
    const doc = (await api('GET', '/meta/draft')).json().documents.find((d: { id: string }) => d.id === 'ent_account').body;
    doc.fields.find((f: { key: string }) => f.key === 'code').type = 'integer';
    expect((await put('entity', doc)).statusCode).toBe(200);
    const plan = (await api('POST', '/meta/plan')).json();
    expect(plan.blocked).toBe(true);
    const finding = plan.findings.find((f: { code: string }) => f.code === 'VALUES_NOT_CONVERTIBLE');
    expect(finding.count).toBe(12);
    expect(finding.samples).toHaveLength(5);
    expect(bad.map((r) => r.id)).toEqual(expect.arrayContaining(finding.samples));
    const pub = await api('POST', '/meta/publish', { planId: plan.planId }, { 'accept-language': 'en' });
    expect(pub.statusCode).toBe(422);
    expect(pub.json().code).toBe('CRM_ERR_PLAN_BLOCKED');
    expect(pub.json().details[0].message).toMatch(/12 rows of `code` would not convert/);
    expect((await q(`select data_type from information_schema.columns where table_schema = $1 and table_name = 'accounts' and column_name = 'code'`, [schema]))[0].data_type).toBe('text');

    await q(`update ${schema}.accounts set code = ' 7 ' where code like 'X-%'`);
    const ok = await planAndPublish();
    expect(ok.pub.statusCode, ok.pub.body).toBe(200);
    expect((await q(`select data_type from information_schema.columns where table_schema = $1 and table_name = 'accounts' and column_name = 'code'`, [schema]))[0].data_type).toBe('bigint');
    expect((await q(`select count(*)::int as n from ${schema}.accounts where code = 7`))[0].n).toBe(12);
  });

  it('deactivates an option and keeps the values that use it', async () => {
    await q(`update ${schema}.accounts set level = 'b' where code = 7`);
    const doc = (await api('GET', '/meta/draft')).json().documents.find((d: { id: string }) => d.id === 'ent_account').body;
    doc.fields.find((f: { key: string }) => f.key === 'level').options[1].active = false;
    expect((await put('entity', doc)).statusCode).toBe(200);
    const { plan, pub } = await planAndPublish();
    expect(plan.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'OPTION_IN_USE', count: 12, blocking: false })]));
    expect(pub.statusCode).toBe(200);
    expect((await q(`select count(*)::int as n from ${schema}.accounts where level = 'b'`))[0].n).toBe(12);
  });

  it('lets exactly one of two concurrent publishes through; the other gets 409', async () => {
    const doc = (await api('GET', '/meta/draft')).json().documents.find((d: { id: string }) => d.id === 'ent_account').body;
    doc.fields.push({ id: 'fld_region', key: 'region', type: 'text', label: L('区域', 'Region'), indexed: true });
    expect((await put('entity', doc)).statusCode).toBe(200);
    const plan = (await api('POST', '/meta/plan')).json();
    const [a, b] = await Promise.all([
      api('POST', '/meta/publish', { planId: plan.planId }),
      api('POST', '/meta/publish', { planId: plan.planId }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(['CRM_ERR_PLAN_STALE', 'CRM_ERR_PUBLISH_BUSY']).toContain(loser.json().code);
    expect((await q(`select count(*)::int as n from crm.metadata_revisions r join crm.workspaces w on w.id = r.workspace_id where w.slug = $1`, [t.slug]))[0].n).toBe(6);
  });

  it('refuses a stale plan with 409 once the draft moved', async () => {
    const plan = (await api('POST', '/meta/plan')).json();
    const doc = (await api('GET', '/meta/draft')).json().documents.find((d: { id: string }) => d.id === 'ent_account').body;
    doc.label = L('客户（公司）', 'Account (company)');
    expect((await put('entity', doc)).statusCode).toBe(200);
    const pub = await api('POST', '/meta/publish', { planId: plan.planId });
    expect(pub.statusCode).toBe(409);
    expect(pub.json().code).toBe('CRM_ERR_PLAN_STALE');
  });

  it('requires If-Match on draft edits and refuses a stale one', async () => {
    const doc = (await api('GET', '/meta/draft')).json().documents.find((d: { id: string }) => d.id === 'ent_account').body;
    const missing = await api('PUT', '/meta/draft/entity/ent_account', doc);
    expect(missing.statusCode).toBe(428);
    expect(missing.json().code).toBe('CRM_ERR_PRECONDITION_REQUIRED');
    const stale = await api('PUT', '/meta/draft/entity/ent_account', doc, { 'if-match': `"${draftRevision - 1}"` });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CRM_ERR_DRAFT_CONFLICT', draftRevision });
  });

  it('refuses malformed documents with pointers and stores nothing', async () => {
    const before = (await api('GET', '/meta/draft')).json();
    const bad = accountEntity([
      { id: 'fld_select', key: 'select', type: 'text', label: L('保留字', 'Reserved') },
      { id: 'fld_dup', key: 'name', type: 'text', label: L('重复', 'Duplicate') },
      { id: 'fld_cyr', key: 'nаme2', type: 'text', label: L('西里尔字母', 'Cyrillic a') },
      { id: 'fld_long', key: 'a'.repeat(41), type: 'text', label: L('太长', 'Too long') },
      { id: 'fld_sys', key: 'owner_id', type: 'text', label: L('系统列', 'System column') },
    ]);
    (bad as { rules: unknown[] }).rules = [
      { id: 'rul_m', kind: 'requiredIf', field: 'code', when: { method: [{ var: 'name' }, 'toString'] } },
      { id: 'rul_v', kind: 'requiredIf', field: 'code', when: { '==': [{ var: 'nope' }, 'x'] } },
    ];
    const res = await put('entity', bad);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('CRM_ERR_INVALID_DOCUMENT');
    const pointers = body.details.map((d: { pointer: string }) => d.pointer);
    for (const p of ['/fields/4/key', '/fields/5/key', '/fields/6/key', '/fields/7/key', '/fields/8/key']) {
      expect(pointers.some((x: string) => x.startsWith(`/entity/ent_account${p}`)), p).toBe(true);
    }
    expect(pointers.some((x: string) => x.startsWith('/entity/ent_account/rules/0/when'))).toBe(true);
    expect(pointers.some((x: string) => x.startsWith('/entity/ent_account/rules/1/when'))).toBe(true);
    for (const d of body.details) expect(typeof d.message).toBe('string');
    const after = (await api('GET', '/meta/draft')).json();
    expect(after).toEqual(before);
  });

  it('keeps members out of the designer API and strangers out of the workspace', async () => {
    const anon = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta` });
    expect(anon.statusCode).toBe(401);
    const { createUser, addMember } = await import('@crm/server');
    const ws = (await q(`select id from crm.workspaces where slug = $1`, [t.slug]))[0].id;
    const member = await createUser(t.database.db, { email: 'rep@example.com', name: '销售代表', password: 'rep-password-1' });
    await addMember(t.database.db, ws, member.id, 'member');
    await createUser(t.database.db, { email: 'other@example.com', name: '外人', password: 'other-password-1' });
    const repCookie = await t.login('rep@example.com', 'rep-password-1');
    const otherCookie = await t.login('other@example.com', 'other-password-1');
    const asRep = (method: 'GET' | 'POST', url: string) => t.app.inject({ method, url: `/api/w/${t.slug}${url}`, headers: { cookie: repCookie } });
    expect((await asRep('GET', '/meta')).statusCode).toBe(200);
    expect((await asRep('GET', '/meta/draft')).statusCode).toBe(403);
    expect((await asRep('POST', '/meta/plan')).statusCode).toBe(403);
    const stranger = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: { cookie: otherCookie } });
    expect(stranger.statusCode).toBe(404);
  });
});

describe('metadata history, revert and gate findings', () => {
  let t: TestApp;
  let rev = 0;
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie, ...headers } });
  const put = async (kind: string, doc: { id: string }) => {
    const res = await api('PUT', `/meta/draft/${kind}/${doc.id}`, doc, { 'if-match': `"${rev}"` });
    expect(res.statusCode, res.body).toBe(200);
    rev = res.json().draftRevision;
  };
  const publish = async () => {
    const plan = (await api('POST', '/meta/plan')).json();
    const pub = await api('POST', '/meta/publish', { planId: plan.planId });
    expect(pub.statusCode, pub.body).toBe(200);
    return plan;
  };
  const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
  const deal = (extra: object[] = []) => ({
    id: 'ent_deal', key: 'deals', schemaVersion: 1, label: L('商机', 'Deal'), titleField: 'name', ownership: 'owned', rules: [],
    fields: [
      { id: 'fld_name', key: 'name', type: 'text', label: L('名称', 'Name') },
      { id: 'fld_amount', key: 'amount', type: 'currency', label: L('金额', 'Amount') },
      { id: 'fld_stage', key: 'stage', type: 'select', label: L('阶段', 'Stage'), options: [
        { id: 'opt_a', key: 'open', label: L('进行中', 'Open'), active: true }, { id: 'opt_b', key: 'quoted', label: L('已报价', 'Quoted'), active: true },
      ] },
      ...extra,
    ],
  });
  const pipeline = (gate?: object) => ({ id: 'pl_deal', entity: 'deals', field: 'stage', schemaVersion: 1, transitions: 'any', stages: [
    { id: 'opt_a', key: 'open', probability: 10 }, { id: 'opt_b', key: 'quoted', probability: 50, ...(gate ? { gate } : {}) },
  ] });

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('reverts to an earlier revision through an ordinary plan that archives, never drops', async () => {
    await put('entity', deal());
    await put('pipeline', pipeline());
    await publish();
    await put('entity', deal([{ id: 'fld_region', key: 'region', type: 'text', label: L('区域', 'Region') }]));
    await publish();
    const r1 = (await api('GET', '/meta/revisions/1')).json().data;
    expect(r1.documents.map((d: { id: string }) => d.id).sort()).toEqual(['ent_deal', 'pl_deal']);
    const back = await api('POST', '/meta/draft/revert', { revision: 1 }, { 'if-match': `"${rev}"` });
    expect(back.statusCode, back.body).toBe(200);
    rev = back.json().draftRevision;
    const plan = await publish();
    expect(plan.actions.map((a: { kind: string }) => a.kind)).toEqual(['archiveField']);
    const ws = (await t.database.pool.query(`select schema_name from crm.workspaces where slug = $1`, [t.slug])).rows[0].schema_name;
    const cols = (await t.database.pool.query(`select column_name from information_schema.columns where table_schema = $1 and table_name = 'deals'`, [ws])).rows.map((r) => r.column_name);
    expect(cols).toContain('region');
    expect((await api('POST', '/meta/draft/revert', { revision: 99 }, { 'if-match': `"${rev}"` })).statusCode).toBe(404);
  });

  it('says which records sit in a stage whose new gate they would fail', async () => {
    const mk = (body: object) => t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/deals`, payload: body, headers: { cookie: t.cookie } });
    expect((await mk({ name: '有金额', stage: 'quoted', amount: '100.00' })).statusCode).toBe(201);
    const bare = (await mk({ name: '没金额', stage: 'quoted' })).json().data;
    expect((await mk({ name: '进行中', stage: 'open' })).statusCode).toBe(201);
    await put('pipeline', pipeline({ requiredFields: ['amount'] }));
    const res = await api('GET', '/meta/draft/pipeline/pl_deal/gate-findings');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([{ stage: 'quoted', count: 1, samples: [bare.id] }]);
  });
  it('computes a draft formula on recent records with the SQL publishing stores, reading only', async () => {
    // Runs after the gate-findings test: deals "有金额" (100.00) and two without an amount exist.
    const preview = (body: object) => api('POST', '/meta/formula-preview', body);
    const res = await preview({ entity: 'deals', expression: { round: [{ '*': [{ var: 'amount' }, 1.5] }, 2] }, resultType: 'decimal' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().data as { title: string; value: string | null }[];
    expect(rows.map((r) => [r.title, r.value]).sort()).toEqual([['有金额', '150.00'], ['没金额', null], ['进行中', null]]);
    const text = await preview({ entity: 'deals', expression: { concat: [{ var: 'name' }, '!'] }, resultType: 'text' });
    expect(text.json().data.map((r: { value: string }) => r.value).sort()).toEqual(['有金额!', '没金额!', '进行中!']);
    // Not yet published: nothing to compute on, and no error.
    expect((await preview({ entity: 'nothing_yet', expression: 1, resultType: 'integer' })).json()).toEqual({ published: false, data: [] });
    // A missing field and a wrong result type come back as 422 with pointers; an unknown result type is a 400.
    const bad = await preview({ entity: 'deals', expression: { '+': [{ var: 'amount' }, { var: 'nope' }] }, resultType: 'decimal' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details[0].pointer).toBe('/expression/+/1/var');
    const wrongType = await preview({ entity: 'deals', expression: { var: 'name' }, resultType: 'decimal' });
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json().details[0].pointer).toBe('/resultType');
    expect((await preview({ entity: 'deals', expression: 1, resultType: 'text; drop table x' })).statusCode).toBe(400);
  });
});
