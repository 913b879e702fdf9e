import { describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { EvalContext } from '@crm/rules';
import { compileRule, RuleCompileError, type RuleTarget } from './rule-to-sql.js';

const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const ME = '0190a1b2-0000-7000-8000-000000000001';
const target: RuleTarget = {
  vars: {
    name: { kind: 'text', column: 'name' },
    stage: { kind: 'text', column: 'stage' },
    amount: { kind: 'decimal', column: 'amount' },
    budget: { kind: 'decimal', column: 'budget' },
    qty: { kind: 'integer', column: 'qty' },
    vip: { kind: 'boolean', column: 'vip' },
    close: { kind: 'date', column: 'expected_close' },
    seen: { kind: 'datetime', column: 'seen' },
    created_at: { kind: 'datetime', column: 'created_at' },
    tags: { kind: 'textArray', column: 'tags' },
    owner_id: { kind: 'uuid', column: 'owner_id' },
    '$user.id': { kind: 'uuid', value: ME },
    '$user.teams': { kind: 'textArray', value: ['team-a'] },
    '$now': { kind: 'datetime', value: 'ignored: $now is always ctx.now' },
    '$previous.stage': { kind: 'text', value: null },
  },
};
// 02:00Z is 10:00 on 2026-11-22 in Shanghai.
const ctx: EvalContext = { now: new Date('2026-11-22T02:00:00Z'), timeZone: 'Asia/Shanghai', user: { id: ME, teams: ['team-a'] } };
const v = (name: string) => ({ var: name });

/** `select "id" from "deals" where <rule>`, compiled. */
function golden(rule: unknown, t: RuleTarget = target, c: EvalContext = ctx) {
  const q = db.selectFrom('deals').select('id').where(compileRule(rule, t, c)).compile();
  return { sql: q.sql.replace(/^select "id" from "deals" where /, ''), parameters: q.parameters };
}

describe('compileRule: golden SQL per operator', () => {
  it.each<[string, unknown, string, unknown[]]>([
    ['== on text', { '==': [v('stage'), 'won'] }, '("stage" = $1::text and "stage" is not null)', ['won']],
    ['!= on text', { '!=': [v('name'), 'Acme'] }, '("name" <> $1::text and "name" is not null)', ['Acme']],
    ['> on decimal, bound as a string', { '>': [v('amount'), '1000.50'] }, '("amount" > $1::numeric and "amount" is not null)', ['1000.50']],
    ['a JSON number for a decimal', { '<=': [v('amount'), 20000] }, '("amount" <= $1::numeric and "amount" is not null)', ['20000']],
    ['>= on integer', { '>=': [v('qty'), 3] }, '("qty" >= $1::bigint and "qty" is not null)', [3]],
    ['literal on the left is mirrored', { '<': [3, v('qty')] }, '("qty" > $1::bigint and "qty" is not null)', [3]],
    ['== on boolean', { '==': [v('vip'), true] }, '("vip" = $1::boolean and "vip" is not null)', [true]],
    ['< on date', { '<': [v('close'), '2026-12-31'] }, '("expected_close" < $1::date and "expected_close" is not null)', ['2026-12-31']],
    ['== on uuid, lower-cased', { '==': [v('owner_id'), ME.toUpperCase()] }, '("owner_id" = $1::uuid and "owner_id" is not null)', [ME]],
    ['two columns', { '<': [v('amount'), v('budget')] }, '("amount" < "budget" and "amount" is not null and "budget" is not null)', []],
    ['a column against $user.id', { '==': [v('owner_id'), v('$user.id')] }, '("owner_id" = $1::uuid and "owner_id" is not null)', [ME]],
    ['$user.id on the left', { '==': [v('$user.id'), v('owner_id')] }, '("owner_id" = $1::uuid and "owner_id" is not null)', [ME]],
    ['in', { in: [v('stage'), ['won', 'lost']] }, '("stage" = any($1::text[]) and "stage" is not null)', [['won', 'lost']]],
    ['in on decimals', { in: [v('amount'), ['1.5', 2]] }, '("amount" = any($1::numeric[]) and "amount" is not null)', [['1.5', '2']]],
    ['in with an empty list', { in: [v('qty'), []] }, 'false', []],
    ['contains on text: ASCII-folded, LIKE-escaped', { contains: [v('name'), 'ACME 100%_\\'] }, '(lower("name" collate "C") like $1 and "name" is not null)', ['%acme 100\\%\\_\\\\%']],
    ['contains keeps other letters as they are', { contains: [v('name'), 'École 上海'] }, '(lower("name" collate "C") like $1 and "name" is not null)', ['%École 上海%']],
    ['startsWith', { startsWith: [v('name'), 'Shang_'] }, '(lower("name" collate "C") like $1 and "name" is not null)', ['shang\\_%']],
    ['contains on a multiselect', { contains: [v('tags'), 'hot'] }, '("tags" @> array[$1::text] and "tags" is not null)', ['hot']],
    ['contains on $user.teams', { contains: [v('$user.teams'), 'team-a'] }, '($1::text[] @> array[$2::text])', [['team-a'], 'team-a']],
    ['isEmpty on text', { isEmpty: [v('name')] }, '("name" is null or "name" = \'\')', []],
    ['isEmpty on a multiselect', { isEmpty: v('tags') }, '("tags" is null or cardinality("tags") = 0)', []],
    ['isEmpty on a number', { isEmpty: v('qty') }, '"qty" is null', []],
    ['isEmpty on a bound value', { isEmpty: v('$user.teams') }, 'false', []],
    ['a comparison with an empty bound value', { '!=': [v('stage'), v('$previous.stage')] }, 'false', []],
    ['not', { '!': { '==': [v('stage'), 'won'] } }, 'not ("stage" = $1::text and "stage" is not null)', ['won']],
    ['and, or', { and: [{ '>': [v('qty'), 1] }, { or: [{ isEmpty: v('vip') }, { '==': [v('vip'), false] }] }] },
      '(("qty" > $1::bigint and "qty" is not null) and ("vip" is null or ("vip" = $2::boolean and "vip" is not null)))', [1, false]],
    ['and with one argument', { and: [{ isEmpty: v('qty') }] }, '"qty" is null', []],
  ])('%s', (_what, rule, expectedSql, parameters) => {
    expect(golden(rule)).toEqual({ sql: expectedSql, parameters });
  });
});

describe('compileRule: the example in the doc comment', () => {
  it('is current', () => {
    const rule = { and: [{ '>': [v('amount'), '1000'] }, { '!': { in: [v('stage'), ['won', 'lost']] } }] };
    expect(golden(rule, { vars: { amount: { kind: 'decimal', column: 'amount' }, stage: { kind: 'text', column: 'stage' } } })).toEqual({
      sql: '(("amount" > $1::numeric and "amount" is not null) and not ("stage" = any($2::text[]) and "stage" is not null))',
      parameters: ['1000', ['won', 'lost']],
    });
  });
});

describe('compileRule: datetimes with millisecond precision', () => {
  it.each<[string, unknown, string, unknown[]]>([
    ['<', { '<': [v('seen'), '2026-11-22T08:30:00Z'] }, '("seen" < $1::timestamptz and "seen" is not null)', ['2026-11-22T08:30:00.000Z']],
    ['>=', { '>=': [v('seen'), '2026-11-22T16:30:00+08:00'] }, '("seen" >= $1::timestamptz and "seen" is not null)', ['2026-11-22T08:30:00.000Z']],
    ['<= is < the next millisecond', { '<=': [v('seen'), '2026-11-22T08:30:00Z'] }, '("seen" < $1::timestamptz and "seen" is not null)', ['2026-11-22T08:30:00.001Z']],
    ['> is >= the next millisecond', { '>': [v('seen'), '2026-11-22T08:30:00.999Z'] }, '("seen" >= $1::timestamptz and "seen" is not null)', ['2026-11-22T08:30:01.000Z']],
    ['== is within that millisecond', { '==': [v('seen'), '2026-11-22T08:30:00Z'] },
      '("seen" >= $1::timestamptz and "seen" < $2::timestamptz and "seen" is not null)', ['2026-11-22T08:30:00.000Z', '2026-11-22T08:30:00.001Z']],
    ['!= is outside it', { '!=': [v('seen'), '2026-11-22T08:30:00Z'] },
      '(("seen" < $1::timestamptz or "seen" >= $2::timestamptz) and "seen" is not null)', ['2026-11-22T08:30:00.000Z', '2026-11-22T08:30:00.001Z']],
    ['two columns, each truncated', { '<': [v('seen'), v('created_at')] },
      '(date_trunc(\'milliseconds\', "seen") < date_trunc(\'milliseconds\', "created_at") and "seen" is not null and "created_at" is not null)', []],
    ['in', { in: [v('seen'), ['2026-11-22T08:30:00Z']] }, '(date_trunc(\'milliseconds\', "seen") = any($1::timestamptz[]) and "seen" is not null)', [['2026-11-22T08:30:00.000Z']]],
    ['$now comes from ctx.now, never from the target', { '<': [v('seen'), v('$now')] }, '("seen" < $1::timestamptz and "seen" is not null)', ['2026-11-22T02:00:00.000Z']],
  ])('%s', (_what, rule, expectedSql, parameters) => {
    expect(golden(rule)).toEqual({ sql: expectedSql, parameters });
  });
});

describe('compileRule: date helpers are computed from ctx and bound', () => {
  it('binds the calendar day in the workspace time zone', () => {
    expect(golden({ '>=': [v('close'), { daysAgo: 7 }] })).toEqual({ sql: '("expected_close" >= $1::date and "expected_close" is not null)', parameters: ['2026-11-15'] });
    expect(golden({ '==': [v('close'), { daysFromNow: 1 }] }, target, { ...ctx, timeZone: 'America/New_York' }))
      .toEqual({ sql: '("expected_close" = $1::date and "expected_close" is not null)', parameters: ['2026-11-22'] });
  });

  it('binds the start of that day for a datetime', () => {
    expect(golden({ '>=': [v('seen'), { daysAgo: 0 }] })).toEqual({ sql: '("seen" >= $1::timestamptz and "seen" is not null)', parameters: ['2026-11-21T16:00:00.000Z'] });
    expect(golden({ '>=': [v('seen'), { daysAgo: 0 }] }, target, { ...ctx, timeZone: 'UTC' }).parameters).toEqual(['2026-11-22T00:00:00.000Z']);
  });

  it('refuses an unknown time zone', () => {
    expect(() => golden({ '>=': [v('close'), { daysAgo: 7 }] }, target, { ...ctx, timeZone: 'Mars/Olympus' })).toThrow(RuleCompileError);
  });
});

describe('compileRule: identifiers and values', () => {
  it('qualifies columns with a table alias', () => {
    expect(golden({ '==': [v('qty'), 1] }, { ...target, table: 'd' }).sql).toBe('("d"."qty" = $1::bigint and "d"."qty" is not null)');
  });

  it('refuses column names that are not plain identifiers', () => {
    for (const column of ['Name', 'name; drop table x', 'a"b', 'a.b', '', 'x'.repeat(64)]) {
      expect(() => golden({ isEmpty: v('name') }, { vars: { name: { kind: 'text', column } } }), column).toThrow(RuleCompileError);
    }
    expect(() => golden({ isEmpty: v('name') }, { vars: target.vars, table: 'd"; --' })).toThrow(RuleCompileError);
  });

  it('refuses an invalid rule and a var the target does not have', () => {
    expect(() => golden({ method: [] })).toThrow(/RULE_UNKNOWN_OPERATOR/);
    expect(() => golden({ isEmpty: v('nope') })).toThrow(/RULE_UNKNOWN_VAR/);
  });

  it('refuses a bound value that is not of its kind, instead of guessing', () => {
    expect(() => golden({ '==': [v('owner_id'), v('$user.id')] }, { vars: { ...target.vars, '$user.id': { kind: 'uuid', value: 'not-a-uuid' } } })).toThrow(/\$user.id/);
  });

  it('never puts a value into the SQL text', () => {
    const hostile = "x'); drop table deals; --";
    const q = golden({ or: [{ '==': [v('name'), hostile] }, { contains: [v('name'), hostile] }, { in: [v('name'), [hostile]] }, { startsWith: [v('name'), hostile] }] });
    expect(q.sql).not.toContain('drop');
    expect(q.parameters).toHaveLength(4);
  });
});
