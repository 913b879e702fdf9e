import fc from 'fast-check';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, prepare, validate, zonedDate, zonedMidnight, type EvalContext, type RuleSchema, type ValueKind } from '@crm/rules';
import { compileRule, type RuleTarget } from '@crm/query';
import { createTestDatabase, type TestDatabase } from './support/db.js';

/**
 * The condition language means the same in memory and in SQL: for random
 * valid rules over random records (nulls, '' and [] included), the ids that
 * `select id from rt where <compileRule(rule)>` returns are exactly the records
 * `evaluate` accepts, and `where not (<compiled>)` returns all the others (so
 * the SQL is never NULL). Records are evaluated in the wire format the server
 * produces when it reads them back (node-postgres Dates -> ISO with
 * milliseconds although PostgreSQL stores microseconds, numeric as text, ...).
 * The session runs in America/New_York, to show the SQL does not depend on
 * the session's time zone.
 */

const COLUMNS: Record<string, { kind: ValueKind; sql: string }> = {
  t: { kind: 'text', sql: 'text' },
  s: { kind: 'text', sql: 'text' },
  i: { kind: 'integer', sql: 'bigint' },
  i2: { kind: 'integer', sql: 'bigint' },
  d: { kind: 'decimal', sql: 'numeric' },
  d2: { kind: 'decimal', sql: 'numeric(12,3)' },
  b: { kind: 'boolean', sql: 'boolean' },
  dt: { kind: 'date', sql: 'date' },
  dt2: { kind: 'date', sql: 'date' },
  ts: { kind: 'datetime', sql: 'timestamptz' },
  ts2: { kind: 'datetime', sql: 'timestamptz' },
  arr: { kind: 'textArray', sql: 'text[]' },
  u: { kind: 'uuid', sql: 'uuid' },
};
const S_OPTIONS = ['won', 'lost', 'Won'];
const ARR_OPTIONS = ['x', 'y', 'X'];
const TEAMS = ['team-a', 'team-b'];
const UUIDS = ['0190a1b2-0000-7000-8000-000000000001', '0190a1b2-0000-7000-8000-000000000002', '0190a1b2-0000-7000-8000-00000000000a'];

const schema: RuleSchema = {
  vars: {
    ...Object.fromEntries(Object.entries(COLUMNS).map(([k, c]) => [k, k === 's' ? { kind: c.kind, options: S_OPTIONS } : k === 'arr' ? { kind: c.kind, options: ARR_OPTIONS } : { kind: c.kind }])),
    '$user.id': { kind: 'uuid' },
    '$user.teams': { kind: 'textArray' },
    '$now': { kind: 'datetime' },
    '$previous.i': { kind: 'integer' },
    '$previous.s': { kind: 'text', options: S_OPTIONS },
  },
};

/** The SQL target as a caller builds it: columns for fields, bound values for the context variables. */
function targetFor(ctx: EvalContext): RuleTarget {
  return {
    vars: {
      ...Object.fromEntries(Object.entries(COLUMNS).map(([k, c]) => [k, { kind: c.kind, column: k }])),
      '$user.id': { kind: 'uuid', value: ctx.user?.id ?? null },
      '$user.teams': { kind: 'textArray', value: ctx.user?.teams ?? null },
      '$now': { kind: 'datetime', value: ctx.now.toISOString() },
      '$previous.i': { kind: 'integer', value: ctx.previous?.i ?? null },
      '$previous.s': { kind: 'text', value: ctx.previous?.s ?? null },
    },
  };
}

// ---------- values ----------

/** ASCII, Chinese, accented letters, letters whose case JS and PostgreSQL fold differently, and LIKE metacharacters. */
const CHARS = ['a', 'A', 'b', 'B', 'z', 'Z', 'é', 'É', 'ü', 'Ü', 'İ', 'i', 'I', 'ı', 'Σ', 'σ', 'ς', 'ß', 'ẞ', 'Ａ', 'ａ', '中', '文', '上', '海', '%', '_', '\\', ' ', "'", '😀'];
const str = (min: number, max: number) => fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: max }).map((a) => a.join(''));
const text = str(0, 5);
const orNull = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });

const int = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 40));
const decimal = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 0, max: 4 })).map(([n, scale]) => {
    const abs = String(Math.abs(n)).padStart(scale + 1, '0');
    const s = scale ? `${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}` : abs;
    return n < 0 ? `-${s}` : s;
  }) },
  { weight: 1, arbitrary: fc.constantFrom('-0.000', '0', '123456789012345678901234567890.12345', '-0.5', '0.50', '2.000') },
);
/** numeric(12,3) stores at most 9 integer digits; round to 3 places is applied by PostgreSQL on insert. */
const decimal3 = decimal.filter((x) => x.replace('-', '').split('.')[0]!.length <= 9);

const H = 3_600_000;
const DAY = 24 * H;
/** Midnights of the zones below, and New York's fall-back hour, so day boundaries and DST matter. */
const ANCHORS = [
  Date.UTC(2026, 10, 22), // 00:00 UTC
  Date.UTC(2026, 10, 21, 16), // 00:00 Shanghai
  Date.UTC(2026, 10, 22, 5), // 00:00 New York
  Date.UTC(2026, 10, 21, 18, 30), // 00:00 Kolkata
  Date.UTC(2026, 10, 1, 5, 30), // 01:30 in New York, the first of two
  Date.UTC(2026, 10, 1, 6, 30), // 01:30 in New York, the second
];
/** Mostly a few shared offsets, so that stored values, literals and now often fall in the same millisecond. */
const delta = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, -1, 999, -1000, H, -H, DAY, -DAY, DAY - 1) },
  { weight: 1, arbitrary: fc.integer({ min: -3 * DAY, max: 3 * DAY }) },
);
const instantMs = fc.tuple(fc.constantFrom(...ANCHORS), delta).map(([a, d]) => a + d);
/** A stored timestamptz with microseconds (like now()); the wire shows milliseconds. */
const storedInstant = fc.tuple(instantMs, fc.oneof(fc.constant(0), fc.constantFrom(1, 400, 999), fc.integer({ min: 1, max: 999 }))).map(([ms, us]) => new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`));
const withOffset = (ms: number, minutes: number) => {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
const datetimeLiteral = fc.tuple(instantMs, fc.constantFrom(0, 0, 480, -300, 330)).map(([ms, off]) => (off === 0 ? new Date(ms).toISOString() : withOffset(ms, off)));
const date = fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -5, max: 5 })).map(([a, d]) => new Date(a + d * DAY).toISOString().slice(0, 10));
const uuid = fc.constantFrom(...UUIDS);
const uuidLiteral = fc.tuple(uuid, fc.boolean()).map(([u, upper]) => (upper ? u.toUpperCase() : u));

const record = fc.record({
  t: orNull(text),
  s: orNull(fc.constantFrom(...S_OPTIONS, '')),
  i: orNull(int),
  i2: orNull(int),
  d: orNull(decimal),
  d2: orNull(decimal3),
  b: orNull(fc.boolean()),
  dt: orNull(date),
  dt2: orNull(date),
  ts: orNull(storedInstant),
  ts2: orNull(storedInstant),
  arr: orNull(fc.subarray(ARR_OPTIONS)),
  u: orNull(uuid),
});

// ---------- rules ----------

const v = (name: string) => ({ var: name });
const cmp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
const eq = fc.constantFrom('==', '!=');
const days = fc.tuple(fc.constantFrom('daysAgo', 'daysFromNow'), fc.integer({ min: -1, max: 3 }), fc.boolean()).map(([k, n, list]) => ({ [k]: list ? [n] : n }));
/** `{op: [a, b]}` with the sides in either order. */
const either = (op: fc.Arbitrary<string>, a: unknown, b: fc.Arbitrary<unknown>) =>
  fc.tuple(op, b, fc.boolean()).map(([o, x, flip]) => ({ [o]: flip ? [x, a] : [a, x] }));
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 0, maxLength: 3 });

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  either(eq, v('t'), text),
  list(text).map((xs) => ({ in: [v('t'), xs] })),
  str(0, 3).map((x) => ({ contains: [v('t'), x] })),
  str(0, 3).map((x) => ({ startsWith: [v('t'), x] })),
  either(eq, v('s'), fc.constantFrom(...S_OPTIONS)),
  either(eq, v('s'), fc.constant(v('$previous.s'))),
  list(fc.constantFrom(...S_OPTIONS)).map((xs) => ({ in: [v('s'), xs] })),
  fc.constantFrom(...S_OPTIONS).map((x) => ({ contains: [v('s'), x.slice(0, 2)] })),
  either(cmp, v('i'), fc.oneof(int, fc.constant(v('i2')), fc.constant(v('$previous.i')))),
  list(int).map((xs) => ({ in: [v('i'), xs] })),
  either(cmp, v('d'), fc.oneof(decimal, fc.integer({ min: -40, max: 40 }).map((n) => n / 4), fc.constant(v('d2')))),
  either(cmp, v('d2'), decimal),
  list(decimal).map((xs) => ({ in: [v('d'), xs] })),
  either(eq, v('b'), fc.boolean()),
  list(fc.boolean()).map((xs) => ({ in: [v('b'), xs] })),
  either(cmp, v('dt'), fc.oneof(date, days, fc.constant(v('dt2')))),
  list(date).map((xs) => ({ in: [v('dt'), xs] })),
  either(cmp, v('ts'), fc.oneof(datetimeLiteral, days, fc.constant(v('$now')), fc.constant(v('ts2')))),
  list(datetimeLiteral).map((xs) => ({ in: [v('ts'), xs] })),
  fc.constantFrom(...ARR_OPTIONS).map((x) => ({ contains: [v('arr'), x] })),
  either(eq, v('u'), fc.oneof(uuidLiteral, fc.constant(v('$user.id')))),
  list(uuidLiteral).map((xs) => ({ in: [v('u'), xs] })),
  fc.constantFrom(...TEAMS, 'team-c').map((x) => ({ contains: [v('$user.teams'), x] })),
  fc.constantFrom(...Object.keys(schema.vars)).map((k) => ({ isEmpty: [v(k)] })),
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

const context: fc.Arbitrary<EvalContext> = fc.record({
  now: fc.tuple(fc.constantFrom(...ANCHORS), fc.constantFrom(0, -1, 1, H, -H, DAY - 1, 12 * H)).map(([a, d]) => new Date(a + d)),
  timeZone: fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati'),
  user: fc.option(fc.record({ id: uuid, teams: fc.subarray(TEAMS) }), { nil: undefined }),
  previous: fc.option(fc.record({ i: orNull(int), s: orNull(fc.constantFrom(...S_OPTIONS)) }), { nil: undefined }),
}, { requiredKeys: ['now', 'timeZone'] });

// ---------- database ----------

type Row = Record<string, unknown> & { id: number };

describe('rules: SQL and memory agree', () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<any>;
  const stats = { runs: 0, rules: 0, mixed: 0, repeatedMidnights: 0 };

  beforeAll(async () => {
    t = await createTestDatabase();
    // Our own pool: the server's type parsers (int8 -> number, date -> "YYYY-MM-DD") and a non-UTC session zone.
    pool = new pg.Pool({
      connectionString: t.connectionString,
      max: 2,
      options: '-c TimeZone=America/New_York',
      types: {
        getTypeParser: ((oid: number, format?: string) => {
          if (oid === 20) return (x: string) => Number(x);
          if (oid === 1082) return (x: string) => x;
          return pg.types.getTypeParser(oid, format as 'text');
        }) as typeof pg.types.getTypeParser,
      },
    });
    pool.on('error', () => {});
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await pool.query(`create table rt (id int primary key, ${Object.entries(COLUMNS).map(([k, c]) => `${k} ${c.sql}`).join(', ')})`);
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.destroy();
  });

  /** Replaces the table's rows and returns them as the server would put them on the wire. */
  async function load(records: readonly Record<string, unknown>[]): Promise<Row[]> {
    await pool.query('truncate rt');
    const defs = Object.entries(COLUMNS).map(([k, c]) => `${k} ${c.sql}`).join(', ');
    await pool.query(`insert into rt select * from jsonb_to_recordset($1::jsonb) as x(id int, ${defs})`, [JSON.stringify(records.map((r, id) => ({ id, ...r })))]);
    const { rows } = await pool.query<Row>('select * from rt order by id');
    return rows.map((r) => ({ ...r, ts: r.ts instanceof Date ? r.ts.toISOString() : r.ts, ts2: r.ts2 instanceof Date ? r.ts2.toISOString() : r.ts2 }));
  }

  /** For each rule, the ids `where <rule>` selects and the ids `where not (<rule>)` selects, in one round trip. */
  async function inSql(rules: readonly unknown[], ctx: EvalContext): Promise<{ yes: number[]; no: number[] }[]> {
    const target = targetFor(ctx);
    const parts = rules.flatMap((r, k) => {
      const e = compileRule(r, target, ctx);
      return [sql`select ${k}::int as k, id, true as sel from rt where ${e}`, sql`select ${k}::int as k, id, false as sel from rt where not (${e})`];
    });
    const { rows } = await sql<{ k: number; id: number; sel: boolean }>`${sql.join(parts, sql` union all `)} order by 1, 2`.execute(db);
    const out = rules.map(() => ({ yes: [] as number[], no: [] as number[] }));
    for (const row of rows) out[row.k]![row.sel ? 'yes' : 'no'].push(row.id);
    return out;
  }

  function inMemory(r: unknown, rows: readonly Row[], ctx: EvalContext) {
    const p = prepare(r, schema);
    const yes: number[] = [];
    const no: number[] = [];
    for (const row of rows) (evaluate(p, row, ctx) ? yes : no).push(row.id);
    return { yes, no };
  }

  async function agree(records: readonly Record<string, unknown>[], rules: readonly unknown[], ctx: EvalContext) {
    const rows = await load(records);
    const sqlSets = await inSql(rules, ctx);
    rules.forEach((r, k) => {
      expect(validate(r, schema)).toEqual([]);
      const mem = inMemory(r, rows, ctx);
      const why = JSON.stringify({ rule: r, now: ctx.now.toISOString(), tz: ctx.timeZone, user: ctx.user, previous: ctx.previous, rows: rows.filter((row) => mem.yes.includes(row.id) !== sqlSets[k]!.yes.includes(row.id)) });
      expect(sqlSets[k], why).toEqual(mem);
      stats.rules++;
      if (mem.yes.length && mem.no.length) stats.mixed++;
    });
    stats.runs++;
  }

  it('selects the same records in SQL as evaluate() accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), fc.array(rule, { minLength: 4, maxLength: 16 }), context, agree),
      { numRuns: 350 },
    );
    // Enough rule/record-set combinations, and many of them split the records (not all or nothing).
    expect(stats.rules).toBeGreaterThanOrEqual(2000);
    expect(stats.mixed).toBeGreaterThan(stats.rules / 4);
  });

  it('agrees on the edge cases found so far', async () => {
    const ctx: EvalContext = { now: new Date('2026-11-22T03:00:00Z'), timeZone: 'Asia/Shanghai', user: { id: UUIDS[0]!, teams: [] } };
    const records = [
      { t: null, d: null, arr: null, ts: null, i: null },
      { t: '', d: '0.000', arr: [], ts: '2026-11-21T16:00:00.000400Z', d2: '1.000', i: 9007199254740991 }, // today in Shanghai began at 16:00Z
      { t: 'É%_\\', d: '-0.500', arr: ['x'], ts: '2026-11-21T15:59:59.999999Z', d2: '-0.500', i: -5 },
      { t: 'İstanbul', d: '12000', s: 'Won', ts: '2026-11-01T05:30:00.000Z', ts2: '2026-11-01T05:30:00.000999Z' },
      { t: 'ACME 上海', d: '12000.00', s: 'won', ts: '2026-11-01T06:30:00.000Z', ts2: '2026-11-01T05:30:00.000Z' },
    ];
    const cases: [unknown, number[]][] = [
      [{ '!': { '==': [v('t'), 'x'] } }, [0, 1, 2, 3, 4]], // a comparison with an empty side is false, so its negation is true
      [{ '!=': [v('t'), 'x'] }, [1, 2, 3, 4]],
      [{ contains: [v('t'), '%'] }, [2]], // LIKE metacharacters are plain characters
      [{ contains: [v('t'), '_\\'] }, [2]],
      [{ startsWith: [v('t'), 'é'] }, []], // only A-Z fold
      [{ startsWith: [v('t'), 'É'] }, [2]],
      [{ contains: [v('t'), 'ista'] }, []], // 'İ' is not 'i' (PostgreSQL's C.UTF-8 lower() says it is; JS says "i̇")
      [{ contains: [v('t'), 'acme 上'] }, [4]],
      [{ '<': [v('d'), '0'] }, [2]],
      [{ '==': [v('d'), '0'] }, [1]], // 0.000 == 0
      [{ '==': [v('d'), 12000] }, [3, 4]],
      [{ '==': [v('d'), v('d2')] }, [2]],
      [{ '>': [v('i'), 9007199254740990] }, [1]],
      [{ isEmpty: [v('arr')] }, [0, 1, 3, 4]],
      [{ isEmpty: [v('t')] }, [0, 1]],
      [{ '>=': [v('ts'), { daysAgo: 0 }] }, [1]], // stored 16:00:00.0004, on the wire 16:00:00.000
      [{ '==': [v('ts'), '2026-11-21T16:00:00Z'] }, [1]], // equal to the millisecond
      [{ '<=': [v('ts'), '2026-11-21T15:59:59.999Z'] }, [2, 3, 4]], // 15:59:59.999999 is .999 on the wire
      [{ '>': [v('ts'), '2026-11-21T15:59:59.999Z'] }, [1]],
      [{ '==': [v('ts'), v('ts2')] }, [3]], // .000 vs .000999: the same millisecond
      [{ '>': [v('ts'), v('ts2')] }, [4]], // 01:30 EST is after 01:30 EDT even though the session is in New York
      [{ in: [v('s'), ['won']] }, [4]],
      [{ in: [v('s'), []] }, []],
      [{ '!': { in: [v('s'), []] } }, [0, 1, 2, 3, 4]],
      [{ '==': [v('s'), v('$previous.s')] }, []], // no previous record
      [{ '!': { '==': [v('s'), v('$previous.s')] } }, [0, 1, 2, 3, 4]],
      [{ contains: [v('$user.teams'), 'team-a'] }, []],
      [{ isEmpty: v('$user.teams') }, [0, 1, 2, 3, 4]],
    ];
    const rows = await load(records);
    const sqlSets = await inSql(cases.map((c) => c[0]), ctx);
    cases.forEach(([r, ids], k) => {
      expect(inMemory(r, rows, ctx).yes, `memory ${JSON.stringify(r)}`).toEqual(ids);
      expect(sqlSets[k]!.yes, `sql ${JSON.stringify(r)}`).toEqual(ids);
      expect(sqlSets[k]!.no, `sql not ${JSON.stringify(r)}`).toEqual(rows.map((row) => row.id).filter((id) => !ids.includes(id)));
    });
  });

  it("counts calendar days like PostgreSQL's own time-zone arithmetic", async () => {
    // The date helpers are computed in JS and bound; this checks that arithmetic against PostgreSQL's,
    // for instants across years and around daylight-saving changes.
    const zones = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns', 'America/Havana', 'America/Santiago', 'America/Asuncion', 'Asia/Beirut'];
    const triple = fc.tuple(
      fc.oneof(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.tuple(fc.constantFrom(...ANCHORS), delta).map(([a, d]) => a + d)),
      fc.constantFrom(...zones),
      fc.integer({ min: -400, max: 400 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(triple, { minLength: 1, maxLength: 40 }), async (triples) => {
        const { rows } = await pool.query<{ day: string; start: Date }>(
          `select ((x.t at time zone x.tz)::date + x.n)::text as day,
                  (((x.t at time zone x.tz)::date + x.n)::timestamp at time zone x.tz) as start
           from unnest($1::timestamptz[], $2::text[], $3::int[]) with ordinality as x(t, tz, n, ord) order by ord`,
          [triples.map(([ms]) => new Date(ms).toISOString()), triples.map(([, tz]) => tz), triples.map(([, , n]) => n)],
        );
        triples.forEach(([ms, tz, n], i) => {
          const day = zonedDate(new Date(ms), tz, n);
          expect(day, JSON.stringify({ at: new Date(ms).toISOString(), tz, n })).toBe(rows[i]!.day);
          // The start of the day is its first instant: that day there, the millisecond before it the day before.
          const start = zonedMidnight(day, tz);
          const why = JSON.stringify({ day, tz, start: new Date(start).toISOString(), postgres: rows[i]!.start.toISOString() });
          expect(zonedDate(new Date(start), tz), why).toBe(day);
          expect(zonedDate(new Date(start - 1), tz) < day, why).toBe(true);
          // PostgreSQL agrees, except where a change back repeats midnight (Havana on 2026-11-01,
          // St John's on 2000-10-29): it reads the ambiguous 00:00 as the later one, which is still
          // a midnight of that day (the instant before it may fall in the repeated hour of the day before).
          const pgStart = rows[i]!.start.getTime();
          if (pgStart !== start) {
            expect(pgStart > start && zonedDate(new Date(pgStart), tz) === day && pgStart - start <= 3_600_000, why).toBe(true);
            stats.repeatedMidnights++;
          }
        });
      }),
      { numRuns: 400 },
    );
  });
});
