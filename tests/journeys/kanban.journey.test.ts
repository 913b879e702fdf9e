import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, REP, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir();

/** On the opportunity board, a move that skips the proposal gate is refused with the reason; a legal move goes through. */
describe.skipIf(!haveChrome)('journey: the pipeline board enforces stage gates', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    cookie = await t.login(REP.email, REP.password);
    const post = async (entity: string, body: object) => (await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/${entity}`, payload: body, headers: { cookie } })).json().data;
    const acc = await post('accounts', { name: '杭州西湖科技有限公司' });
    await post('opportunities', { name: '西湖 ERP 项目', account: acc.id, stage: 'needs_confirmed' });
    await post('opportunities', { name: '西湖 CRM 试点', account: acc.id, stage: 'initial', amount: '80000.00' });
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
    await signIn(page, base, REP);
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
