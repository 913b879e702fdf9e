import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { startJourneyServer } from './browser.js';

// Temporary: a server with the default CRM kept up for manual browser driving.
it('serves', async () => {
  const { t, base } = await startJourneyServer({ defaultCrm: true, rep: true });
  writeFileSync('/tmp/flowdev/server.json', JSON.stringify({ base, slug: t.slug, cookie: t.cookie }));
  await new Promise((r) => setTimeout(r, 3_000_000));
  await t.close();
}, 3_600_000);
