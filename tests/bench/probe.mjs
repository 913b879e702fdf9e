import { mkdtemp } from 'node:fs/promises'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateToLatest } from '../../migrations/dist/index.js';
import { openDatabase, openEmbeddedCluster, createUser, createWorkspace } from '../../server/dist/index.js';
import { resolveSessionWorkspace } from '../../server/dist/workspaces/service.js';
import { findSessionUser, createSession, digest } from '../../server/dist/auth/sessions.js';
const cluster = await openEmbeddedCluster({ dir: await mkdtemp(join(tmpdir(), 'p-')) }); await cluster.start();
const database = openDatabase(cluster.connectionString('postgres'), { max: 16 }); database.pool.on('error', () => {});
await migrateToLatest(database.db);
const u = await createUser(database.db, { email: 'a@b.cn', name: 'a', password: 'pw-123456' });
await createWorkspace(database.db, { slug: 'bench', name: 'B', ownerId: u.id }, {});
const clock = { now: () => new Date() };
const { token } = await createSession(database.db, clock, u.id, {});
async function run(name, fn) {
  let n = 0; const end = performance.now() + 2000;
  await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < end) { await fn(); n++; } }));
  console.log(name, Math.round(n / 2), 'q/s');
}
await run('select 1', () => database.pool.query('select 1'));
await run('session only', () => findSessionUser(database.db, clock, token));
await run('session+workspace', () => resolveSessionWorkspace(database.db, digest(token), new Date(), 'bench'));
await database.close(); await cluster.stop();
