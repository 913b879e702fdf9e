import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { LocalFileStore } from './files/store.js';
import pg from 'pg';
import { migrateToLatest } from '@crm/migrations';
import { build } from './app.js';
import { openDatabase } from './infra/db.js';
import { openEmbeddedCluster, type EmbeddedCluster } from './infra/embedded-postgres.js';
import { createUser } from './users/service.js';
import { createWorkspace } from './workspaces/service.js';

/**
 * `npm start`: the embedded PostgreSQL under ./data (or DATABASE_URL), system
 * migrations, a first administrator when there is none, then the API.
 */
async function main() {
  const started = Date.now();
  let cluster: EmbeddedCluster | undefined;
  let url = process.env.DATABASE_URL;
  const dir = resolve(process.env.CRM_DATA_DIR ?? 'data');
  if (!url) {
    cluster = await openEmbeddedCluster({ dir, log: process.env.CRM_PG_LOG ? (l) => console.log(`[pg] ${l}`) : undefined });
    await cluster.start();
    const admin = new pg.Client({ connectionString: cluster.connectionString('postgres') });
    await admin.connect();
    const exists = await admin.query(`select 1 from pg_database where datname = 'crm'`);
    if (!exists.rowCount) await admin.query('create database crm');
    await admin.end();
    url = cluster.connectionString('crm');
    console.log(`Embedded PostgreSQL on 127.0.0.1:${cluster.port} (data in ${dir})`);
  }
  const database = openDatabase(url, { onError: (err) => console.warn(`database: ${err.message}`) });
  const applied = await migrateToLatest(database.db);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
  await ensureFirstAdmin(database.db);

  const app = await build({ database, logger: process.env.CRM_LOG === '1', fileStore: new LocalFileStore(join(dir, 'files')) });
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ host, port });
  console.log(`CRM server listening on http://${host}:${port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const stop = async () => {
    await app.close();
    await database.close();
    await cluster?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function ensureFirstAdmin(db: import('kysely').Kysely<any>) {
  const any = await db.selectFrom('crm.users').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const password = randomBytes(12).toString('base64url');
  const email = process.env.CRM_ADMIN_EMAIL ?? 'admin@example.com';
  const user = await createUser(db, { email, name: 'Administrator', password });
  await createWorkspace(db, { slug: 'main', name: 'Main', ownerId: user.id }, {});
  console.log('First administrator created (the password is shown only this once):');
  console.log(`  email: ${email}\n  password: ${password}\n  workspace: main`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
