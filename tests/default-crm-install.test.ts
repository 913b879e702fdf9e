import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTemplate, installTemplate, seedDemo, DEMO_PASSWORD, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';

const dir = fileURLToPath(new URL('../templates/default-crm', import.meta.url));

describe('default CRM install and demo company', () => {
  let t: TestApp;
  let ownerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
  });
  afterAll(async () => { await t.close(); });

  it('publishes cleanly into an empty workspace, and a second install is a no-op', async () => {
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    const pkg = await readTemplate(dir);
    const first = await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, pkg);
    expect(first).toMatchObject({ published: true, revision: 1 });
    const tables = await t.database.pool.query(`select count(*)::int as n from information_schema.tables where table_schema = $1`, [ws.schemaName]);
    expect(tables.rows[0].n).toBe(16);
    const again = await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, pkg);
    expect(again).toEqual({ published: false, revision: 1, written: 0 });
    expect((await t.database.pool.query(`select count(*)::int as n from crm.metadata_revisions where workspace_id = $1`, [ws.id])).rows[0].n).toBe(1);
  });

  it('seeds a demo company where a rep sees own and pool records, and the director everything', async () => {
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    const logins = await seedDemo({ db: t.database.db, records: t.app.services.records, clock: t.app.services.clock }, ws, ownerId);
    expect(logins.map((l) => l.role)).toEqual(['sales_director', 'sales_manager', 'sales_manager', 'sales_rep', 'sales_rep', 'sales_rep', 'sales_rep']);
    const rep = await t.login('rep1@demo.example', DEMO_PASSWORD);
    const director = await t.login('director@demo.example', DEMO_PASSWORD);
    const total = async (cookie: string, entity: string, filter?: unknown) => (await t.app.inject({
      method: 'GET', url: `/api/w/${t.slug}/records/${entity}?limit=1&total=true${filter ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : ''}`, headers: { cookie },
    })).json().total as number;
    expect(await total(director, 'accounts')).toBe(180);
    expect(await total(director, 'leads')).toBe(240);
    expect(await total(director, 'opportunities')).toBe(150);
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: rep } })).json().data.id;
    const repAccounts = await total(rep, 'accounts');
    const repOwn = await total(rep, 'accounts', { '==': [{ var: 'owner_id' }, me] });
    const pool = await total(rep, 'accounts', { isEmpty: [{ var: 'owner_id' }] });
    expect(repOwn).toBeGreaterThan(0);
    expect(pool).toBeGreaterThan(0);
    expect(repAccounts).toBe(repOwn + pool);
    expect(repAccounts).toBeLessThan(180);
    // Quote totals follow their lines through rollups and the total formula.
    const quotes = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/quotes?limit=5`, headers: { cookie: director } })).json().data;
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) expect(Number(q.total)).toBeCloseTo(Number(q.subtotal) + Number(q.tax_total), 2);
  });
});
