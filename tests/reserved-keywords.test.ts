import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_RESERVED } from '@crm/metadata';
import { createTestDatabase, type TestDatabase } from './support/db.js';

/** The static list of reserved words that keys may not use covers what this PostgreSQL reserves. */
describe('PostgreSQL reserved keywords', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(); });
  afterAll(async () => { await t.destroy(); });

  it('includes every category R keyword of the running server', async () => {
    const { rows } = await t.pool.query(`select word from pg_get_keywords() where catcode = 'R'`);
    expect(rows.length).toBeGreaterThan(70);
    expect(rows.map((r) => r.word).filter((w: string) => !PG_RESERVED.has(w))).toEqual([]);
  });
});
