import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, OWNER, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');

/** The list screen: a filter built with the rule builder, saved as a view, and the same list as cards on a phone. */
describe.skipIf(!haveChrome)('journey: list views', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie } });
  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true }));
    browser = await launch();
    const acct = (await api('POST', '/records/accounts', { name: '华东重工' })).json().data;
    const amounts = ['80000.00', '250000.00', '620000.00', '1200000.00', '45000.00'];
    for (const [i, amount] of amounts.entries()) {
      expect((await api('POST', '/records/opportunities', { name: `华东重工 项目${i + 1}`, account: acct.id, stage: 'initial', amount })).statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('filters by amount with the rule builder, saves the view, and finds it again', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/app/${t.slug}/opportunities`);
    await expect.poll(() => page.getByTestId('list-total').textContent()).toContain('共 5 条');

    await page.getByTestId('filter-button').click();
    await page.getByTestId('rule-add').click();
    const row = page.locator('[data-testid=list-filter] .rule-row').first();
    await row.locator('.ant-select').first().click();
    await page.keyboard.type('金额');
    await page.locator('.ant-select-item-option-active', { hasText: '金额' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.locator('.ant-select').first().textContent()).toContain('金额');
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await row.locator('.ant-select').nth(1).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '不小于' }).click();
    await expect.poll(() => row.locator('.ant-select').nth(1).textContent()).toContain('不小于');
    await row.locator('input').last().fill('500000');
    await page.getByTestId('filter-apply').click();
    await expect.poll(() => page.getByTestId('list-total').textContent()).toContain('共 2 条');
    await page.screenshot({ path: `${shots}list-filter.png` });

    await page.getByTestId('list-more').click();
    await page.getByText('保存为视图…').click();
    await page.getByTestId('save-view-label').fill('五十万以上');
    await page.getByTestId('save-view-ok').click();
    await expect.poll(async () => (await api('GET', '/saved-views?entity=opportunities')).json().data.length).toBe(1);
    expect((await api('GET', '/saved-views?entity=opportunities')).json().data[0].definition.filter).toEqual({ '>=': [{ var: 'amount' }, '500000'] });

    // A fresh visit starts from the designer's view; choosing the saved one brings the filter back.
    await page.reload();
    await expect.poll(() => page.getByTestId('list-total').textContent()).toContain('共 5 条');
    await page.getByTestId('view-select').click();
    await page.locator('.ant-select-item-option', { hasText: '五十万以上' }).click();
    await expect.poll(() => page.getByTestId('list-total').textContent()).toContain('共 2 条');
    // The CSV export is of exactly this list.
    await page.getByTestId('list-more').click();
    const href = (await page.getByTestId('export-csv').getAttribute('href'))!;
    expect(new URL(href, base).searchParams.get('filter')).toBe(JSON.stringify({ '>=': [{ var: 'amount' }, '500000'] }));
    expect(errors).toEqual([]);
  });

  it('shows the list as cards on a 375 px phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await signIn(page, base, OWNER);
    await page.goto(`${base}/app/${t.slug}/opportunities`);
    await page.getByTestId('list-cards').locator('.ant-card').first().waitFor();
    expect(await page.getByTestId('list-cards').locator('.ant-card').count()).toBe(5);
    expect(await page.locator('.ant-table').count()).toBe(0);
    await page.screenshot({ path: `${shots}list-phone.png` });
  });
});
