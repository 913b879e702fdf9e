import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, openDatabase, type Database } from '@crm/server';
import type { FastifyInstance } from 'fastify';
import { startTestApp, type TestApp } from './support/app.js';

/** Two server processes on one database: a publish in one drops the other's metadata cache (LISTEN/NOTIFY). */
describe('metadata cache across processes', () => {
  let t: TestApp;
  let otherDb: Database;
  let other: FastifyInstance;

  beforeAll(async () => {
    t = await startTestApp();
    otherDb = openDatabase(t.testDb.connectionString, { max: 4 });
    other = await build({ database: otherDb });
  });
  afterAll(async () => {
    await other.close();
    await otherDb.close();
    await t.close();
  });

  it('serves the new revision in the other process right after a publish', async () => {
    const get = (app: FastifyInstance) => app.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: { cookie: t.cookie } });
    expect((await get(other)).json().revision).toBe(0); // cached now
    const entity = {
      id: 'ent_note', key: 'notes', schemaVersion: 1, label: { 'zh-CN': '备注', en: 'Note' }, titleField: 'title', ownership: 'owned',
      fields: [{ id: 'fld_title', key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' } }], rules: [],
    };
    const put = await t.app.inject({ method: 'PUT', url: `/api/w/${t.slug}/meta/draft/entity/ent_note`, payload: entity, headers: { cookie: t.cookie, 'if-match': '"0"' } });
    expect(put.statusCode, put.body).toBe(200);
    const plan = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/plan`, headers: { cookie: t.cookie } });
    const wsId = (await t.database.pool.query(`select id from crm.workspaces where slug = $1`, [t.slug])).rows[0].id;
    const dropped = other.services.metadataCache.nextInvalidation(wsId);
    const pub = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/publish`, payload: { planId: plan.json().planId }, headers: { cookie: t.cookie } });
    expect(pub.statusCode, pub.body).toBe(200);
    await dropped;
    expect((await get(other)).json().revision).toBe(1);
  });

  it('drops cached access in the other process when a member is deactivated, whatever wrote it', async () => {
    const { createUser, addMember } = await import('@crm/server');
    const wsId = (await t.database.pool.query(`select id from crm.workspaces where slug = $1`, [t.slug])).rows[0].id;
    const u = await createUser(t.database.db, { email: 'leaver@example.com', name: '离职', password: 'leaver-pw-1' });
    await addMember(t.database.db, wsId, u.id, 'member');
    const cookie = await t.login('leaver@example.com', 'leaver-pw-1');
    const read = () => other.inject({ method: 'GET', url: `/api/w/${t.slug}/meta`, headers: { cookie } });
    expect((await read()).statusCode).toBe(200); // now cached in the other process
    // A direct SQL change, not through any API: the trigger's NOTIFY still reaches the other process.
    await t.database.pool.query(`update crm.workspace_members set status = 'inactive' where user_id = $1`, [u.id]);
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      status = (await read()).statusCode;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(404);
  });
});
