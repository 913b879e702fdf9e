import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '@crm/migrations';
import { openEmbeddedCluster, type EmbeddedCluster } from '../../server/src/infra/embedded-postgres.js';
import { installQueue } from '../../server/src/automation/queue.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of a maintenance database on the test server. */
    adminUrl: string;
    /** A database migrated to the latest system schema; each test file copies it. */
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the whole run (CONVENTIONS.md §5): an embedded cluster in
 * a temp dir on a free port, or the server of TEST_DATABASE_URL (never
 * DATABASE_URL). Builds one migrated template database that test files clone.
 */
export default async function setup(project: TestProject) {
  let cluster: EmbeddedCluster | undefined;
  let dir: string | undefined;
  let adminUrl: string;
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    adminUrl = external;
  } else {
    dir = await mkdtemp(join(tmpdir(), 'crm-test-pg-'));
    cluster = await openEmbeddedCluster({ dir });
    await cluster.start();
    adminUrl = cluster.connectionString('postgres');
  }
  const templateDatabase = `crm_tpl_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${templateDatabase}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${templateDatabase}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db);
  await installQueue(pool);
  await db.destroy();

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    if (cluster) {
      await cluster.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    } else {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${templateDatabase} with (force)`);
      await c.end();
    }
  };
}
