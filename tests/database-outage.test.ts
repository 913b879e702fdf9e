import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '@crm/migrations';
import { build, openDatabase, openEmbeddedCluster, type Database, type EmbeddedCluster } from '@crm/server';
import type { FastifyInstance } from 'fastify';

/**
 * A database that goes away: 503 with Retry-After, the process stays up, and
 * it answers again once the database is back. Uses a cluster of its own so
 * stopping it does not disturb other test files.
 */
describe('database outage', () => {
  let dir: string;
  let cluster: EmbeddedCluster;
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-outage-'));
    cluster = await openEmbeddedCluster({ dir });
    await cluster.start();
    database = openDatabase(cluster.connectionString('postgres'), { max: 4 });
    await migrateToLatest(database.db);
    app = await build({ database });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 while the database is down and recovers when it returns', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

    await cluster.stop();
    const down = await app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-language': 'en' } });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toMatchObject({ code: 'CRM_ERR_DB_UNAVAILABLE', message: expect.stringMatching(/temporarily unavailable/) });
    const zh = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.cn', password: 'x' } });
    expect(zh.statusCode).toBe(503);
    expect(zh.json().message).toMatch(/数据库暂时不可用/);

    await cluster.start();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await app.inject({ method: 'GET', url: '/api/health' })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  });
});
