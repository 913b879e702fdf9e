import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, createUser, createWorkspace, LocalFileStore, openDatabase, type BuildOptions, type Database } from '@crm/server';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  testDb: TestDatabase;
  /** Session cookie of the workspace owner. */
  cookie: string;
  slug: string;
  close(): Promise<void>;
  login(email: string, password: string): Promise<string>;
}

/** A server on its own database with one owner and one workspace, driven through `inject()`. */
/** A clock tests move by hand. */
export class TestClock {
  constructor(private t = Date.now()) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export async function startTestApp(opts: { clock?: TestClock; automation?: BuildOptions['automation'] } = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const database = openDatabase(testDb.connectionString, { max: 10 });
  const filesDir = mkdtempSync(join(tmpdir(), 'crm-files-'));
  const app = await build({ database, fileStore: new LocalFileStore(filesDir), maxFileBytes: 2 * 1024 * 1024, clock: opts.clock, automation: opts.automation });
  const owner = await createUser(database.db, { email: 'owner@example.com', name: '王经理', password: 'owner-password-1' });
  const slug = 'acme';
  await createWorkspace(database.db, { slug, name: 'Acme 贸易', ownerId: owner.id }, {});
  const login = async (email: string, password: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const setCookie = String(res.headers['set-cookie']);
    return setCookie.split(';')[0]!;
  };
  const cookie = await login('owner@example.com', 'owner-password-1');
  return {
    app,
    database,
    testDb,
    cookie,
    slug,
    login,
    async close() {
      await app.close();
      await database.close();
      await testDb.destroy();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
