import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTemplate, readTemplate, upgradeSearchPinyin, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';

const TEMPLATE = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

/**
 * Pinyin search on the default CRM: the `search_pinyin` column is right after
 * every write path (one-statement and transactional creates, batches, updates
 * of one and of several source fields, lead conversion, restore), after a
 * publish that changes which fields feed it, and after an upgrade from a
 * version without it; queries are answered from its indexes.
 */
describe('pinyin search (default CRM)', () => {
  let t: TestApp;
  let schema: string;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie, ...headers } });
  const create = async (entity: string, body: object, headers: Record<string, string> = {}) => {
    const res = await call('POST', `/records/${entity}`, body, headers);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: string; version: number } & Record<string, unknown>;
  };
  const patch = async (entity: string, id: string, body: object, version: number) => {
    const res = await call('PATCH', `/records/${entity}/${id}`, body, { 'if-match': `"${version}"` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as { id: string; version: number };
  };
  const column = async (table: string, id: string) =>
    (await t.database.pool.query(`select search_pinyin from ${schema}.${table} where id = $1`, [id])).rows[0]?.search_pinyin as string | null;
  /** Ids found by global search, per entity. */
  const found = async (q: string) => {
    const res = await call('GET', `/search?q=${encodeURIComponent(q)}&limit=20`);
    expect(res.statusCode, res.body).toBe(200);
    return Object.fromEntries((res.json().data as { entity: string; records: { id: string }[] }[]).map((g) => [g.entity, g.records.map((r) => r.id)]));
  };
  const publish = async (mutate: (doc: Record<string, any>) => void, entityId: string) => {
    const draft = (await call('GET', '/meta/draft')).json();
    const doc = structuredClone(draft.documents.find((d: { kind: string; id: string }) => d.kind === 'entity' && d.id === entityId).body);
    mutate(doc);
    const put = await call('PUT', `/meta/draft/entity/${entityId}`, doc, { 'if-match': `"${draft.draftRevision}"` });
    expect(put.statusCode, put.body).toBe(200);
    const plan = await call('POST', '/meta/plan');
    expect(plan.statusCode, plan.body).toBe(200);
    const pub = await call('POST', '/meta/publish', { planId: plan.json().planId });
    expect(pub.statusCode, pub.body).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp();
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    schema = ws.schemaName;
    await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(TEMPLATE));
  });
  afterAll(async () => { await t.close(); });

  it('gives each published entity with searchable text the column and its trigram and grams indexes', async () => {
    const cols = (await t.database.pool.query(`select table_name from information_schema.columns where table_schema = $1 and column_name = 'search_pinyin' order by 1`, [schema])).rows.map((r) => r.table_name);
    expect(cols).toEqual(['accounts', 'activities', 'contacts', 'contracts', 'invoices', 'leads', 'opportunities', 'products', 'tasks']);
    const idx = (await t.database.pool.query(`select indexname from pg_indexes where schemaname = $1 and indexname like 'accounts_search_pinyin%' order by 1`, [schema])).rows.map((r) => r.indexname);
    expect(idx).toEqual(['accounts_search_pinyin_grams', 'accounts_search_pinyin_trgm']);
  });

  it('fills it on creates (one statement and transactional) and finds by initials, full pinyin and spaced pinyin', async () => {
    const fast = await create('accounts', { name: '张伟科技', phone: '13800000001' });
    expect(await column('accounts', fast.id)).toBe('zwkj zhangweikeji');
    const keyed = await create('accounts', { name: '重庆银行' }, { 'idempotency-key': 'pinyin-1' });
    expect(await column('accounts', keyed.id)).toBe('cqyh chongqingyinhang');
    const opp = await create('opportunities', { name: '张伟科技 ERP 项目', account: fast.id });
    expect(await column('opportunities', opp.id)).toBe('zwkjerpxm zhangweikejierpxiangmu');
    for (const q of ['zwkj', 'ZWKJ', 'zhangweikeji', 'zhang wei ke ji']) {
      const hits = await found(q);
      expect(hits.accounts, q).toEqual([fast.id]);
      expect(hits.opportunities, q).toEqual([opp.id]);
    }
    expect((await found('cqyh')).accounts).toEqual([keyed.id]);
    // Two letters use the grams index; the list's own search understands pinyin too.
    expect((await found('cq')).accounts).toEqual([keyed.id]);
    const list = await call('GET', `/records/accounts?q=zwkj`);
    expect(list.json().data.map((r: { id: string }) => r.id)).toEqual([fast.id]);
    expect(list.json().data[0]).not.toHaveProperty('search_pinyin');
  });

  it('fills it on batches, all in one statement or record by record', async () => {
    const res = await call('POST', '/records/accounts/batch', { records: [{ name: '杭州西湖' }, { name: 'ACME Trading' }] });
    expect(res.statusCode, res.body).toBe(201);
    const [a, b] = res.json().data;
    expect(await column('accounts', a.id)).toBe('hzxh hangzhouxihu');
    expect(await column('accounts', b.id)).toBeNull();
    const opps = await call('POST', '/records/opportunities/batch', { records: [{ name: '西湖 扩容', account: a.id }] });
    expect(opps.statusCode, opps.body).toBe(201);
    expect(await column('opportunities', opps.json().data[0].id)).toBe('xhkr xihukuorong');
    expect((await found('hzxh')).accounts).toEqual([a.id]);
  });

  it('follows updates: one source on the fast path, several sources, pipelines, and leaves it alone when no source changes', async () => {
    const acc = await create('accounts', { name: '苏州云帆' });
    const renamed = await patch('accounts', acc.id, { name: '宁波港联' }, acc.version);
    expect(await column('accounts', acc.id)).toBe('nbgl ningboganglian');
    expect((await found('szyf')).accounts).toBeUndefined();
    expect((await found('nbgl')).accounts).toEqual([acc.id]);
    await patch('accounts', acc.id, { industry: 'manufacturing' }, renamed.version);
    expect(await column('accounts', acc.id)).toBe('nbgl ningboganglian');

    // A lead feeds the column from its name and its company: changing one keeps the other.
    const lead = await create('leads', { name: '周明', company: '云帆智能' });
    expect(await column('leads', lead.id)).toBe('zm zhouming yfzn yunfanzhineng');
    const l2 = await patch('leads', lead.id, { company: '港联物流' }, lead.version);
    expect(await column('leads', lead.id)).toBe('zm zhouming glwl ganglianwuliu');
    await patch('leads', lead.id, { name: '周敏' }, l2.version);
    expect(await column('leads', lead.id)).toBe('zm zhoumin glwl ganglianwuliu');
    expect((await found('glwl')).leads).toEqual([lead.id]);

    // Opportunities have a pipeline: their updates take the careful path.
    const opp = await create('opportunities', { name: '云帆 一期', account: acc.id });
    await patch('opportunities', opp.id, { name: '港联 二期', stage: 'needs_confirmed' }, opp.version);
    expect(await column('opportunities', opp.id)).toBe('gleq ganglianerqi');
  });

  it('fills it for what a lead conversion creates', async () => {
    const lead = await create('leads', { name: '陈静', company: '云栖数据', status: 'working' });
    const res = await call('POST', `/records/leads/${lead.id}/convert`, { createOpportunity: true }, { 'if-match': '"1"' });
    expect(res.statusCode, res.body).toBe(200);
    const { accountId, contactId, opportunityId } = res.json().data;
    expect(await column('accounts', accountId)).toBe('yqsj yunqishuju');
    expect(await column('contacts', contactId)).toBe('cj chenjing');
    expect(await column('opportunities', opportunityId)).toBe('yqsjsj yunqishujushangji');
    expect(await column('leads', lead.id)).toBe('cj chenjing yqsj yunqishuju');
    const hits = await found('yqsj');
    expect(hits).toMatchObject({ leads: [lead.id], accounts: [accountId], opportunities: [opportunityId] });
  });

  it('keeps it through delete and restore, and hides deleted records', async () => {
    const acc = await create('accounts', { name: '温州鹿城' });
    const del = await call('DELETE', `/records/accounts/${acc.id}`, undefined, { 'if-match': '"1"' });
    expect(del.statusCode, del.body).toBe(200);
    expect((await found('wzlc')).accounts).toBeUndefined();
    const back = await call('POST', `/records/accounts/${acc.id}/restore`, undefined, { 'if-match': `"${del.json().data.version}"` });
    expect(back.statusCode, back.body).toBe(200);
    expect((await found('wzlc')).accounts).toEqual([acc.id]);
  });

  it('recomputes every row when a publish changes which fields feed it', async () => {
    const c = await create('contacts', { name: '李娜', title: '采购经理' });
    expect(await column('contacts', c.id)).toBe('ln lina');
    await publish((doc) => { doc.fields.find((f: { key: string }) => f.key === 'title').searchable = true; }, 'ent_contact');
    expect(await column('contacts', c.id)).toBe('ln lina cgjl caigoujingli');
    expect((await found('cgjl')).contacts).toEqual([c.id]);
    await publish((doc) => { doc.fields.find((f: { key: string }) => f.key === 'title').searchable = false; }, 'ent_contact');
    expect(await column('contacts', c.id)).toBe('ln lina');
    expect((await found('cgjl')).contacts).toBeUndefined();
  });

  it('adds and fills the column at start-up for entities published before it existed', async () => {
    const acc = await create('accounts', { name: '厦门鼓浪屿' });
    await t.database.pool.query(`alter table ${schema}.accounts drop column search_pinyin`);
    await upgradeSearchPinyin(t.database.db);
    expect(await column('accounts', acc.id)).toBe('xmgly xiamengulangyu');
    const idx = (await t.database.pool.query(`select count(*)::int as n from pg_indexes where schemaname = $1 and indexname like 'accounts_search_pinyin%'`, [schema])).rows[0].n;
    expect(idx).toBe(2);
    // Nothing left to do on the next start.
    await upgradeSearchPinyin(t.database.db);
    expect((await found('xmgly')).accounts).toEqual([acc.id]);
  });

  it('answers pinyin queries from the indexes, never by reading the table', async () => {
    const client = await t.database.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off');
      const plan = async (q: string) => (await client.query(q)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(await plan(`explain select id from ${schema}.accounts where search_pinyin ilike '%zwkj%'`)).toContain('accounts_search_pinyin_trgm');
      expect(await plan(`explain select id from ${schema}.accounts where search_pinyin ilike '%zw%' and crm.search_grams(search_pinyin) @> array['zw']`)).toContain('accounts_search_pinyin_grams');
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});
