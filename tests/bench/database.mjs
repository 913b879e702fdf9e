// A fresh database for a benchmark: on TEST_DATABASE_URL's server, or on an embedded PostgreSQL in a temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openEmbeddedCluster } from '../../server/dist/index.js';

export async function benchDatabase(prefix) {
  const dir = await mkdtemp(join(tmpdir(), `${prefix.replace(/_/g, '-')}-`));
  let cluster;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    cluster = await openEmbeddedCluster({ dir });
    await cluster.start();
    adminUrl = cluster.connectionString('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dbName = `${prefix}_${Date.now()}`;
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    async stop() {
      if (cluster) await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
