import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
