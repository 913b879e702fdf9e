import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, REP, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');

/**
 * Global search: a rep on a phone finds a customer from the header and opens
 * it; on a desktop the palette opens with "/" and is driven by the keyboard.
 * Records of other people never show up.
 */
describe.skipIf(!haveChrome)('journey: a rep finds a customer by search and opens it', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let account: { id: string };
  let opportunity: { id: string };

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    const rep = await t.login(REP.email, REP.password);
    const post = async (cookie: string, entity: string, body: object) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/records/${entity}`, payload: body, headers: { cookie } });
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json().data;
    };
    account = await post(rep, 'accounts', { name: '杭州西湖科技有限公司', phone: '0571-88886666' });
    await post(rep, 'contacts', { name: '周明', account: account.id, phone: '13800001234', title: '采购总监' });
    opportunity = await post(rep, 'opportunities', { name: '西湖科技 CRM 升级', account: account.id, amount: '180000.00' });
    await post(rep, 'leads', { name: '孙丽', company: '西湖文旅集团' });
    // Someone else's customer with the same words: the rep must never see it.
    await post(t.cookie, 'accounts', { name: '西湖科技（另一团队的客户）' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('on a phone: taps search in the header, types, and opens the customer', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, REP);
    await page.getByTestId('global-search').tap();
    const palette = page.getByTestId('search-palette');
    await palette.waitFor();
    // Full screen on a phone.
    const box = (await palette.boundingBox())!;
    expect(box.width).toBe(375);
    expect(box.height).toBeGreaterThanOrEqual(800);
    await page.getByTestId('search-input').fill('西湖');
    await page.getByTestId('search-group-accounts').waitFor();
    const groups = await page.locator('[data-testid^=search-group-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(groups).toEqual(['search-group-leads', 'search-group-accounts', 'search-group-opportunities']);
    await expect.poll(() => palette.textContent()).toContain('杭州西湖科技有限公司');
    expect(await palette.textContent()).not.toContain('另一团队');
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${shots}search-phone.png` });

    await page.getByTestId(`search-result-${account.id}`).tap();
    await page.waitForURL(`${base}/app/${t.slug}/accounts/${account.id}`);
    expect(await page.getByTestId('search-palette').count()).toBe(0);
    await page.getByText('杭州西湖科技有限公司').first().waitFor();
    await page.getByText('0571-88886666').first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a desktop: "/" opens the palette, pinyin initials find, arrows pick a result, Enter opens it, Esc closes', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, REP);
    await page.keyboard.press('/');
    await page.getByTestId('search-input').waitFor();
    // "/" opened the palette and was not typed into it.
    expect(await page.getByTestId('search-input').inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await page.getByTestId('search-palette').waitFor({ state: 'detached' });

    await page.keyboard.press('Control+k');
    // Pinyin initials find the customer too.
    await page.keyboard.type('hzxh');
    await page.getByTestId(`search-result-${account.id}`).waitFor();
    await page.getByTestId('search-input').fill('');
    await page.keyboard.type('西湖科技');
    await page.getByTestId(`search-result-${opportunity.id}`).waitFor();
    // The first result is active; down moves through the groups in order.
    const selected = () => page.locator('[data-testid^=search-result-][aria-selected=true]').getAttribute('data-testid');
    expect(await selected()).toBe(`search-result-${account.id}`);
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(`search-result-${opportunity.id}`);
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(`search-result-${account.id}`);
    await page.keyboard.press('ArrowUp');
    expect(await selected()).toBe(`search-result-${opportunity.id}`);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${shots}search.png` });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/app/${t.slug}/opportunities/${opportunity.id}`);
    await page.getByText('西湖科技 CRM 升级').first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
