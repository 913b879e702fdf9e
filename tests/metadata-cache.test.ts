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
});
