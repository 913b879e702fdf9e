import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { drag, haveChrome, launch, OWNER, REP, saved, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('designer/');

/** Opens the plan, waits for it to open fully, checks it says `expected`, publishes, and waits for the new published revision. */
async function publishWithPlan(page: Page, expected: string[], shot?: string) {
  const before = Number(await page.getByTestId('published-revision').getAttribute('data-revision'));
  await page.getByTestId('plan').click();
  const dialog = page.locator('.ant-modal').filter({ hasText: '发布计划' });
  for (const text of expected) await dialog.getByText(text, { exact: false }).first().waitFor();
  await page.waitForTimeout(400); // the dialog's opening animation, for the screenshot
  if (shot) await page.screenshot({ path: shot });
  await page.getByTestId('publish').click();
  await page.locator(`[data-testid=published-revision][data-revision="${before + 1}"]`).waitFor();
}

describe.skipIf(!haveChrome)('journeys: the designer', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie, ...headers } });
  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('builds 竞品 / Competitor with five fields by drag and drop, links opportunities to it, publishes, and uses it in the app', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/`);
    await page.getByTestId('new-entity').click();
    await page.getByTestId('entity-zh').fill('竞品');
    await page.getByTestId('entity-en').fill('Competitor');
    expect(await page.getByTestId('entity-key').inputValue()).toBe('competitors');
    await page.getByTestId('entity-ok').click();
    await page.getByTestId('field-name').waitFor();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });

    // Five fields, each dragged from the palette into the list and named in its settings.
    const fields: [string, string, string][] = [
      ['palette-url', '官网', 'guan_wang'], ['palette-select', '威胁等级', 'wei_xie_deng_ji'], ['palette-currency', '年营收', 'nian_ying_shou'],
      ['palette-phone', '联系电话', 'lian_xi_dian_hua'], ['palette-textarea', '优势与劣势', 'you_shi_yu_lie_shi'],
    ];
    for (const [palette, label, key] of fields) {
      await drag(page, `[data-testid=${palette}]`, '[data-testid=field-list]', { position: 'bottom' });
      await page.getByTestId('setting-label-zh').fill(label);
      await expect.poll(() => page.getByTestId('setting-key').inputValue()).toBe(key);
      if (key === 'wei_xie_deng_ji') {
        await page.getByTestId('option-label-option_1').fill('高');
        await page.getByTestId('option-label-option_2').fill('低');
      }
      await page.keyboard.press('Escape');
      await page.getByTestId(`field-${key}`).waitFor();
      await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    }
    await saved(page); // a save landing mid-drag re-renders the list under the pointer
    // Drag the threat level to the top of the list.
    await drag(page, '[data-testid=field-wei_xie_deng_ji] .drag-handle', '[data-testid=field-name]', { position: 'top' });
    await expect.poll(async () => (await page.locator('[data-testid^=field-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).slice(1, 3))
      .toEqual(['field-wei_xie_deng_ji', 'field-name']);
    await saved(page);
    await page.screenshot({ path: `${shots}fields.png` });

    // Undo and redo the reorder.
    await page.getByTestId('undo').click();
    await expect.poll(async () => (await page.locator('[data-testid^=field-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))))[1]).toBe('field-name');
    await page.getByTestId('redo').click();
    await expect.poll(async () => (await page.locator('[data-testid^=field-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))))[1]).toBe('field-wei_xie_deng_ji');

    // Opportunities get a relation to the new entity.
    await page.getByTestId('nav-opportunities').click();
    await drag(page, '[data-testid=palette-relation]', '[data-testid=field-list]', { position: 'bottom' });
    await page.getByTestId('setting-label-zh').fill('竞争对手');
    await page.getByTestId('setting-target').click();
    await page.keyboard.type('竞品'); // the list is virtual: search rather than scroll
    await page.locator('.ant-select-item-option', { hasText: '(competitors)' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}field-settings.png` });
    await page.keyboard.press('Escape');
    await saved(page);

    // The new field landed at the end of the form; drag it up into the first section.
    await page.getByTestId('tab-form').click();
    await drag(page, '[data-testid=layout-item-jing_zheng_dui_shou]', '[data-testid=layout-section-sec_opportunity_main]', { position: 'bottom' });
    await saved(page);
    const draft = (await api('GET', '/meta/draft')).json().documents.find((x: { id: string }) => x.id === 'lay_opportunity').body;
    const sectionOf = (key: string) => draft.tabs[0].sections.find((sec: { items: { field?: string }[] }) => sec.items.some((i) => i.field === key))?.id;
    expect(sectionOf('jing_zheng_dui_shou')).toBe('sec_opportunity_main');
    await page.screenshot({ path: `${shots}form-layout-drop.png` });
    await publishWithPlan(page, ['新建对象「竞品」', '竞争对手'], `${shots}plan.png`);

    // In the app: a competitor, then an opportunity pointing at it.
    const comp = (await api('POST', '/records/competitors', { name: '云帆软件', wei_xie_deng_ji: 'gao', nian_ying_shou: '52000000.00' }));
    expect(comp.statusCode, comp.body).toBe(201);
    const acct = (await api('POST', '/records/accounts', { name: '海川集团' })).json().data;
    const opp = (await api('POST', '/records/opportunities', { name: '海川 CRM 项目', account: acct.id, stage: 'initial', amount: '300000.00' })).json().data;
    await page.goto(`${base}/app/${t.slug}/opportunities/${opp.id}`);
    await page.getByTestId('edit').click();
    const field = page.locator('.ant-modal [data-field=jing_zheng_dui_shou]');
    await field.locator('.ant-select').click();
    await page.keyboard.type('云帆');
    await page.locator('.ant-select-item-option', { hasText: '云帆软件' }).click();
    await page.locator('.ant-modal .ant-btn-primary').click();
    await expect.poll(async () => (await api('GET', `/records/opportunities/${opp.id}`)).json().data.jing_zheng_dui_shou).toBe(comp.json().data.id);
    await page.locator('[data-field=jing_zheng_dui_shou]', { hasText: '云帆软件' }).first().waitFor();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    await page.screenshot({ path: `${shots}runtime-competitor.png` });
    expect(errors).toEqual([]);
  });

  it('archives a field holding data: the plan counts the values, the record history still shows them, and restoring brings them back', async () => {
    const acct = (await api('POST', '/records/accounts', { name: '星河科技', website: 'https://xinghe.example' })).json().data;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/entities/ent_account/fields`);
    await page.getByTestId('remove-website').click();
    await page.getByTestId('restore-website').waitFor();
    await saved(page);
    await publishWithPlan(page, ['归档字段「网站」', '有 1 条记录存有值'], `${shots}archive-plan.png`);

    // The runtime no longer shows the field; its value is still in the record's history.
    await page.goto(`${base}/app/${t.slug}/accounts/${acct.id}`);
    await page.getByTestId('record-title').waitFor();
    expect(await page.locator('[data-field=website]').count()).toBe(0);
    await page.getByRole('tab', { name: '动态' }).click();
    const entry = page.locator('[data-testid=history-entry] [data-field=website]');
    await expect.poll(() => entry.textContent()).toContain('https://xinghe.example');
    await page.screenshot({ path: `${shots}archive-history.png` });

    // Restore: the same column comes back with its value.
    await page.goto(`${base}/designer/entities/ent_account/fields`);
    await page.getByTestId('restore-website').click();
    await page.getByTestId('remove-website').waitFor();
    await saved(page);
    await publishWithPlan(page, ['恢复字段「网站」']);
    const back = (await api('GET', `/records/accounts/${acct.id}`)).json().data;
    expect(back.website).toBe('https://xinghe.example');
    expect(errors).toEqual([]);
  });
  it('adds a stage gate in the pipeline designer; the record page then refuses a stage change that does not meet it', async () => {
    const acct = (await api('POST', '/records/accounts', { name: '东岳能源' })).json().data;
    const opp = (await api('POST', '/records/opportunities', { name: '东岳能源 年度采购', account: acct.id, stage: 'proposal', amount: '880000.00', expected_close: '2026-12-20' })).json().data;
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/entities/ent_opportunity/pipeline`);
    await page.getByTestId('stage-negotiation').click();
    await page.getByTestId('gate-toggle-negotiation').click();
    await page.getByTestId('gate-required-negotiation').click();
    await page.locator('.ant-select-item-option', { hasText: '下一步' }).click();
    await page.keyboard.press('Escape');
    await saved(page);
    await page.getByTestId('check-gates').click();
    await page.getByTestId('gate-findings').waitFor();
    await page.screenshot({ path: `${shots}pipeline-gate.png`, fullPage: true });
    await publishWithPlan(page, ['销售流程']);

    // Negotiation now needs a next step: the record page refuses the move and says why, on the stage field.
    await page.goto(`${base}/app/${t.slug}/opportunities/${opp.id}`);
    await page.getByTestId('edit').click();
    const stage = page.locator('.ant-modal [data-field=stage]');
    await stage.locator('.ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '商务谈判' }).click();
    await page.locator('.ant-modal .ant-btn-primary').click();
    await stage.locator('.ant-form-item-explain-error').waitFor();
    expect(await stage.locator('.ant-form-item-explain-error').textContent()).toContain('下一步');
    await page.screenshot({ path: `${shots}gate-refused.png` });
    expect((await api('GET', `/records/opportunities/${opp.id}`)).json().data.stage).toBe('proposal');

    // Filling the next step lets it through.
    await page.locator('.ant-modal [data-field=next_step] input').fill('约技术负责人做方案评审');
    await page.locator('.ant-modal .ant-btn-primary').click();
    await expect.poll(async () => (await api('GET', `/records/opportunities/${opp.id}`)).json().data.stage).toBe('negotiation');
    expect(errors).toEqual([]);
  });
  it('tells a sales rep the designer is not for them, and the API agrees', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await signIn(page, base, REP);
    await page.goto(`${base}/designer/`);
    await page.getByTestId('denied').waitFor();
    expect(await page.getByTestId('denied').textContent()).toContain('只有所有者、管理员和设计者');
    const status = await page.evaluate(async (slug) => (await fetch(`/api/w/${slug}/meta/draft`)).status, t.slug);
    expect(status).toBe(403);
  });
  it('keeps both designers\' edits when they change different documents at once, and says so when they collide', async () => {
    const open = async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await signIn(page, base, OWNER);
      return page;
    };
    const a = await open();
    const b = await open();
    await a.goto(`${base}/designer/entities/ent_contact/fields`);
    await b.goto(`${base}/designer/entities/ent_product/fields`);
    await a.getByTestId('edit-name').click();
    await a.getByTestId('setting-label-en').fill('Full name');
    await saved(a);
    // B's page still holds the draft revision from before A's save: its save is refused (409) and rebased onto A's.
    await b.getByTestId('edit-name').click();
    await b.getByTestId('setting-label-en').fill('Product');
    await saved(b);
    const draft = (await api('GET', '/meta/draft')).json().documents as { id: string; body: { fields: { key: string; label: { en?: string } }[] } }[];
    const labelOf = (id: string) => draft.find((d) => d.id === id)!.body.fields.find((f) => f.key === 'name')!.label.en;
    expect(labelOf('ent_contact')).toBe('Full name');
    expect(labelOf('ent_product')).toBe('Product');

    // Both now change the same entity: the later one is told, and the earlier one's version is kept.
    await a.goto(`${base}/designer/entities/ent_lead/fields`);
    await b.goto(`${base}/designer/entities/ent_lead/fields`);
    await a.getByTestId('edit-name').click();
    await a.getByTestId('setting-label-en').fill('Lead name');
    await saved(a);
    await b.getByTestId('edit-name').click();
    await b.getByTestId('setting-label-en').fill('Prospect');
    await b.getByTestId('conflict-notice').waitFor();
    await saved(b);
    const after = (await api('GET', '/meta/draft')).json().documents as typeof draft;
    expect(after.find((d) => d.id === 'ent_lead')!.body.fields.find((f) => f.key === 'name')!.label.en).toBe('Lead name');
    expect(await b.getByTestId('conflict-notice').textContent()).toContain('线索');
  });
});
