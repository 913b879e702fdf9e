import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, validate, type EvalContext, type RuleSchema, type ValueKind } from '@crm/rules';
import { compileRule } from '@crm/query';
import { createTestDatabase, type TestDatabase } from './support/db.js';

/**
 * The condition language means the same in memory and in SQL: for random valid
 * rules over random records (nulls, '' and [] included), the ids PostgreSQL
 * selects are exactly the records `evaluate` accepts.
 */
const KINDS: Record<string, ValueKind> = { t: 'text', s: 'text', i: 'integer', d: 'decimal', b: 'boolean', dt: 'date', ts: 'datetime', arr: 'textArray', u: 'uuid' };
const S_OPTIONS = ['a', 'b', 'c'];
const ARR_OPTIONS = ['x', 'y', 'z'];
const UUIDS = ['0190a1b2-0000-7000-8000-000000000001', '0190a1b2-0000-7000-8000-000000000002', '0190a1b2-0000-7000-8000-00000000000a'];
const schema: RuleSchema = {
  vars: Object.fromEntries(Object.entries(KINDS).map(([k, kind]) => [k, k === 's' ? { kind, options: S_OPTIONS } : k === 'arr' ? { kind, options: ARR_OPTIONS } : { kind }])),
};
const target = { vars: Object.fromEntries(Object.entries(KINDS).map(([k, kind]) => [k, { kind, column: k }])) };

const CHARS = ['a', 'A', 'b', 'é', 'É', 'ü', 'Ü', '中', '文', '%', '_', '\\', ' '];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 4 }).map((a) => a.join(''));
const orNull = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
const dec = fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 0, max: 3 })).map(([n, s]) => {
  const neg = n < 0;
  const abs = String(Math.abs(n)).padStart(s + 1, '0');
  const v = s ? `${abs.slice(0, abs.length - s)}.${abs.slice(abs.length - s)}` : abs;
  return neg ? `-${v}` : v;
});
// Around two midnights, so time-zone day boundaries matter.
const BASE = Date.UTC(2026, 10, 22, 0, 0, 0);
const instant = fc.integer({ min: -40, max: 40 }).map((h) => new Date(BASE + h * 30 * 60_000 + (h % 3) * 1000));
const date = fc.integer({ min: -4, max: 4 }).map((d) => new Date(BASE + d * 86_400_000).toISOString().slice(0, 10));

const record = fc.record({
  t: orNull(text),
  s: orNull(fc.constantFrom(...S_OPTIONS, '')),
  i: orNull(fc.integer({ min: -5, max: 5 })),
  d: orNull(dec),
  b: orNull(fc.boolean()),
  dt: orNull(date),
  ts: orNull(instant.map((d) => d.toISOString())),
  arr: orNull(fc.subarray(ARR_OPTIONS)),
  u: orNull(fc.constantFrom(...UUIDS)),
});

const v = (name: string) => ({ var: name });
const cmpOp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
const eqOp = fc.constantFrom('==', '!=');
const days = fc.tuple(fc.constantFrom('daysAgo', 'daysFromNow'), fc.integer({ min: 0, max: 3 })).map(([k, n]) => ({ [k]: n }));
const flip = (a: unknown, b: unknown) => fc.boolean().map((f) => (f ? [b, a] : [a, b]));

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(cmpOp, fc.integer({ min: -5, max: 5 })).chain(([op, n]) => flip(v('i'), n).map((args) => ({ [op]: args }))),
  fc.tuple(cmpOp, dec).chain(([op, n]) => flip(v('d'), n).map((args) => ({ [op]: args }))),
  fc.tuple(cmpOp, fc.oneof(date, days)).chain(([op, x]) => flip(v('dt'), x).map((args) => ({ [op]: args }))),
  fc.tuple(cmpOp, fc.oneof(instant.map((d) => d.toISOString()), days)).map(([op, x]) => ({ [op]: [v('ts'), x] })),
  fc.tuple(eqOp, text).map(([op, x]) => ({ [op]: [v('t'), x] })),
  fc.tuple(eqOp, fc.constantFrom(...S_OPTIONS)).map(([op, x]) => ({ [op]: [v('s'), x] })),
  fc.tuple(eqOp, fc.boolean()).map(([op, x]) => ({ [op]: [v('b'), x] })),
  fc.tuple(eqOp, fc.constantFrom(...UUIDS)).map(([op, x]) => ({ [op]: [x, v('u')] })),
  fc.uniqueArray(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 3 }).map((xs) => ({ in: [v('i'), xs] })),
  fc.uniqueArray(dec, { minLength: 1, maxLength: 3 }).map((xs) => ({ in: [v('d'), xs] })),
  fc.uniqueArray(fc.constantFrom(...S_OPTIONS), { minLength: 1, maxLength: 3 }).map((xs) => ({ in: [v('s'), xs] })),
  fc.uniqueArray(text, { minLength: 1, maxLength: 3 }).map((xs) => ({ in: [v('t'), xs] })),
  fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 2 }).map((a) => ({ contains: [v('t'), a.join('')] })),
  fc.constantFrom(...ARR_OPTIONS).map((x) => ({ contains: [v('arr'), x] })),
  fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 2 }).map((a) => ({ startsWith: [v('t'), a.join('')] })),
  fc.constantFrom(...Object.keys(KINDS)).map((k) => ({ isEmpty: [v(k)] })),
);

const rule: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((args) => ({ and: args })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((args) => ({ or: args })),
    tie('node').map((x) => ({ '!': x })),
  ),
})).node;

const context = fc.record({
  now: instant,
  timeZone: fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York'),
});

describe('rules: SQL and memory agree', () => {
  let t: TestDatabase;
  let checked = 0;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.pool.query(`create table rt (id int primary key, t text, s text, i bigint, d numeric(12,3), b boolean, dt date, ts timestamptz, arr text[], u uuid)`);
  });
  afterAll(async () => { await t.destroy(); });

  async function selected(r: unknown, ctx: EvalContext): Promise<number[]> {
    const rows = await t.db.selectFrom('rt').select('id').where(compileRule(r, target, ctx)).orderBy('id').execute();
    return rows.map((x) => x.id as number);
  }

  it('selects the same records in SQL as evaluate() accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 16 }), fc.array(rule, { minLength: 1, maxLength: 12 }), context, async (records, rules, ctx) => {
        await t.pool.query('truncate rt');
        await t.pool.query(
          `insert into rt select * from jsonb_to_recordset($1::jsonb) as x(id int, t text, s text, i bigint, d numeric(12,3), b boolean, dt date, ts timestamptz, arr text[], u uuid)`,
          [JSON.stringify(records.map((r, id) => ({ id, ...r })))],
        );
        // Evaluate on the values as stored and read back in wire format (numeric scale applied, etc.).
        const { rows } = await t.pool.query(
          `select id, t, s, i::int as i, d::text as d, b, dt::text as dt,
                  to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts, arr, u::text as u
           from rt order by id`,
        );
        for (const r of rules) {
          expect(validate(r, schema)).toEqual([]);
          const inMemory = rows.filter((row) => evaluate(r, schema, row, ctx)).map((row) => row.id as number);
          const inSql = await selected(r, ctx);
          expect(inSql, JSON.stringify({ rule: r, now: ctx.now.toISOString(), tz: ctx.timeZone })).toEqual(inMemory);
          checked++;
        }
      }),
      { numRuns: 500 },
    );
    expect(checked).toBeGreaterThanOrEqual(2000);
  });

  it('agrees on the edge cases found so far', async () => {
    await t.pool.query('truncate rt');
    await t.pool.query(`insert into rt (id, t, d, arr, ts) values (1, null, null, null, null), (2, '', '0.000', '{}', '2026-11-21T16:00:00Z'), (3, 'É%_\\', '-0.500', '{x}', '2026-11-21T15:59:59Z')`);
    const { rows } = await t.pool.query(`select id, t, s, i, d::text as d, b, dt::text as dt, to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts, arr, u::text as u from rt order by id`);
    const ctx = { now: new Date('2026-11-22T03:00:00Z'), timeZone: 'Asia/Shanghai' };
    const cases: [unknown, number[]][] = [
      [{ '!': { '==': [v('t'), 'x'] } }, [1, 2, 3]], // a comparison with an empty side is false, so its negation is true
      [{ '!=': [v('t'), 'x'] }, [2, 3]],
      [{ contains: [v('t'), '%'] }, [3]], // LIKE wildcards are plain characters
      [{ contains: [v('t'), 'é%_\\'] }, [3]], // case-insensitive beyond ASCII
      [{ '<': [v('d'), '0'] }, [3]],
      [{ '==': [v('d'), '0'] }, [2]], // 0.000 == 0
      [{ isEmpty: [v('arr')] }, [1, 2]],
      [{ '>=': [v('ts'), { daysAgo: 0 }] }, [2]], // today in Shanghai began at 2026-11-21T16:00Z
    ];
    for (const [r, ids] of cases) {
      expect(rows.filter((row) => evaluate(r, schema, row, ctx)).map((row) => row.id), JSON.stringify(r)).toEqual(ids);
      expect(await selected(r, ctx), JSON.stringify(r)).toEqual(ids);
    }
  });
});
