import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, REP, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');

/** A rep on a 375 px phone opens a customer from the list, logs a visit in two taps, and creates a follow-up task. */
describe.skipIf(!haveChrome)('journey: a rep on the phone', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let accountId = '';
  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    browser = await launch();
    const repCookie = await t.login(REP.email, REP.password);
    const res = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/accounts`, payload: { name: '张伟科技有限公司' }, headers: { cookie: repCookie } });
    expect(res.statusCode, res.body).toBe(201);
    accountId = res.json().data.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs a visit with two taps and adds a follow-up task, both on the record timeline', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, REP);
    await page.goto(`${base}/app/${t.slug}/accounts`);
    await page.getByTestId(`row-${accountId}`).tap();
    await page.getByTestId('quick-actions').waitFor();
    await page.screenshot({ path: `${shots}record-phone.png` });

    // Tap 1: the kind of activity; tap 2: save (the subject is filled in and the visit is linked to the account).
    await page.getByTestId('quick-activities.visit').tap();
    await page.getByTestId('quick-save').tap();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    const acts = await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/activities?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'account' }, accountId] }))}`, headers: { cookie: t.cookie } });
    expect(acts.json().data).toMatchObject([{ kind: 'visit', subject: '拜访：张伟科技有限公司' }]);

    await page.getByTestId('quick-tasks.new').tap();
    await page.getByTestId('quick-description').fill('寄送报价单并电话确认');
    await page.getByTestId('quick-save').tap();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: '动态' }).tap();
    await page.getByTestId('timeline-tasks').waitFor();
    await page.getByTestId('timeline-activities').waitFor();
    await page.screenshot({ path: `${shots}timeline-phone.png`, fullPage: true });
    const task = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/records/tasks?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'account' }, accountId] }))}`, headers: { cookie: t.cookie } })).json().data[0];
    expect(task).toMatchObject({ subject: '跟进：张伟科技有限公司', status: 'open', description: '寄送报价单并电话确认' });
    expect(errors).toEqual([]);
  });
});
