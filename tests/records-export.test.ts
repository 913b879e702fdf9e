import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';

type Who = 'owner' | 'manager' | 'zhang' | 'li' | 'wang';

/** RFC 4180 as a spreadsheet reads it (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/**
 * CSV export of a list (content for people, BOM, quoting, formula guard,
 * permissions, labels in both languages, the cap, the audit row) and kanban
 * column totals (one group by with the read predicate, weighted by stage
 * probability, identifiers checked).
 */
describe('records: CSV export and kanban totals', () => {
  let t: TestApp;
  let users: Record<Who, Persona>;
  let schema: string;
  const call = (who: Who, url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/api/w/${t.slug}${url}`, headers: { cookie: users[who].cookie, ...headers } });
  const create = async (who: Who, entity: string, body: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/${entity}`, payload: body, headers: { cookie: users[who].cookie } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as Record<string, any>;
  };
  const csv = async (who: Who, query: string, lang = 'zh-CN') => {
    const res = await call(who, `/records/opportunities/export.csv${query}`, { 'accept-language': lang });
    expect(res.statusCode, res.body).toBe(200);
    return { res, rows: parseCsv(res.body.replace(/^\uFEFF/, '')) };
  };
  const q = (params: Record<string, unknown>) => `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]))}`;

  beforeAll(async () => {
    t = await startTestApp();
    const team = await salesTeam(t);
    users = team.users;
    schema = team.ws.schemaName;
    const acc = await create('zhang', 'accounts', { name: '杭州云栖科技有限公司' });
    await create('zhang', 'opportunities', { name: '云栖, "旗舰" 项目', account: acc.id, stage: 'proposal', amount: '120000.50', expected_close: '2026-12-31', next_step: '第一行\n第二行' });
    await create('zhang', 'opportunities', { name: '=HYPERLINK("http://evil.example","点我")', account: acc.id, stage: 'initial', amount: '-1500.00', next_step: '-2+3+cmd|\' /C calc\'!A0' });
    await create('zhang', 'opportunities', { name: '@SUM(1,2)', account: acc.id, stage: 'initial', next_step: '+86 138 0000 0000' });
    await create('zhang', 'opportunities', { name: '\t制表符开头', account: acc.id, stage: 'needs_confirmed', amount: '30000.00' });
    const liAcc = await create('li', 'accounts', { name: '宁波海纳贸易' });
    await create('li', 'opportunities', { name: '海纳 WMS', account: liAcc.id, stage: 'proposal', amount: '80000.00', expected_close: '2027-01-15' });
    const wangAcc = await create('wang', 'accounts', { name: '深圳南山精密' });
    await create('wang', 'opportunities', { name: '南山 MES', account: wangAcc.id, stage: 'negotiation', amount: '999999.99', expected_close: '2026-12-20' });
  });
  afterAll(async () => { await t?.close(); });

  it('writes people\'s values under labelled headers, with a BOM, RFC 4180 quoting and formulas disarmed', async () => {
    const { res, rows } = await csv('zhang', q({ sort: 'name', fields: 'name,account,stage,amount,next_step' }));
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="opportunities-${ymd()}.csv"; filename*=UTF-8''${encodeURIComponent(`商机-${ymd()}.csv`)}`);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows[0]).toEqual(['商机名称', '客户', '销售阶段', '金额', '下一步']);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(rows).toHaveLength(5);
    // Quotes, commas and line breaks survive quoting; relation titles and option labels, not ids and keys.
    expect(byName.get('云栖, "旗舰" 项目')).toEqual(['云栖, "旗舰" 项目', '杭州云栖科技有限公司', '方案报价', '120000.50', '第一行\n第二行']);
    expect(res.body).toContain('"云栖, ""旗舰"" 项目",杭州云栖科技有限公司,方案报价,120000.50,"第一行\n第二行"\r\n');
    // Formula-looking text gets a leading apostrophe; a real negative amount stays a number.
    expect(byName.get(`'=HYPERLINK("http://evil.example","点我")`)).toEqual([`'=HYPERLINK("http://evil.example","点我")`, '杭州云栖科技有限公司', '初步接触', '-1500.00', `'-2+3+cmd|' /C calc'!A0`]);
    expect(byName.get("'@SUM(1,2)")![4]).toBe("'+86 138 0000 0000");
    expect(byName.get("'\t制表符开头")).toBeDefined();
    // Nothing in the file starts a cell with a formula character except a plain number.
    for (const r of rows) for (const cell of r) expect(/^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell), cell).toBe(false);
  });

  it('labels headers and options in English on request, by Accept-Language or ?lang=', async () => {
    const fields = 'name,stage,amount,expected_close';
    const byHeader = await csv('zhang', q({ fields, filter: { '==': [{ var: 'stage' }, 'proposal'] } }), 'en');
    expect(byHeader.rows).toEqual([['Name', 'Stage', 'Amount', 'Expected close'], ['云栖, "旗舰" 项目', 'Proposal', '120000.50', '2026-12-31']]);
    const byParam = await csv('zhang', q({ fields, filter: { '==': [{ var: 'stage' }, 'proposal'] }, lang: 'en' }), 'zh-CN');
    expect(byParam.rows).toEqual(byHeader.rows);
    expect(byParam.res.headers['content-disposition']).toContain(`filename*=UTF-8''Opportunities-${ymd()}.csv`);
  });

  it('exports exactly the rows the caller may read, with the owner\'s name, and audits who exported what', async () => {
    const names = async (who: Who) => (await csv(who, '')).rows.slice(1).map((r) => r[0]).sort();
    expect(await names('zhang')).toHaveLength(4);
    expect(await names('li')).toEqual(['海纳 WMS']);
    // The manager reads the team (张伟, 李娜), not 华南.
    const manager = await csv('manager', q({ filter: { '==': [{ var: 'stage' }, 'proposal'] }, sort: '-amount' }));
    const header = manager.rows[0]!;
    expect(header.at(-1)).toBe('负责人');
    expect(manager.rows.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([['云栖, "旗舰" 项目', '张伟'], ['海纳 WMS', '李娜']]);
    expect((await names('manager')).includes('南山 MES')).toBe(false);
    expect(await names('owner')).toContain('南山 MES');

    const audit = (await t.database.pool.query(`select actor_id, entity, record_id, changes from crm.audit_log where action = 'records.export' order by id desc limit 1`)).rows[0];
    expect(audit).toMatchObject({ actor_id: users.owner.id, entity: 'opportunities', record_id: null, changes: { format: 'csv', rows: 6, filter: null } });
    const managers = (await t.database.pool.query(`select changes from crm.audit_log where action = 'records.export' and actor_id = $1 order by id`, [users.manager.id])).rows;
    expect(managers[0].changes).toMatchObject({ rows: 2, filter: { '==': [{ var: 'stage' }, 'proposal'] }, sort: '-amount' });
  });

  it('formats member names, datetimes in the workspace time zone and select labels of other entities', async () => {
    await create('zhang', 'tasks', { subject: '=1+1 回访', status: 'open', priority: 'high', assignee: users.li.id, due: '2026-11-23T06:30:00Z' });
    const res = await call('zhang', `/records/tasks/export.csv${q({ fields: 'subject,status,priority,assignee,due' })}`, { 'accept-language': 'en' });
    expect(parseCsv(res.body.slice(1))).toEqual([['Subject', 'Status', 'Priority', 'Assignee', 'Due'], ["'=1+1 回访", 'Open', 'High', '李娜', '2026-11-23 14:30']]);
  });

  it('refuses bad requests before writing a byte, and entities the caller may not read', async () => {
    const cases: [string, number, string][] = [
      [q({ fields: 'name,nope' }), 400, 'CRM_ERR_UNKNOWN_FIELDS'],
      [q({ sort: 'name;drop table x' }), 400, 'CRM_ERR_UNKNOWN_FIELDS'],
      [q({ filter: { '==': [{ var: '__proto__' }, 1] } }), 400, 'CRM_ERR_BAD_FILTER'],
      ['?filter=%7Bnot-json', 400, 'CRM_ERR_BAD_REQUEST'],
      ['?limit=5', 400, 'CRM_ERR_BAD_REQUEST'],
    ];
    for (const [query, status, code] of cases) {
      const res = await call('zhang', `/records/opportunities/export.csv${query}`);
      expect(res.statusCode, query).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect((await call('zhang', '/records/nope/export.csv')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/opportunities/export.csv` })).statusCode).toBe(401);
  });

  it('pages through long lists in full and refuses more than 100,000 rows with a catalogue error', async () => {
    // Rows straight into this test's own database, without the search indexes (which would make 100,000 inserts take a minute).
    for (const r of (await t.database.pool.query(`select indexname from pg_indexes where schemaname = $1 and tablename = 'products' and indexdef ilike '%using gin%'`, [schema])).rows) {
      await t.database.pool.query(`drop index ${schema}.${r.indexname}`);
    }
    const insert = (from: number, to: number) => t.database.pool.query(`insert into ${schema}.products (id, created_at, updated_at, version, name)
      select gen_random_uuid(), now(), now(), 1, 'P' || lpad(i::text, 6, '0') from generate_series($1::int, $2::int) as i`, [from, to]);
    await insert(1, 1234);
    const full = await call('owner', `/records/products/export.csv${q({ fields: 'name', sort: 'name' })}`);
    expect(full.statusCode).toBe(200);
    const names = parseCsv(full.body.slice(1)).slice(1).map((r) => r[0]);
    expect(names).toHaveLength(1234);
    expect(new Set(names).size).toBe(1234);
    expect(names[0]).toBe('P000001');
    expect(names.at(-1)).toBe('P001234');

    await insert(1235, 100_001);
    const before = (await t.database.pool.query(`select count(*)::int as n from crm.audit_log where action = 'records.export'`)).rows[0].n;
    const refused = await call('owner', '/records/products/export.csv', { 'accept-language': 'en' });
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ code: 'CRM_ERR_EXPORT_TOO_LARGE', message: 'The export would hold 100001 records, more than the limit of 100000; narrow it with a filter first' });
    expect((await t.database.pool.query(`select count(*)::int as n from crm.audit_log where action = 'records.export'`)).rows[0].n).toBe(before);
    // Narrowed by a filter, it goes through.
    const narrowed = await call('owner', `/records/products/export.csv${q({ fields: 'name', filter: { startsWith: [{ var: 'name' }, 'P0000'] } })}`);
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.headers['x-total-count']).toBe('99');
  });

  describe('kanban totals', () => {
    const totals = async (who: Who, params: Record<string, unknown>) => {
      const res = await call(who, `/records/opportunities/totals${q(params)}`);
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries((res.json().data as { key: string }[]).map((r) => [r.key, r]));
    };

    it('counts and sums per stage over the readable records, weighted by the stage probability, decimals as strings', async () => {
      const byStage = await totals('manager', { groupBy: 'stage', sum: 'amount' });
      expect(Object.keys(byStage)).toEqual(['initial', 'needs_confirmed', 'proposal', 'negotiation', 'won', 'lost']);
      // 张伟 and 李娜's, not 华南's 999999.99 in negotiation.
      expect(byStage.initial).toEqual({ key: 'initial', count: 2, sum: '-1500.00', weighted: '-150.00' });
      expect(byStage.needs_confirmed).toEqual({ key: 'needs_confirmed', count: 1, sum: '30000.00', weighted: '7500.00' });
      expect(byStage.proposal).toEqual({ key: 'proposal', count: 2, sum: '200000.50', weighted: '100000.25' });
      expect(byStage.negotiation).toEqual({ key: 'negotiation', count: 0, sum: '0.00', weighted: '0.00' });
      expect((await totals('owner', { groupBy: 'stage', sum: 'amount' })).negotiation).toEqual({ key: 'negotiation', count: 1, sum: '999999.99', weighted: '749999.99' });
      expect((await totals('li', { groupBy: 'stage', sum: 'amount' })).proposal).toEqual({ key: 'proposal', count: 1, sum: '80000.00', weighted: '40000.00' });
    });

    it('applies the filter, and leaves weighted out for a select that is no pipeline', async () => {
      const filtered = await totals('manager', { groupBy: 'stage', sum: 'amount', filter: { '>': [{ var: 'amount' }, '50000'] } });
      expect(filtered.proposal).toMatchObject({ count: 2, sum: '200000.50' });
      expect(filtered.initial).toMatchObject({ count: 0, sum: '0.00' });
      const bySource = await totals('manager', { groupBy: 'source' });
      expect(bySource.website).toEqual({ key: 'website', count: 0, sum: null, weighted: null });
      // Records with no source are their own column.
      expect(bySource.null).toEqual({ key: null, count: 5, sum: null, weighted: null });
    });

    it('checks every identifier against the entity', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ groupBy: 'name' }, '/groupBy'],
        [{ groupBy: 'stage; drop table x' }, '/groupBy'],
        [{ groupBy: '__proto__' }, '/groupBy'],
        [{ groupBy: 'stage', sum: 'name' }, '/sum'],
        [{ groupBy: 'stage', sum: 'amount) ; select pg_sleep(5)--' }, '/sum'],
      ];
      for (const [params, pointer] of cases) {
        const res = await call('manager', `/records/opportunities/totals${q(params)}`);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'CRM_ERR_UNKNOWN_FIELDS', details: [{ pointer }] });
      }
      expect((await call('manager', '/records/opportunities/totals')).statusCode).toBe(400);
      expect((await call('manager', `/records/opportunities/totals${q({ groupBy: 'stage', filter: { '==': [{ var: 'nope' }, 1] } })}`)).json().code).toBe('CRM_ERR_BAD_FILTER');
    });
  });
});

/** Today in the workspace time zone (Asia/Shanghai), as the export's file name has it. */
function ymd(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).replaceAll('-', '');
}
