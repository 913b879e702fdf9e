// A second server process for the crash tests: the built server on the test's database with its own automation
// worker, nothing else. Killed with SIGKILL by the test, started again to see what recovery does.
// Env: DB_URL, SMTP_URL, ALLOW_HOSTS (comma list), LEASE_MS, RECOVER_MS.
import { build, openDatabase } from '../../server/dist/index.js';

const database = openDatabase(process.env.DB_URL, { max: 6, onError: () => {} });
const app = await build({
  database,
  remindEveryMs: 0,
  mail: { smtpUrl: process.env.SMTP_URL, relayEveryMs: 200, leaseMs: Number(process.env.LEASE_MS ?? 300_000) },
  automation: {
    http: { allowHosts: (process.env.ALLOW_HOSTS ?? '').split(',').filter(Boolean) },
    leaseMs: Number(process.env.LEASE_MS ?? 120_000),
    recoverEveryMs: Number(process.env.RECOVER_MS ?? 30_000),
    retryDelayMs: () => 100,
  },
});
process.send?.('ready');
process.on('SIGTERM', async () => { await app.close(); await database.close(); process.exit(0); });
