import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { addDays, dayKey, instantOf, moveToDay, visibleDays } from '../../runtime/src/tasks/zoned-days.js';
import { haveChrome, launch, REP, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('runtime/');
const TZ = 'Asia/Shanghai'; // the workspace's zone (the default settings)

/**
 * A rep starts the day on the home page: today's and overdue tasks, completes
 * one with a click, follows a colleague's @mention from the bell, then
 * reschedules a task by dragging it to another day in the calendar; a drag
 * with a stale version shows the server's conflict message and puts it back.
 * The same screens at 375 px.
 */
describe.skipIf(!haveChrome)('journey: a rep works through the day\'s tasks', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let cookie: string;
  const ids: Record<string, string> = {};
  const today = dayKey(new Date(), TZ);
  const at = (day: string, h: number, mi = 0) => instantOf(day, TZ, { h, mi }).toISOString();
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}, who = cookie) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload, headers: { cookie: who, ...headers } });

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true, rep: true }));
    cookie = await t.login(REP.email, REP.password);
    const post = async (entity: string, body: object) => {
      const res = await api('POST', `/records/${entity}`, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json().data as Record<string, string>;
    };
    const account = await post('accounts', { name: '杭州西湖科技有限公司' });
    ids.account = account.id!;
    await post('opportunities', { name: '西湖 CRM 项目', account: account.id, stage: 'needs_confirmed', amount: '180000.00' });
    await post('opportunities', { name: '西湖 数据集成', account: account.id, stage: 'proposal', amount: '96000.00', expected_close: addDays(today, 20) });
    ids.call = (await post('tasks', { subject: '回访杭州西湖科技', status: 'open', priority: 'high', due: at(today, 23, 50), account: account.id })).id!;
    ids.overdue = (await post('tasks', { subject: '催收首付款', status: 'open', priority: 'normal', due: at(addDays(today, -2), 10), account: account.id })).id!;
    ids.quote = (await post('tasks', { subject: '准备报价单', status: 'open', priority: 'normal', due: at(today, 23, 40), account: account.id })).id!;
    await post('tasks', { subject: '下周的任务', status: 'open', due: at(addDays(today, 9), 9) });
    await post('activities', { subject: '方案会议：西湖科技', kind: 'meeting', occurred_at: at(today, 15), account: account.id });
    // The workspace owner (a manager of everything) mentions the rep on the rep's account.
    const repId = (await t.database.pool.query(`select id from crm.users where email = 'rep@example.com'`)).rows[0].id as string;
    const mention = await api('POST', `/records/accounts/${account.id}/mentions`, { userIds: [repId], note: '客户下周来访，请准备演示' }, {}, t.cookie);
    expect(mention.statusCode, mention.body).toBe(201);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport, timezoneId: TZ, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, REP);
    return { context, page, errors };
  }

  it('sees today\'s tasks on home, completes one, follows a mention and drags a task to another day', async () => {
    const { context, page, errors } = await open({ width: 1440, height: 900 });
    await page.getByTestId('home').waitFor();
    const home = page.getByTestId('home-tasks');
    await home.getByTestId(`task-${ids.call}`).waitFor();
    await home.getByTestId(`task-${ids.overdue}`).waitFor();
    expect(await home.getByText('下周的任务').count()).toBe(0);
    await page.getByTestId('home-pipeline').locator('[data-stage="proposal"]').waitFor();
    expect(await page.getByTestId('home-pipeline-count-needs_confirmed').textContent()).toBe('1');
    await page.getByTestId('home-recent').getByText('杭州西湖科技有限公司').waitFor();
    await page.getByTestId('home-notifications').getByText('在「杭州西湖科技有限公司」中提到了您').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}home.png` });

    // One click completes it: gone from home, done on the server.
    await page.getByTestId(`task-done-${ids.call}`).click();
    await home.getByTestId(`task-${ids.call}`).waitFor({ state: 'detached' });
    expect((await api('GET', `/records/tasks/${ids.call}`)).json().data.status).toBe('done');

    // The bell: the mention, read on click, opening the account.
    await page.getByTestId('notifications-bell').click();
    const mention = page.getByTestId('notifications-panel').locator('[data-testid^="notification-"]', { hasText: '提到了您' });
    await mention.waitFor();
    await mention.click();
    await page.waitForURL(`**/accounts/${ids.account}`);
    const feed = (await api('GET', '/notifications')).json().data as { kind: string; readAt: string | null }[];
    expect(feed.find((n) => n.kind === 'mention')!.readAt).not.toBeNull();

    // The calendar: drag the quote task from today to another visible day.
    await page.getByRole('menuitem', { name: '日历' }).click();
    await page.getByTestId('calendar').waitFor();
    const days = visibleDays(today, 'month');
    const target = days.includes(addDays(today, 2)) ? addDays(today, 2) : addDays(today, -2);
    const item = page.getByTestId(`calendar-item-${ids.quote}`);
    await page.getByTestId(`calendar-day-${today}`).getByTestId(`calendar-item-${ids.quote}`).waitFor();
    await page.getByTestId(`calendar-day-${today}`).getByText('方案会议：西湖科技').waitFor();
    await item.dragTo(page.getByTestId(`calendar-day-${target}`));
    await page.getByTestId(`calendar-day-${target}`).getByTestId(`calendar-item-${ids.quote}`).waitFor();
    await page.getByText(`已改到 ${target}`).waitFor();
    const moved = (await api('GET', `/records/tasks/${ids.quote}`)).json().data;
    expect(moved.due).toBe(moveToDay(at(today, 23, 40), target, TZ));
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}calendar.png` });

    // Someone changes it while the next drag is on its way (so no realtime refresh can come first): the drag is
    // refused with the server's message and the task stays put.
    const url = `**/api/w/${t.slug}/records/tasks/${ids.quote}`;
    await page.route(url, async (route) => {
      if (route.request().method() === 'PATCH') {
        const bumped = await api('PATCH', `/records/tasks/${ids.quote}`, { priority: 'high' }, { 'if-match': `"${String(moved.version)}"` });
        expect(bumped.statusCode, bumped.body).toBe(200);
      }
      await route.continue();
    });
    await item.dragTo(page.getByTestId(`calendar-day-${today}`));
    await page.getByText('记录已被他人修改').waitFor();
    await page.unroute(url);
    await page.getByTestId(`calendar-day-${target}`).getByTestId(`calendar-item-${ids.quote}`).waitFor();
    expect((await api('GET', `/records/tasks/${ids.quote}`)).json().data.due).toBe(moved.due);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works at 375 px: home and tasks as cards', async () => {
    const { context, page, errors } = await open({ width: 375, height: 812 });
    await page.getByTestId('home').waitFor();
    await page.getByTestId('home-tasks').getByTestId(`task-${ids.overdue}`).waitFor();
    await page.getByTestId('home-recent').getByText('杭州西湖科技有限公司').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}home-phone.png`, fullPage: true });
    // The checkbox's whole label is the touch target.
    const box = await page.getByTestId(`task-done-${ids.overdue}`).locator('xpath=ancestor::label[1]').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(44);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    await page.goto(`${base}/app/${t.slug}/tasks`);
    await page.getByTestId(`task-${ids.overdue}`).waitFor();
    await page.getByTestId('task-group-overdue').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}tasks-phone.png` });
    await page.getByTestId(`task-done-${ids.overdue}`).click();
    await page.getByTestId(`task-${ids.overdue}`).waitFor({ state: 'detached' });
    await page.getByTestId('task-status').getByText('已完成').click();
    await page.getByTestId(`task-${ids.overdue}`).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
