import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, OWNER, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');

/** Two people edit the same opportunity: the second to save sees the first one's change and chooses, nothing is lost silently. */
describe.skipIf(!haveChrome)('journey: editing the same record at once', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let oppId = '';
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie } });
  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true }));
    browser = await launch();
    const acct = (await api('POST', '/records/accounts', { name: '远航物流' })).json().data;
    oppId = (await api('POST', '/records/opportunities', { name: '远航物流 TMS 项目', account: acct.id, stage: 'initial', next_step: '约见采购' })).json().data.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const openEditor = async (page: Page) => {
    await signIn(page, base, OWNER);
    await page.goto(`${base}/app/${t.slug}/opportunities/${oppId}`);
    await page.getByTestId('edit').click();
    return page.locator('.ant-modal [data-field=next_step] input');
  };

  it('shows the second editor what the first one changed, and lets them keep theirs or save over it', async () => {
    const a = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const b = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    const inputA = await openEditor(a);
    const inputB = await openEditor(b);
    await inputA.fill('周三上门演示');
    await a.locator('.ant-modal .ant-btn-primary').click();
    await a.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    await a.getByTestId('stage-path').waitFor();
    await a.screenshot({ path: `${shots}record.png` });

    await inputB.fill('先发资料再约');
    await b.locator('.ant-modal .ant-btn-primary').click();
    const notice = b.getByTestId('edit-conflict');
    await notice.waitFor();
    expect(await notice.locator('[data-field=next_step]').textContent()).toContain('周三上门演示');
    expect(await inputB.inputValue()).toBe('先发资料再约');
    await b.screenshot({ path: `${shots}edit-conflict.png` });
    expect((await api('GET', `/records/opportunities/${oppId}`)).json().data.next_step).toBe('周三上门演示');

    await b.getByTestId('conflict-overwrite').click();
    await expect.poll(async () => (await api('GET', `/records/opportunities/${oppId}`)).json().data.next_step).toBe('先发资料再约');
  });

  it('edits a cell in the list in place; a stale cell edit shows the other person\'s value and saves only on request', async () => {
    const a = await (await browser.newContext({ viewport: { width: 1440, height: 860 } })).newPage();
    const b = await (await browser.newContext({ viewport: { width: 1440, height: 860 } })).newPage();
    for (const page of [a, b]) {
      await signIn(page, base, OWNER);
      await page.goto(`${base}/app/${t.slug}/opportunities`);
      await page.getByTestId(`row-${oppId}`).waitFor();
    }
    const cell = (page: Page) => page.getByTestId(`row-${oppId}`).locator('[data-field=amount]');
    const editCell = async (page: Page) => { await cell(page).hover(); await cell(page).getByTestId('edit-amount').click(); };
    // B starts editing first, A saves first.
    await editCell(b);
    await b.getByTestId('inline-editor').locator('input').fill('720000');
    await editCell(a);
    await a.getByTestId('inline-editor').locator('input').fill('880000');
    await a.keyboard.press('Enter');
    await a.getByTestId('inline-editor').waitFor({ state: 'detached' });
    await expect.poll(() => cell(a).textContent()).toContain('880,000');
    expect((await api('GET', `/records/opportunities/${oppId}`)).json().data.amount).toBe('880000.00');
    await a.screenshot({ path: `${shots}list-inline-edit.png` });

    // B's edit was based on the version before A's: nothing is written, both values are shown.
    await b.getByTestId('inline-save').click();
    const notice = b.getByTestId('edit-conflict');
    await notice.waitFor();
    expect(await notice.locator('[data-field=amount]').textContent()).toMatch(/880,000.*720,000/);
    expect((await api('GET', `/records/opportunities/${oppId}`)).json().data.amount).toBe('880000.00');
    await b.screenshot({ path: `${shots}list-inline-conflict.png` });
    await b.getByTestId('conflict-overwrite').click();
    await expect.poll(async () => (await api('GET', `/records/opportunities/${oppId}`)).json().data.amount).toBe('720000.00');
    await expect.poll(() => cell(b).textContent()).toContain('720,000');

    // A value the server refuses keeps the editor open with the message on the cell and writes nothing.
    await editCell(b);
    await b.getByTestId('inline-editor').locator('input').fill('不是数字');
    await b.keyboard.press('Enter');
    await b.getByTestId('inline-error').waitFor();
    expect(await b.getByTestId('inline-editor').locator('input').inputValue()).toBe('不是数字');
    expect((await api('GET', `/records/opportunities/${oppId}`)).json().data.amount).toBe('720000.00');
    await b.keyboard.press('Escape');
    await b.getByTestId('inline-editor').waitFor({ state: 'detached' });
  });
});
