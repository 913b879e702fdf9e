import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, REP, screenshotDir, startJourneyServer } from './browser.js';

const shots = screenshotDir();

/** A rep logs in, opens leads, creates a lead, converts it, and finds the account, contact and opportunity. */
describe.skipIf(!haveChrome)('journey: a rep converts a lead', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a lead and converts it into account, contact and opportunity', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/app/`);
    await page.locator('button[type=submit]').waitFor();
    await page.screenshot({ path: `${shots}01-login.png` });
    await page.fill('input[autocomplete=username]', REP.email);
    await page.fill('input[autocomplete=current-password]', REP.password);
    await page.locator('button[type=submit]').click();
    // Signing in lands on the home page; leads are one menu click away.
    await page.getByTestId('home').waitFor();
    await page.getByRole('menuitem', { name: '线索' }).click();
    await page.getByRole('heading', { name: '线索' }).waitFor();

    await page.getByTestId('new-record').click();
    await page.getByRole('heading', { name: '新建线索' }).waitFor();
    const field = (key: string) => page.locator(`[data-field="${key}"] input`).first();
    await field('name').fill('周明');
    await field('company').fill('苏州云帆智能科技有限公司');
    await field('phone').fill('13800138000');
    await field('email').fill('zhou.ming@example.com');
    await page.locator('[data-field="status"] .ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '跟进中' }).click();
    await page.screenshot({ path: `${shots}02-new-lead.png` });
    await page.getByTestId('save').click();
    await page.getByTestId('record-title').filter({ hasText: '周明' }).waitFor();
    await page.getByTestId('owner').filter({ hasText: '负责人：张伟' }).waitFor();
    await page.screenshot({ path: `${shots}03-lead-record.png` });

    await page.getByTestId('convert').click();
    await page.getByText('同时创建商机').waitFor();
    await page.waitForTimeout(400); // let the dialog finish its opening animation for the screenshot
    await page.screenshot({ path: `${shots}04-convert-dialog.png` });
    await page.getByTestId('convert-ok').click();
    await page.getByTestId('record-title').filter({ hasText: '苏州云帆智能科技有限公司' }).waitFor();
    await page.getByRole('tab', { name: '联系人' }).click();
    await page.getByRole('cell', { name: '周明' }).waitFor();
    await page.screenshot({ path: `${shots}05-account-contacts.png` });
    await page.getByRole('tab', { name: '商机' }).click();
    const opp = page.getByRole('cell', { name: '苏州云帆智能科技有限公司 商机' });
    await opp.waitFor();
    await page.screenshot({ path: `${shots}06-account-opportunities.png` });
    await opp.click();
    await page.getByTestId('record-title').filter({ hasText: '商机' }).waitFor();
    expect(await page.locator('[data-field="stage"]').innerText()).toContain('初步接触');
    await page.screenshot({ path: `${shots}07-opportunity.png` });
    expect(errors).toEqual([]);
  });
});
