import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, OWNER, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('designer/');

/** Confirms the plan dialog once it has finished opening, and waits for it to close. */
async function publishPlan(page: import('playwright-core').Page) {
  await page.waitForTimeout(400);
  await page.getByTestId('publish').click();
  await page.locator('.ant-modal-wrap').filter({ hasText: '发布计划' }).waitFor({ state: 'hidden' });
}

/** An owner adds the entity 竞品 with a select field in the designer, reads the plan, publishes, and the table exists. */
describe.skipIf(!haveChrome)('journey: designing an entity', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    ({ t, base } = await startJourneyServer());
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates 竞品 with a field, changes its options, reverts through the history, each time publishing with a plan', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/`);
    await page.getByTestId('new-entity').click();
    await page.getByTestId('entity-zh').fill('竞品');
    await page.waitForTimeout(400);
    await page.getByTestId('entity-en').fill('Competitor');
    await page.getByText('competitor', { exact: true }).waitFor();
    await page.screenshot({ path: `${shots}01-new-entity.png` });
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByRole('heading', { name: '竞品（competitor）' }).waitFor();

    await page.getByTestId('add-field').click();
    await page.getByTestId('field-zh').fill('威胁等级');
    await page.locator('[data-testid=field-type]').click();
    await page.locator('.ant-select-item-option', { hasText: '单选' }).click();
    await page.locator('textarea').fill('high=高\nmedium=中\nlow=低');
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${shots}02-add-field.png` });
    expect(await page.getByTestId('field-key').inputValue()).toBe('wei_xie_deng_ji');
    await page.getByTestId('field-ok').click();
    await page.getByRole('cell', { name: '威胁等级' }).waitFor();
    await page.screenshot({ path: `${shots}03-fields.png` });

    await page.getByTestId('plan').click();
    await page.getByText('新建对象「竞品」').waitFor();
    await page.waitForTimeout(400); // let the dialog finish its opening animation for the screenshot
    await page.screenshot({ path: `${shots}04-plan.png` });
    await publishPlan(page);
    await page.getByText('已发布 1').waitFor();

    // Rename an option and deactivate another: the plan says so, and nothing is deleted.
    await page.getByTestId('edit-wei_xie_deng_ji').click();
    await page.getByTestId('option-high').fill('高威胁');
    await page.getByTestId('toggle-low').click();
    await page.waitForTimeout(400); // the dialog's opening animation, for the screenshot
    await page.screenshot({ path: `${shots}05-field-settings.png` });
    await page.getByTestId('settings-ok').click();
    await page.getByText('草稿已保存').first().waitFor();
    await page.getByTestId('plan').click();
    await page.getByText('停用字段「威胁等级」的选项「低」（已存的值保留）').waitFor();
    await publishPlan(page);
    await page.getByText('已发布 2').waitFor();
    const meta = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: { cookie: t.cookie } })).json();
    const field = meta.documents.find((d: { id: string; kind: string; body: { key: string } }) => d.kind === 'entity' && d.body.key === 'competitor').body.fields
      .find((x: { key: string }) => x.key === 'wei_xie_deng_ji');
    expect(field.options.map((o: { key: string; active: boolean; label: { 'zh-CN': string } }) => [o.key, o.label['zh-CN'], o.active]))
      .toEqual([['high', '高威胁', true], ['medium', '中', true], ['low', '低', false]]);

    // Back to revision 1 through the history: the plan reactivates the option, and publishing makes revision 3.
    await page.getByTestId('history').click();
    await page.getByTestId('revert-1').click();
    await page.getByText('草稿已恢复到版本 1').first().waitFor();
    await page.getByTestId('plan').click();
    await page.getByText('重新启用字段「威胁等级」的选项「低」').waitFor();
    await publishPlan(page);
    await page.getByText('已发布 3').waitFor();

    const ws = (await t.database.pool.query(`select schema_name from crm.workspaces where slug = $1`, [t.slug])).rows[0].schema_name;
    const cols = (await t.database.pool.query(`select column_name from information_schema.columns where table_schema = $1 and table_name = 'competitor'`, [ws])).rows.map((r) => r.column_name);
    expect(cols).toEqual(expect.arrayContaining(['name', 'wei_xie_deng_ji', 'owner_id']));
    expect(errors).toEqual([]);
  });
});
