import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.js';
import { publishFlows, until } from '../support/flows.js';
import { haveChrome, launch, OWNER, screenshotDir, signIn, startJourneyServer } from './browser.js';

const shots = screenshotDir('designer/');

/** Without SMTP, the default install shows in the designer's outbox what its automations would have sent. */
describe.skipIf(!haveChrome)('journey: the mail outbox', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie } });

  beforeAll(async () => {
    ({ t, base } = await startJourneyServer({ defaultCrm: true }));
    await publishFlows(t, [{
      id: 'flw_welcome', label: { 'zh-CN': '欢迎新线索', en: 'Welcome new leads' },
      trigger: { kind: 'record', entity: 'leads', on: ['created'] },
      steps: [{ id: 's_mail', kind: 'send_email', config: { to: [{ var: 'record.email' }], subject: '欢迎您，{{record.name}}', body: '<p>{{record.name}} 您好：</p><p>感谢关注，顾问将尽快联系您。</p>' } }],
    }]);
    await api('POST', '/records/leads', { name: '<b>陈静</b>', email: 'chen.jing@example.com' });
    await until(async () => (await api('GET', '/outbox')).json().data as unknown[], (m) => m.length === 1);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the captured mail and shows it, the record\'s values escaped, the HTML in a sandboxed frame', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, base, OWNER);
    await page.goto(`${base}/designer/admin/outbox`);
    await page.getByTestId('outbox').getByText('欢迎您，<b>陈静</b>').click();
    const frame = page.getByTestId('outbox-message').locator('iframe');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.frameLocator('[data-testid=outbox-message] iframe').locator('p').first().textContent()).toBe('<b>陈静</b> 您好：');
    await page.getByText('未发送（未配置 SMTP）').first().waitFor();
    await page.waitForTimeout(400); // the drawer's slide-in, for the picture
    await page.screenshot({ path: `${shots}outbox.png` });
  });
});
