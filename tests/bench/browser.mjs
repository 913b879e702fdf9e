#!/usr/bin/env node
// npm run bench (second part): the runtime in headless Chromium against the built app on loopback.
// Measures what the runtime issue targets: first load of /app to an interactive list, JS shipped for
// that first screen (gzip, as served), opening a record page after its data arrived, and long tasks
// while scrolling a 10,000-row list. Prints one JSON line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { migrateToLatest } from '../../migrations/dist/index.js';
import { build, openDatabase, createUser, createWorkspace, readTemplate, installTemplate, workspaceFor } from '../../server/dist/index.js';
import { benchDatabase } from './database.mjs';

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROME)) {
  console.log(JSON.stringify({ skipped: `no Chromium at ${CHROME}; install it with: sudo apt-get install -y chromium fonts-noto-cjk` }));
  process.exit(0);
}
const ROWS = 10_000;
const bench = await benchDatabase('crm_bench_ui');
const database = openDatabase(bench.url, { max: 10 });
await migrateToLatest(database.db);
const owner = await createUser(database.db, { email: 'bench@example.com', name: '王经理', password: 'bench-password' });
await createWorkspace(database.db, { slug: 'bench', name: 'Bench', ownerId: owner.id }, {});
const app = await build({ database, remindEveryMs: 0 });
const ws = await workspaceFor(database.db, 'bench', owner.id);
await installTemplate(app.services.metadata, ws, { userId: owner.id }, await readTemplate(fileURLToPath(new URL('../../templates/default-crm', import.meta.url))));
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${app.server.address().port}`;
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }) });
const cookie = login.headers.get('set-cookie').split(';')[0];
for (let i = 0; i < ROWS; i += 1000) {
  const records = Array.from({ length: 1000 }, (_, j) => ({ name: `华东客户 ${String(i + j).padStart(5, '0')} 有限公司`, phone: `0571-${String(80000000 + i + j)}` }));
  const res = await fetch(`${base}/api/w/bench/records/accounts/batch`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ records }) });
  if (res.status !== 201 && res.status !== 200) throw new Error(await res.text());
}

const browser = await chromium.launch({ executablePath: CHROME, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
const [name, value] = cookie.split('=');
await context.addCookies([{ name, value, url: base }]);
const page = await context.newPage();
await page.addInitScript(() => {
  // The moment the list is interactive (rows and total shown), taken in the page: the first-screen JS is what was
  // requested before it. Code fetched afterwards, ahead of the next screen, is not the first screen's.
  new MutationObserver(() => {
    if (window.__interactiveAt === undefined && document.querySelector('[data-testid=list-total]')?.textContent?.includes('共')) window.__interactiveAt = performance.now();
  }).observe(document, { childList: true, subtree: true, characterData: true });
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
});
// 1. First load of the list, cold cache, to interactive (rows shown and the total known).
let t0 = performance.now();
await page.goto(`${base}/app/bench/accounts`);
await page.locator('[data-testid=list-total]').filter({ hasText: '共' }).waitFor();
const firstLoadMs = performance.now() - t0;
await page.waitForTimeout(300); // requests already sent finish loading
// Bytes on the wire (gzip, headers included) of the scripts requested before the list was interactive.
const jsBytes = await page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => e.name.endsWith('.js') && e.startTime <= window.__interactiveAt)
  .reduce((n, e) => n + e.transferSize, 0));
const firstScreenJsKb = +(jsBytes / 1024).toFixed(1);

// 2. Opening a record page: measured in the page, from the click to the record's title on screen, minus the
// time its data request took (Resource Timing), so the figure is the app's own work. The list has had a moment
// to fetch the record page's code, as a user reading the list gives it.
const rowTimes = [];
for (let i = 0; i < 5; i++) {
  await page.goto(`${base}/app/bench/accounts`);
  await page.locator('[data-testid=list-total]').filter({ hasText: '共' }).waitFor();
  await page.waitForTimeout(1000);
  rowTimes.push(await page.evaluate((i) => new Promise((resolve) => {
    performance.clearResourceTimings();
    const t0 = performance.now();
    const seen = new MutationObserver(() => {
      if (!document.querySelector('[data-testid=record-title]')) return;
      seen.disconnect();
      const shown = performance.now() - t0;
      const data = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/w/bench/records/accounts/'));
      resolve(shown - Math.max(0, ...data.map((e) => e.responseEnd - e.startTime)));
    });
    seen.observe(document.body, { childList: true, subtree: true });
    document.querySelectorAll('.crm-grid-row')[i].click();
  }), i));
}
const openRecordAfterDataMs = +rowTimes.sort((a, b) => a - b)[2].toFixed(1);

// 3. Scrolling the list until all 10,000 rows are loaded, counting long tasks on the way.
await page.goto(`${base}/app/bench/accounts`);
await page.locator('[data-testid=list-total]').filter({ hasText: '共' }).waitFor();
await page.evaluate(() => { window.__longTasks = []; });
t0 = performance.now();
for (let step = 0; step < 2000; step++) {
  const loaded = await page.evaluate(() => {
    const body = document.querySelector('[data-testid=list-grid]');
    body?.scrollBy(0, 1200);
    return document.querySelector('[data-testid=list-total]')?.textContent ?? '';
  });
  if (loaded.includes(`已加载 ${ROWS} 条`)) break;
  await page.waitForTimeout(16);
}
const scrollMs = performance.now() - t0;
const longTasks = await page.evaluate(() => window.__longTasks);
const total = await page.locator('[data-testid=list-total]').textContent();

const result = {
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version, chromium: browser.version() },
  firstLoadMs: +firstLoadMs.toFixed(1),
  firstScreenJsKbGzip: firstScreenJsKb,
  openRecordAfterDataMs,
  scroll: { rows: ROWS, loaded: total, ms: +scrollMs.toFixed(0), longTasksOver50ms: longTasks.filter((d) => d > 50).length, longestTaskMs: +Math.max(0, ...longTasks).toFixed(1) },
};
result.targets = { firstLoadUnder1500ms: result.firstLoadMs < 1500, firstScreenJsUnder350KbGzip: firstScreenJsKb < 350, openRecordUnder300ms: openRecordAfterDataMs < 300, scrollNoLongTasksOver50ms: result.scroll.longTasksOver50ms === 0 };
console.log(JSON.stringify(result));
await browser.close();
await app.close();
await database.close?.();
await bench.stop();
process.exit(0);
