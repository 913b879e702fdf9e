import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, OWNER, REP, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');

/**
 * Realtime across two browsers: the owner renames a lead of the rep's in the
 * app; the rep's open list shows the new name without a reload, and the rep's
 * open edit form keeps what they typed and says the record changed.
 */
describe.skipIf(!haveChrome)('journey: a change by one user appears in the other\'s open list', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let lead: { id: string };

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    const cookie = await t.login(REP.email, REP.password);
    const post = async (body: object) => (await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/leads`, payload: body, headers: { cookie } })).json().data;
    lead = await post({ name: '陈静', company: '杭州云栖数据有限公司', title: '采购经理', phone: '13800001234' });
    await post({ name: '刘洋', company: '宁波港联物流有限公司', title: '总经理' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the other user\'s edit in the open list, and warns an open form instead of overwriting it', async () => {
    const repContext = await browser.newContext({ viewport: { width: 1440, height: 820 } });
    const ownerContext = await browser.newContext({ viewport: { width: 1440, height: 820 } });
    const rep = await repContext.newPage();
    const owner = await ownerContext.newPage();
    const errors: string[] = [];
    rep.on('pageerror', (e) => errors.push(e.message));
    owner.on('pageerror', (e) => errors.push(e.message));
    await signIn(rep, base, REP);
    await signIn(owner, base, OWNER);

    await rep.goto(`${base}/app/${t.slug}/leads`);
    await rep.getByText('陈静').first().waitFor();
    await rep.locator('[data-testid=live-status][data-state=connected]').waitFor();
    await rep.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // The owner edits the lead through the app.
    await owner.goto(`${base}/app/${t.slug}/leads/${lead.id}`);
    await owner.getByTestId('edit').click();
    const name = owner.locator('.ant-modal input').first();
    await name.fill('陈静（已签约意向）');
    const saved = Date.now();
    await owner.locator('.ant-modal-footer .ant-btn-primary').click();

    await rep.getByText('陈静（已签约意向）').first().waitFor({ timeout: 3000 });
    expect(Date.now() - saved).toBeLessThan(3000);
    expect(await rep.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await rep.waitForTimeout(300);
    await rep.screenshot({ path: `${shots}live-update.png` });

    // The rep is editing the same record when the owner saves again: the form keeps the rep's text and says so.
    await rep.goto(`${base}/app/${t.slug}/leads/${lead.id}`);
    await rep.getByTestId('edit').click();
    await rep.locator('.ant-modal input').nth(1).fill('云栖数据（杭州）');
    await owner.getByTestId('edit').click();
    await owner.locator('.ant-modal input').nth(2).fill('采购总监');
    await owner.locator('.ant-modal-footer .ant-btn-primary').click();
    await rep.getByTestId('record-changed-notice').waitFor({ timeout: 3000 });
    expect(await rep.locator('.ant-modal input').nth(1).inputValue()).toBe('云栖数据（杭州）');
    await rep.waitForTimeout(300);
    await rep.screenshot({ path: `${shots}live-record-changed.png` });
    // Closing the form shows the latest version.
    await rep.locator('.ant-modal-close').click();
    await rep.getByText('采购总监').first().waitFor({ timeout: 3000 });
    expect(errors).toEqual([]);
  });
});
