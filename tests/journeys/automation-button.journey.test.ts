import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { publishFlows, until } from '../support/flows.js';
import { haveChrome, launch, OWNER, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');

/** A manual automation as a button on the record page and in the list's selection bar. */
describe.skipIf(!haveChrome)('journey: running an automation from a button', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const ids: string[] = [];
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie } });

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true }));
    for (const name of ['海天机械有限公司', '远航物流有限公司', '云栖数据有限公司']) ids.push((await api('POST', '/records/accounts', { name, level: 'normal' })).json().data.id);
    await publishFlows(t, [{
      id: 'flw_mark_key', label: { 'zh-CN': '设为重点客户', en: 'Mark as key account' },
      trigger: { kind: 'manual', entity: 'accounts', button: { 'zh-CN': '设为重点客户', en: 'Mark as key' } },
      steps: [
        { id: 's_level', kind: 'update_record', config: { values: { level: 'key' } } },
        { id: 's_task', kind: 'create_task', config: { title: '重点客户季度拜访：{{record.name}}', assignee: 'owner', due: { amount: 7, unit: 'days' } } },
      ],
    }]);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const level = async (id: string) => (await api('GET', `/records/accounts/${id}`)).json().data.level;

  it('runs it on one record from its page, and on a selection from the list', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 860 } })).newPage();
    await signIn(page, base, OWNER);
    await page.goto(`${base}/app/${t.slug}/accounts/${ids[0]}`);
    await page.getByTestId('flow-button-flw_mark_key').click();
    await page.getByText('「设为重点客户」已为 1 条记录启动').waitFor();
    await until(() => level(ids[0]!), (l) => l === 'key');
    // The page shows the automation's change without a reload.
    await page.getByText('重点客户', { exact: true }).waitFor();
    await page.getByText('动态', { exact: true }).click();
    await page.getByText('自动化「设为重点客户」', { exact: false }).first().waitFor();
    await page.screenshot({ path: `${shots}automation-button.png` });

    await page.goto(`${base}/app/${t.slug}/accounts`);
    for (const id of ids.slice(1)) await page.getByTestId(`row-${id}`).locator('input[type=checkbox]').check();
    await page.getByTestId('bulk-bar').waitFor();
    await page.getByTestId('flow-buttons').hover();
    await page.getByText('设为重点客户', { exact: true }).click();
    await page.getByText('「设为重点客户」已为 2 条记录启动').waitFor();
    await page.screenshot({ path: `${shots}automation-bulk.png` });
    for (const id of ids.slice(1)) await until(() => level(id), (l) => l === 'key');
    const runs = (await api('GET', '/automation/runs?flow=flw_mark_key')).json().data as { status: string; triggeredBy: string }[];
    expect(runs).toHaveLength(3);
  });
});
