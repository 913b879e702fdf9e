import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { drag, haveChrome, launch, OWNER, REP, saved, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('designer/');

/** The open dropdown's option with this text (antd keeps closed dropdowns in the page). */
const option = (page: Page, text: string | RegExp) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();

describe.skipIf(!haveChrome)('journeys: the flow designer', () => {
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

  it('builds "website lead: status to working, notify the owner", publishes it, and watches it run on a new lead', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/`);
    await page.getByTestId('nav-flows').click();
    await page.getByTestId('flows-page').waitFor();

    // A new flow, its id proposed from the English name.
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-label-zh').fill('网站线索跟进');
    await page.getByTestId('new-flow-label-en').fill('Web lead follow-up');
    expect(await page.getByTestId('new-flow-id').inputValue()).toBe('flw_web_lead_follow_up');
    await page.getByTestId('new-flow-ok').click();
    await page.getByTestId('trigger-panel').waitFor();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
    // Without a step the draft is refused; the editor says so.
    await page.getByTestId('flow-empty').waitFor();

    // Trigger: leads created (the default), when the source is the website.
    await page.locator('[data-testid=trigger-condition] [data-testid=rule-add]').click();
    await page.locator('[data-testid=trigger-condition] .rule-row .ant-select').first().click();
    await page.keyboard.type('线索来源');
    await option(page, '线索来源').click();
    await page.locator('[data-testid=trigger-condition] [data-testid=rule-row-source]').waitFor();
    await expect.poll(() => page.getByTestId('trigger-summary').textContent()).toBe('线索新建时，且满足条件');

    // Step 1, dragged from the palette onto the canvas: status -> working.
    await drag(page, '[data-testid=palette-step-update_record]', '[data-testid=slot-root-0]', { reveal: true });
    await page.getByTestId('step-s1').waitFor();
    await page.getByTestId('cfg-values-add').click();
    await page.keyboard.type('状态');
    await option(page, /^状态$/).click();
    await page.locator('[data-testid=cfg-values-status-literal] .ant-select').click();
    await option(page, '跟进中').click();
    await expect.poll(() => page.getByTestId('step-s1').textContent()).toContain('状态 = 跟进中');

    // Step 2, dropped below it: notify the owner, the lead's name inserted from the variable picker.
    await drag(page, '[data-testid=palette-step-notify]', '[data-testid=slot-root-1]', { reveal: true });
    await page.getByTestId('step-s2').waitFor();
    await page.getByTestId('cfg-title').fill('新网站线索：');
    await page.getByTestId('cfg-title-var').click();
    // Only what has run before step 2 is offered: the record, and step 1's outputs.
    await page.getByTestId('var-list').waitFor();
    expect(await page.locator('[data-testid^="var-steps."]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['var-steps.s1.id', 'var-steps.s1.changed']);
    await page.getByTestId('var-record.name').click();
    expect(await page.getByTestId('cfg-title').inputValue()).toBe('新网站线索：{{record.name}}');
    await saved(page);
    await page.getByTestId('step-s2').click();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}flows-editor.png` });

    const draft = (await api('GET', '/meta/draft')).json().documents.find((d: { kind: string; id: string }) => d.kind === 'flow' && d.id === 'flw_web_lead_follow_up').body;
    expect(draft.trigger).toEqual({ kind: 'record', entity: 'leads', on: ['created'], condition: { '==': [{ var: 'source' }, 'website'] } });
    expect(draft.steps).toEqual([
      { id: 's1', kind: 'update_record', config: { values: { status: 'working' } } },
      { id: 's2', kind: 'notify', config: { to: ['owner'], title: '新网站线索：{{record.name}}' } },
    ]);

    // An edit the validator refuses shows on the step and its setting, and undo takes it back.
    await page.getByTestId('cfg-title').fill('{{steps.s9.id}}');
    await page.locator('[data-testid=flow-issues][data-count="1"]').waitFor();
    await page.getByTestId('step-issues-s2').waitFor();
    await page.getByTestId('undo').click();
    await saved(page);
    await expect.poll(() => page.locator('[data-testid=flow-issues]').count()).toBe(0);

    // Publish through the plan, like any document.
    const before = Number(await page.getByTestId('published-revision').getAttribute('data-revision'));
    await page.getByTestId('plan').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '发布计划' });
    await dialog.getByText('网站线索跟进').first().waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${shots}flows-plan.png` });
    await page.getByTestId('publish').click();
    await page.locator(`[data-testid=published-revision][data-revision="${before + 1}"]`).waitFor();
    await page.locator('[data-testid=flow-publish-state][data-state=published]').waitFor();

    // A website lead owned by 张伟 arrives through the API; a referral lead starts nothing.
    const rep = ((await api('GET', '/members')).json().data as { id: string; name: string }[]).find((m) => m.name === '张伟')!;
    const lead = (await api('POST', '/records/leads', { name: '陈静', company: '远航物流', source: 'website', owner_id: rep.id })).json().data;
    await api('POST', '/records/leads', { name: '李雷', source: 'referral' });

    // The run history shows it complete, with the record and who triggered it.
    await page.getByTestId('flow-tab-runs').click();
    await page.locator('[data-testid=runs-table] [data-testid=run-status][data-status=completed]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=runs-table] tbody tr.ant-table-row').count()).toBe(1);
    expect(await page.locator('[data-testid=runs-table] [data-testid=run-record]').getAttribute('href')).toBe(`/app/${t.slug}/leads/${lead.id}`);
    await page.waitForTimeout(600); // the tab's switch animation, for the screenshot
    await page.screenshot({ path: `${shots}flows-runs.png` });
    await page.locator('[data-testid=runs-table] tbody tr.ant-table-row').first().click();
    await page.locator('[data-testid=run-step-s1][data-status=done]').waitFor();
    await page.locator('[data-testid=run-step-s2][data-status=done]').waitFor();
    await page.locator('[data-testid=run-step-s1] .ant-collapse-header').first().click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${shots}flows-run-detail.png` });
    await page.keyboard.press('Escape');

    // It really happened: the status, and 张伟's notification.
    expect((await api('GET', `/records/leads/${lead.id}`)).json().data.status).toBe('working');
    const repCookie = await t.login(REP.email, REP.password);
    const notes = (await t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/notifications`, headers: { cookie: repCookie } })).json().data as { kind: string; title: string }[];
    expect(notes.filter((n) => n.kind === 'automation').map((n) => n.title)).toEqual(['新网站线索：陈静']);

    // The list shows it on, published, last run completed.
    await page.getByTestId('back-to-flows').click();
    await page.locator('[data-testid=flow-row-flw_web_lead_follow_up] [data-testid=run-status][data-status=completed]').waitFor();
    expect(await page.locator('[data-testid=flow-row-flw_web_lead_follow_up]').textContent()).toContain('线索新建时，且满足条件');
    await page.screenshot({ path: `${shots}flows-list.png` });
    expect(errors).toEqual([]);
  });

  it('fans a branch step out into columns and indents a loop body; steps move between them by drag and drop', async () => {
    const page = await browser.newPage({ viewport: { width: 1680, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/flows`);
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-label-zh').fill('商机分级跟进');
    await page.getByTestId('new-flow-label-en').fill('Opportunity triage');
    await page.getByTestId('new-flow-entity').click();
    await page.keyboard.type('opportunities');
    await option(page, '(opportunities)').click();
    await page.getByTestId('new-flow-ok').click();
    await page.getByTestId('trigger-panel').waitFor();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });

    // A branch (a ruled branch and the default one), then a task in the first and a delay in the default.
    await page.getByTestId('palette-step-branch').click();
    await page.getByTestId('branches-s1').waitFor();
    await drag(page, '[data-testid=palette-step-create_task]', '[data-testid=slot-s1-b1-0]', { reveal: true });
    await page.getByTestId('step-s2').waitFor();
    await drag(page, '[data-testid=palette-step-delay]', '[data-testid=slot-s1-b2-0]', { reveal: true });
    await page.getByTestId('step-s3').waitFor();
    // A third branch goes before the default one.
    await page.getByTestId('add-branch-s1').click();
    await page.getByTestId('branch-b3').waitFor();
    // A loop after the branch, and the delay dragged out of the default branch into its body.
    await page.getByTestId('trigger-card').click();
    await page.getByTestId('palette-step-loop').click();
    await page.getByTestId('step-s4').waitFor();
    await drag(page, '[data-testid=step-s3]', '[data-testid=slot-s4-b4-0]', { reveal: true });
    await page.locator('[data-testid=loop-body-s4] [data-testid=step-s3]').waitFor();
    await saved(page);

    const body = (await api('GET', '/meta/draft')).json().documents.find((d: { id: string }) => d.id === 'flw_opportunity_triage').body;
    const shape = (steps: { id: string; kind: string; branches?: { id: string; rule?: unknown; steps: unknown[] }[] }[]): unknown =>
      steps.map((x) => (x.branches ? { [x.id]: x.branches.map((b) => ({ [`${b.id}${b.rule ? '' : '*'}`]: shape(b.steps as never) })) } : x.id));
    expect(shape(body.steps)).toEqual([{ s1: [{ b1: ['s2'] }, { b3: [] }, { 'b2*': [] }] }, { s4: [{ 'b4*': ['s3'] }] }]);
    await page.getByTestId('step-s2').click();
    await page.evaluate('window.scrollTo(0, 0)');
    // The drags scrolled the canvas sideways to reach their targets; back to the main line.
    await page.getByTestId('flow-canvas').evaluate((el) => { el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2; });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}flows-branches.png` });
    expect(errors).toEqual([]);
  });

  it('dry-runs the published flow on a lead: the change it would make and whom it would notify, nothing saved', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, base, OWNER);
    // Back to "new", so the dry run has something to change (the flow starts on created leads only: this update starts nothing).
    const lead = ((await api('GET', '/records/leads?q=陈静')).json().data as { id: string; version: number }[])[0]!;
    const reset = await api('PATCH', `/records/leads/${lead.id}`, { status: 'new' }, { 'if-match': `"${lead.version}"` });
    expect(reset.statusCode, reset.body).toBe(200);

    await page.goto(`${base}/designer/flows/flw_web_lead_follow_up/dryrun`);
    await page.getByTestId('dry-run').waitFor();
    await page.getByTestId('dry-record').click();
    await page.keyboard.type('陈静');
    await option(page, '陈静').click();
    await page.getByTestId('dry-event').click();
    await option(page, '新建').click();
    await page.getByTestId('dry-run-go').click();
    await page.getByTestId('dry-run-banner').waitFor();
    expect(await page.getByTestId('dry-run-banner').textContent()).toContain('试运行：未写入任何数据、未发送任何邮件或请求');
    const diff = page.locator('[data-testid=dry-step-s1] [data-testid=dry-diff-status]');
    await expect.poll(() => diff.textContent()).toBe('状态新线索→跟进中');
    expect(await page.locator('[data-testid=dry-step-s2] [data-testid=dry-notification]').textContent()).toContain('新网站线索：陈静 → 张伟');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}flows-dry-run.png` });
    // Nothing was written.
    expect((await api('GET', `/records/leads/${lead.id}`)).json().data.status).toBe('new');
  });
});
