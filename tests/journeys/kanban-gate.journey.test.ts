import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createUser, uuidv7, workspaceFor } from '@crm/server';
import type { TestApp } from '../support/app.js';
import { haveChrome, launch, REP, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');
const MANAGER = { email: 'manager@example.com', password: 'manager-password-1' };

/**
 * A sales manager works the team's pipeline board: column totals (count, sum,
 * weighted by stage probability), drags a deal forward, meets the proposal
 * gate, fills the missing fields in the dialog and the move goes through in
 * one PATCH. A colleague's change in between makes the first retry stale: the
 * board reloads the card and says so. On a phone the same move is a "move to
 * stage" sheet on the card.
 */
describe.skipIf(!haveChrome)('journey: a manager moves a deal through the stages and meets the gate', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let repCookie: string;
  let deal = '';
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload, headers: { cookie: repCookie, ...headers } });
  const record = async (id: string) => (await api('GET', `/records/opportunities/${id}`)).json().data as Record<string, unknown>;

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    // 刘经理 manages the team 张伟 (the rep) is in: reads and moves the team's deals.
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id as string;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    const manager = await createUser(t.database.db, { email: MANAGER.email, name: '刘经理', password: MANAGER.password });
    await addMember(t.database.db, ws.id, manager.id, 'member');
    await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: manager.id, role_key: 'sales_manager' }).execute();
    const team = uuidv7();
    await t.database.db.insertInto('crm.teams').values({ id: team, workspace_id: ws.id, name: '华东销售部' }).execute();
    const repId = (await t.database.pool.query(`select id from crm.users where email = $1`, [REP.email])).rows[0].id as string;
    await t.database.db.insertInto('crm.team_members').values([{ team_id: team, user_id: manager.id, is_manager: true }, { team_id: team, user_id: repId, is_manager: false }]).execute();

    repCookie = await t.login(REP.email, REP.password);
    const post = async (entity: string, body: object) => {
      const res = await api('POST', `/records/${entity}`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().data as Record<string, string>;
    };
    const account = await post('accounts', { name: '杭州云栖科技有限公司' });
    deal = (await post('opportunities', { name: '云栖 ERP 项目', account: account.id, stage: 'initial' })).id!;
    await post('opportunities', { name: '云栖 数据中台', account: account.id, stage: 'initial', amount: '60000.00' });
    await post('opportunities', { name: '西湖 CRM 试点', account: account.id, stage: 'needs_confirmed', amount: '80000.00' });
    await post('opportunities', { name: '钱塘 MES 二期', account: account.id, stage: 'negotiation', amount: '200000.00', expected_close: '2026-12-20' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openBoard(page: Page) {
    await signIn(page, base, MANAGER);
    await page.goto(`${base}/app/${t.slug}/opportunities`);
    await page.getByTestId('view-select').click();
    await page.locator('.ant-select-item-option', { hasText: '商机看板' }).click();
    await page.getByTestId('kanban').waitFor();
    await page.getByTestId(`kanban-card-${deal}`).waitFor();
  }
  const total = (page: Page, key: string) => page.getByTestId(`kanban-total-${key}`);
  const inColumn = (page: Page, key: string) => page.getByTestId(`kanban-column-${key}`).getByTestId(`kanban-card-${deal}`);
  /** Drops on the column's header, which is always on screen (a tall column's middle may not be). */
  const drag = (page: Page, to: string) => page.getByTestId(`kanban-card-${deal}`).dragTo(total(page, to));

  it('drags a deal forward, fills the gate\'s fields in the dialog and the move goes through', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openBoard(page);

    // Totals for the whole column, from the server: count, sum, and sum × probability (initial 10%, negotiation 75%).
    await expect.poll(() => total(page, 'initial').innerText()).toMatch(/2 条\s+Σ 金额 60,000\s+加权 6,000/);
    expect(await total(page, 'negotiation').innerText()).toMatch(/1 条\s+Σ 金额 200,000\s+加权 150,000/);
    await page.screenshot({ path: `${shots}kanban.png` });

    // Forward one stage: no gate there.
    await drag(page, 'needs_confirmed');
    await inColumn(page, 'needs_confirmed').waitFor();
    await expect.poll(async () => (await record(deal)).stage).toBe('needs_confirmed');

    // Proposal needs an amount and an expected close date: the dialog asks for them.
    await drag(page, 'proposal');
    const dialog = page.getByTestId('gate-dialog');
    await dialog.waitFor();
    await dialog.getByText('进入阶段「方案报价」前需要填写：金额、预计成交日期').waitFor();
    expect(await inColumn(page, 'needs_confirmed').count()).toBe(1);
    await page.getByTestId('gate-field-amount').locator('input').fill('120000');
    await page.getByTestId('gate-field-expected_close').locator('input').fill('2026-12-31');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300); // the date picker's closing animation, for the screenshot
    await page.screenshot({ path: `${shots}kanban-gate.png` });

    // Meanwhile 张伟 updates the deal: the retry carries the old version, so the board reloads the card and says so.
    const changed = await api('PATCH', `/records/opportunities/${deal}`, { next_step: '周五约客户演示' }, { 'if-match': '"2"' });
    expect(changed.statusCode, changed.body).toBe(200);
    await page.getByTestId('gate-retry').click();
    await page.getByText('这张卡片刚被他人修改，已重新加载为最新内容，请确认后再移动。').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect(await record(deal)).toMatchObject({ stage: 'needs_confirmed', amount: null, next_step: '周五约客户演示', version: 3 });

    // Again, now on the current version: the fields and the move land together.
    await drag(page, 'proposal');
    await dialog.waitFor();
    await page.getByTestId('gate-field-amount').locator('input').fill('120000');
    await page.getByTestId('gate-field-expected_close').locator('input').fill('2026-12-31');
    await page.keyboard.press('Enter');
    await page.getByTestId('gate-retry').click();
    await dialog.waitFor({ state: 'hidden' });
    await inColumn(page, 'proposal').waitFor();
    expect(await record(deal)).toMatchObject({ stage: 'proposal', amount: '120000.00', expected_close: '2026-12-31', next_step: '周五约客户演示', version: 4 });
    await expect.poll(() => total(page, 'proposal').innerText()).toMatch(/1 条\s+Σ 金额 120,000\s+加权 60,000/);
    const history = await t.database.pool.query(`select from_value, to_value from crm.stage_history where record_id = $1 order by id`, [deal]);
    expect(history.rows.map((r) => r.to_value)).toEqual(['initial', 'needs_confirmed', 'proposal']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a phone, moves the deal with the card\'s "move to stage" sheet', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openBoard(page);
    await page.getByTestId('kanban-stages').getByText('方案报价').tap();
    await page.getByTestId(`card-move-${deal}`).tap();
    await page.getByTestId('move-sheet').waitFor();
    await page.waitForTimeout(400); // the sheet's entry animation, for the screenshot
    await page.screenshot({ path: `${shots}kanban-phone.png` });
    await page.getByTestId('move-to-negotiation').tap();
    await inColumn(page, 'negotiation').waitFor();
    await expect.poll(async () => (await record(deal)).stage).toBe('negotiation');
    expect(errors).toEqual([]);
    await page.close();
  });
});
