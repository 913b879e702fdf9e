import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';

describe('test harness', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(); });
  afterAll(async () => { await t.destroy(); });

  it('gives each file a migrated database of its own', async () => {
    const { rows } = await t.pool.query(`select current_database() as name, to_regclass('crm.workspaces') as ws`);
    expect(rows[0].name).toMatch(/^crm_t_[0-9a-f]{12}$/);
    expect(rows[0].ws).toBe('crm.workspaces');
  });

  it('runs a UTF8 database with a locale where Chinese is alphanumeric (search relies on it)', async () => {
    const { rows } = await t.pool.query(
      `select pg_encoding_to_char(encoding) as enc, public.similarity('华东销售部', '华东销售') > 0.3 as trgm,
              crm.search_grams('销售 AB') as grams
       from pg_database where datname = current_database()`);
    expect(rows[0].enc).toBe('UTF8');
    expect(rows[0].trgm).toBe(true);
    expect([...rows[0].grams].sort()).toEqual(['a', 'ab', 'b', '售', '销', '销售'].sort());
  });
});

describe('crm.can_cast', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(); });
  afterAll(async () => { await t.destroy(); });

  it('answers with PostgreSQL cast rules and refuses unknown target types', async () => {
    const q = async (v: string, target: string) =>
      (await t.pool.query('select crm.can_cast($1, $2) as ok', [v, target])).rows[0].ok;
    expect(await q('42', 'bigint')).toBe(true);
    expect(await q('4x2', 'bigint')).toBe(false);
    expect(await q('99999999999999999999', 'bigint')).toBe(false);
    expect(await q('123.45', 'numeric(5,2)')).toBe(true);
    expect(await q('1234.5', 'numeric(5,2)')).toBe(false);
    expect(await q('2026-02-30', 'date')).toBe(false);
    await expect(q('1', 'text); drop table crm.users; --')).rejects.toThrow(/unsupported target type/);
  });
});
