import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addMember, createUser, installTemplate, readTemplate, workspaceFor } from '@crm/server';
import { startTestApp } from '../support/app.js';

const TEMPLATE = fileURLToPath(new URL('../../templates/default-crm', import.meta.url));

/** The system Chromium (Debian's `chromium`, or CHROME_PATH); journeys are skipped without one, except under CI. */
export const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const haveChrome = existsSync(chromePath);
if (!haveChrome) {
  const msg = `No Chromium at ${chromePath}: browser journeys skipped. Install it with: sudo apt-get install -y chromium fonts-noto-cjk`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(msg);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where a journey writes its screenshots: the committed folder only with UPDATE_SCREENSHOTS=1, else a temp dir. */
export function screenshotDir(sub = ''): string {
  return process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL(`../../docs/screenshots/${sub}`, import.meta.url))
    : `${mkdtempSync(join(tmpdir(), 'crm-shots-'))}/`;
}

/**
 * A server on its own test database, listening on a free loopback port, with
 * (optionally) the default CRM installed and a sales rep 张伟 (rep@example.com).
 */
export async function startJourneyServer(opts: { defaultCrm?: boolean; rep?: boolean } = {}) {
  const t = await startTestApp();
  if (opts.defaultCrm || opts.rep) {
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id;
    const ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
    if (opts.defaultCrm) await installTemplate(t.app.services.metadata, ws, { userId: ownerId }, await readTemplate(TEMPLATE));
    if (opts.rep) {
      const rep = await createUser(t.database.db, { email: REP.email, name: '张伟', password: REP.password });
      await addMember(t.database.db, ws.id, rep.id, 'member');
      await t.database.db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: rep.id, role_key: 'sales_rep' }).execute();
    }
  }
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  return { t, base };
}

export const REP = { email: 'rep@example.com', password: 'rep-password-1' };
export const OWNER = { email: 'owner@example.com', password: 'owner-password-1' };

/** Signs in through the login screen and waits for the app shell. */
export async function signIn(page: Page, base: string, who: { email: string; password: string }) {
  await page.goto(`${base}/app/login`);
  await page.fill('input[autocomplete=username]', who.email);
  await page.fill('input[autocomplete=current-password]', who.password);
  await page.locator('button[type=submit]').click();
  await page.locator('[data-testid=user-menu]').waitFor();
}

/**
 * Drags with the mouse the way a person does (dnd-kit starts a drag after a few pixels of movement).
 * `position`: the target's top or bottom edge instead of its middle; `reveal`: scroll the target into view too.
 */
export async function drag(page: Page, from: string, to: string, opts: { position?: 'top' | 'bottom'; reveal?: boolean } = {}) {
  await page.locator(from).first().scrollIntoViewIfNeeded();
  if (opts.reveal) await page.locator(to).first().scrollIntoViewIfNeeded();
  const a = (await page.locator(from).first().boundingBox())!;
  const b = (await page.locator(to).first().boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 8, a.y + a.height / 2 + 8, { steps: 4 });
  const y = opts.position === 'top' ? b.y + 6 : opts.position === 'bottom' ? b.y + b.height - 6 : b.y + b.height / 2;
  await page.mouse.move(b.x + b.width / 2, y, { steps: 12 });
  await page.waitForTimeout(150);
  await page.mouse.up();
}

/** Waits until every edit in the designer is saved to the server's draft. */
export const saved = (page: Page) => page.locator('[data-testid=save-status][data-status=saved]').waitFor();
