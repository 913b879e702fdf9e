import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { LocalFileStore } from './files/store.js';
import pg from 'pg';
import { migrateToLatest } from '@crm/migrations';
import { build } from './app.js';
import { upgradeSearchPinyin } from './records/search-pinyin.js';
import { openDatabase } from './infra/db.js';
import { openEmbeddedCluster, type EmbeddedCluster } from './infra/embedded-postgres.js';
import { createUser } from './users/service.js';
import { createWorkspace, workspaceFor } from './workspaces/service.js';
import type { FastifyInstance } from 'fastify';
import { readTemplate } from './templates/package.js';
import { installTemplate } from './templates/install.js';
import { DEMO_PASSWORD, seedDemo, type DemoLogin } from './templates/demo.js';
import { fileURLToPath } from 'node:url';

const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/default-crm', import.meta.url));

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
  await upgradeSearchPinyin(database.db);
  // Outgoing mail goes only to the SMTP server named here (never one an automation picks); without it mail is captured in the outbox.
  const mail = { smtpUrl: process.env.SMTP_URL || undefined, from: process.env.SMTP_FROM || undefined };
  const app = await build({ database, logger: process.env.CRM_LOG === '1', fileStore: new LocalFileStore(join(dir, 'files')), mail,
    // Another build of the apps (a second checkout's or a work-in-progress one), e.g. for screenshots.
    runtimeDir: process.env.CRM_RUNTIME_DIR, designerDir: process.env.CRM_DESIGNER_DIR,
    // Hosts (host or host:port) an administrator lets automations' HTTP steps reach although they are private (an intranet ERP).
    automation: { http: { allowHosts: (process.env.CRM_OUTBOUND_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean) } } });
  console.log(`Mail: ${app.services.mailer.describe}`);
  const demo = await firstStart(app, { embedded: !!cluster });
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ host, port });
  console.log(`CRM server listening on http://${host}:${port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (demo) printDemoLogins(demo);

  const stop = async () => {
    await app.close();
    await database.close();
    await cluster?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * A fresh database gets the default CRM. The embedded database also gets the
 * demo company (with documented demo passwords); an external DATABASE_URL gets
 * one administrator whose random password is printed once.
 */
async function firstStart(app: FastifyInstance, opts: { embedded: boolean }): Promise<{ slug: string; logins: DemoLogin[] } | undefined> {
  const { database, metadata, records, clock } = app.services;
  const db = database.db;
  const demoWs = await db.selectFrom('crm.workspaces').select('id').where('slug', '=', 'demo').executeTakeFirst();
  if (demoWs) return { slug: 'demo', logins: await demoLogins(db) };
  const any = await db.selectFrom('crm.users').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const template = await readTemplate(resolve(TEMPLATE_DIR));
  if (!opts.embedded) {
    const password = randomBytes(12).toString('base64url');
    const email = process.env.CRM_ADMIN_EMAIL ?? 'admin@example.com';
    const user = await createUser(db, { email, name: 'Administrator', password });
    await createWorkspace(db, { slug: 'main', name: 'Main', ownerId: user.id }, {});
    const ws = (await workspaceFor(db, 'main', user.id))!;
    await installTemplate(metadata, ws, { userId: user.id }, template);
    console.log('First administrator created (the password is shown only this once):');
    console.log(`  email: ${email}\n  password: ${password}\n  workspace: main`);
    return undefined;
  }
  const t = Date.now();
  const admin = await createUser(db, { email: 'admin@demo.example', name: '系统管理员', password: DEMO_PASSWORD });
  await createWorkspace(db, { slug: 'demo', name: '星辰科技（演示）', ownerId: admin.id }, {});
  const ws = (await workspaceFor(db, 'demo', admin.id))!;
  await installTemplate(metadata, ws, { userId: admin.id }, template);
  await seedDemo({ db, records, clock }, ws, admin.id);
  console.log(`Demo company created in ${((Date.now() - t) / 1000).toFixed(1)} s.`);
  return { slug: 'demo', logins: await demoLogins(db) };
}

async function demoLogins(db: import('kysely').Kysely<any>): Promise<DemoLogin[]> {
  const rows = await db.selectFrom('crm.users').select(['email', 'name']).where('email', 'like', '%@demo.example').orderBy('created_at').execute();
  return rows.map((r) => ({ email: r.email, name: r.name, role: '' }));
}

function printDemoLogins(demo: { slug: string; logins: DemoLogin[] }) {
  console.log(`Demo workspace "${demo.slug}". Sign in with any of these (password ${DEMO_PASSWORD}):`);
  for (const l of demo.logins) console.log(`  ${l.email.padEnd(28)} ${l.name}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
