import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, installTemplate, readTemplate, workspaceFor } from '@crm/server';
import { startTestApp, type TestApp } from '../support/app.js';
import { haveChrome, launch } from './browser.js';

const shots = process.env.UPDATE_SCREENSHOTS === '1'
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : `${mkdtempSync(join(tmpdir(), 'crm-shots-'))}/`;
const template = fileURLToPath(new URL('../../templates/default-crm', import.meta.url));

/** On the opportunity board, a move that skips the proposal gate is refused with the reason; a legal move goes through. */
describe.skipIf(!haveChrome)('journey: the pipeline board enforces stage gates', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    t = await startTestApp();
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(template));
    const rep = await createUser(t.database.db, { email: 'rep@example.com', name: '张伟', password: 'rep-password-1' });
    await addMember(t.database.db, ws.id, rep.id, 'member');
    await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: rep.id, role_key: 'sales_rep' }).execute();
    cookie = await t.login('rep@example.com', 'rep-password-1');
    const post = async (entity: string, body: object) => (await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/${entity}`, payload: body, headers: { cookie } })).json().data;
    const acc = await post('accounts', { name: '杭州西湖科技有限公司' });
    await post('opportunities', { name: '西湖 ERP 项目', account: acc.id, stage: 'needs_confirmed' });
    await post('opportunities', { name: '西湖 CRM 试点', account: acc.id, stage: 'initial', amount: '80000.00' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a move past a gate with its reason and allows a legal one', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 820 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/app/login`);
    await page.fill('input[autocomplete=username]', 'rep@example.com');
    await page.fill('input[autocomplete=current-password]', 'rep-password-1');
    await page.locator('button[type=submit]').click();
    await page.locator('[data-testid=user-menu]').waitFor();
    await page.goto(`${base}/app/${t.slug}/opportunities`);
    await page.getByTestId('view-select').click();
    await page.locator('.ant-select-item-option', { hasText: '商机看板' }).click();
    await page.getByTestId('kanban').waitFor();
    const card = (name: string) => page.locator(`[data-card="${name}"]`);
    const column = (key: string) => page.locator(`[data-column="${key}"]`);
    await card('西湖 ERP 项目').waitFor();

    await card('西湖 ERP 项目').dragTo(column('proposal'));
    await page.getByText('进入阶段「方案报价」前需要填写：金额、预计成交日期').waitFor();
    await page.waitForTimeout(300); // the message's entry animation, for the screenshot
    await page.screenshot({ path: `${shots}08-board-gate-refused.png` });
    expect(await column('needs_confirmed').locator('[data-card="西湖 ERP 项目"]').count()).toBe(1);

    await card('西湖 CRM 试点').dragTo(column('needs_confirmed'));
    await column('needs_confirmed').locator('[data-card="西湖 CRM 试点"]').waitFor();
    await page.screenshot({ path: `${shots}09-board-moved.png` });
    const opp = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/opportunities?q=${encodeURIComponent('CRM 试点')}`, headers: { cookie } })).json().data[0];
    expect(opp.stage).toBe('needs_confirmed');
    expect(errors).toEqual([]);
  });
});
