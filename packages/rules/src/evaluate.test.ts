import { describe, expect, it } from 'vitest';
import { evaluate, prepare, RuleError, type EvalContext, type RuleSchema } from './index.js';

const schema: RuleSchema = {
  vars: {
    name: { kind: 'text' },
    stage: { kind: 'text', options: ['initial', 'won', 'lost'] },
    amount: { kind: 'decimal' },
    budget: { kind: 'decimal' },
    qty: { kind: 'integer' },
    vip: { kind: 'boolean' },
    close: { kind: 'date' },
    seen: { kind: 'datetime' },
    tags: { kind: 'textArray', options: ['hot', 'cold', 'Hot'] },
    owner_id: { kind: 'uuid' },
    '$user.id': { kind: 'uuid' },
    '$user.teams': { kind: 'textArray' },
    '$now': { kind: 'datetime' },
    '$previous.stage': { kind: 'text', options: ['initial', 'won', 'lost'] },
  },
};
const ME = '0190a1b2-0000-7000-8000-000000000001';
// 02:00Z is 10:00 on 2026-11-22 in Shanghai, still 2026-11-21 in New York.
const ctx: EvalContext = { now: new Date('2026-11-22T02:00:00Z'), timeZone: 'Asia/Shanghai', user: { id: ME, teams: ['team-a'] } };
const v = (name: string) => ({ var: name });
const ev = (rule: unknown, rec: Record<string, unknown>, c: EvalContext = ctx) => evaluate(rule, schema, rec, c);
/** The ids among `records` that a rule selects. */
const pick = (rule: unknown, records: Record<string, Record<string, unknown>>, c: EvalContext = ctx) =>
  Object.entries(records).filter(([, r]) => ev(rule, r, c)).map(([id]) => id);

describe('equality is strict', () => {
  it('never coerces between JSON types', () => {
    expect(ev({ '==': [v('qty'), 1] }, { qty: 1 })).toBe(true);
    expect(ev({ '==': [v('qty'), 1] }, { qty: '1' })).toBe(false);
    expect(ev({ '!=': [v('qty'), 1] }, { qty: '1' })).toBe(false); // a malformed value compares like an empty one
    expect(ev({ '==': [v('vip'), true] }, { vip: 1 })).toBe(false);
    expect(ev({ '==': [v('name'), '1'] }, { name: 1 })).toBe(false);
    expect(ev({ '==': [v('amount'), '5'] }, { amount: 5 })).toBe(false); // decimals travel as strings
  });

  it('compares text exactly (case matters for ==)', () => {
    expect(pick({ '==': [v('name'), 'Acme'] }, { a: { name: 'Acme' }, b: { name: 'acme' }, c: { name: 'Acme ' } })).toEqual(['a']);
  });

  it('compares uuids ignoring case', () => {
    expect(ev({ '==': [v('owner_id'), ME.toUpperCase()] }, { owner_id: ME })).toBe(true);
    expect(ev({ '==': [v('owner_id'), ME] }, { owner_id: ME.toUpperCase() })).toBe(true); // a form may hold an upper-case id
    expect(ev({ '==': [v('owner_id'), v('$user.id')] }, { owner_id: ME.toUpperCase() })).toBe(true);
  });
});

describe('null and empty', () => {
  const rows = { nul: { name: null }, missing: {}, empty: { name: '' }, a: { name: 'a' }, b: { name: 'b' } };

  it('makes every comparison with an empty side false, != included', () => {
    expect(pick({ '==': [v('name'), 'a'] }, rows)).toEqual(['a']);
    expect(pick({ '!=': [v('name'), 'a'] }, rows)).toEqual(['empty', 'b']);
    expect(pick({ in: [v('name'), ['a', 'b']] }, rows)).toEqual(['a', 'b']);
    expect(pick({ '<': [v('qty'), 5] }, { nul: { qty: null }, missing: {}, four: { qty: 4 } })).toEqual(['four']);
    expect(pick({ contains: [v('name'), ''] }, rows)).toEqual(['empty', 'a', 'b']);
  });

  it('lets ! negate that false to true', () => {
    expect(pick({ '!': { '==': [v('name'), 'a'] } }, rows)).toEqual(['nul', 'missing', 'empty', 'b']);
    expect(pick({ '!': { '!=': [v('name'), 'a'] } }, rows)).toEqual(['nul', 'missing', 'a']);
    expect(pick({ '!': { contains: [v('tags'), 'hot'] } }, { nul: { tags: null }, hot: { tags: ['hot'] } })).toEqual(['nul']);
  });

  it('tests emptiness of null, missing, "" and []', () => {
    expect(pick({ isEmpty: [v('name')] }, rows)).toEqual(['nul', 'missing', 'empty']);
    expect(pick({ isEmpty: v('tags') }, { nul: { tags: null }, none: { tags: [] }, one: { tags: ['hot'] } })).toEqual(['nul', 'none']);
    expect(pick({ isEmpty: v('qty') }, { zero: { qty: 0 }, nul: { qty: null } })).toEqual(['nul']);
    expect(pick({ isEmpty: v('vip') }, { no: { vip: false }, nul: { vip: null } })).toEqual(['nul']);
  });

  it('compares two fields only when both have a value', () => {
    const r = { '<': [v('amount'), v('budget')] };
    expect(pick(r, { both: { amount: '1', budget: '2' }, noBudget: { amount: '1', budget: null }, noAmount: { budget: '2' } })).toEqual(['both']);
  });
});

describe('numbers', () => {
  it('compares decimals exactly as decimal strings, never through floats', () => {
    expect(ev({ '>': [v('amount'), '0.1'] }, { amount: '0.10000000000000000001' })).toBe(true);
    expect(ev({ '==': [v('amount'), '12000'] }, { amount: '12000.00' })).toBe(true);
    expect(ev({ '==': [v('amount'), 12000.5] }, { amount: '12000.50' })).toBe(true);
    expect(ev({ '<': [v('amount'), '-0.25'] }, { amount: '-0.5' })).toBe(true);
    expect(ev({ '==': [v('amount'), '0'] }, { amount: '-0.000' })).toBe(true);
    expect(ev({ '>': [v('amount'), '9007199254740993'] }, { amount: '9007199254740992.5' })).toBe(false);
    expect(ev({ '>': [v('amount'), '99999999999999999999.99'] }, { amount: '100000000000000000000' })).toBe(true);
  });

  it('orders integers', () => {
    expect(pick({ '>=': [v('qty'), 3] }, { two: { qty: 2 }, three: { qty: 3 }, big: { qty: 2 ** 53 - 1 } })).toEqual(['three', 'big']);
    expect(pick({ '<': [3, v('qty')] }, { two: { qty: 2 }, four: { qty: 4 } })).toEqual(['four']); // literal on the left
  });

  it('finds a value in a list, and nothing in an empty list', () => {
    expect(pick({ in: [v('amount'), ['1.5', '2']] }, { a: { amount: '1.50' }, b: { amount: '2.000' }, c: { amount: '2.5' } })).toEqual(['a', 'b']);
    expect(pick({ in: [v('qty'), []] }, { a: { qty: 1 }, b: { qty: null } })).toEqual([]);
    expect(pick({ '!': { in: [v('qty'), []] } }, { a: { qty: 1 }, b: { qty: null } })).toEqual(['a', 'b']);
  });
});

describe('text tests', () => {
  const names = { acme: { name: '上海 Acme 公司' }, upper: { name: 'ACME LTD' }, pct: { name: '100% off_now\\x' }, accent: { name: 'École' }, none: { name: null } };

  it('contains: a literal substring, ASCII letters folded', () => {
    expect(pick({ contains: [v('name'), 'acme'] }, names)).toEqual(['acme', 'upper']);
    expect(pick({ contains: [v('name'), 'Acme 公'] }, names)).toEqual(['acme']);
    expect(pick({ contains: [v('name'), '%'] }, names)).toEqual(['pct']); // no LIKE wildcards
    expect(pick({ contains: [v('name'), '_'] }, names)).toEqual(['pct']);
    expect(pick({ contains: [v('name'), '\\'] }, names)).toEqual(['pct']);
    expect(pick({ contains: [v('name'), 'o%'] }, names)).toEqual([]);
  });

  it('folds only A-Z: accented and other letters match exactly', () => {
    expect(pick({ contains: [v('name'), 'école'] }, names)).toEqual([]);
    expect(pick({ contains: [v('name'), 'École'] }, names)).toEqual(['accent']);
    expect(pick({ contains: [v('name'), 'ÉCOLE'] }, names)).toEqual(['accent']); // COLE folds, É stays É
    expect(pick({ contains: [v('name'), 'i'] }, { dotted: { name: 'İstanbul' }, plain: { name: 'Istanbul' } })).toEqual(['plain']);
    expect(pick({ contains: [v('name'), 'ａ'] }, { full: { name: 'Ａ' } })).toEqual([]); // fullwidth letters are not folded
  });

  it('startsWith: a literal prefix, ASCII letters folded', () => {
    expect(pick({ startsWith: [v('name'), '上海'] }, names)).toEqual(['acme']);
    expect(pick({ startsWith: [v('name'), 'acme l'] }, names)).toEqual(['upper']);
    expect(pick({ startsWith: [v('name'), '100%'] }, names)).toEqual(['pct']);
    expect(pick({ startsWith: [v('name'), '1_0'] }, names)).toEqual([]);
  });

  it('contains on a multiselect: an element, exactly', () => {
    const rows = { hot: { tags: ['cold', 'hot'] }, cap: { tags: ['Hot'] }, none: { tags: [] }, nul: { tags: null } };
    expect(pick({ contains: [v('tags'), 'hot'] }, rows)).toEqual(['hot']);
    expect(pick({ contains: [v('tags'), 'Hot'] }, rows)).toEqual(['cap']);
  });
});

describe('dates and date helpers', () => {
  it('compares dates as calendar dates', () => {
    expect(pick({ '<': [v('close'), '2026-11-22'] }, { a: { close: '2026-11-21' }, b: { close: '2026-11-22' }, c: { close: '2025-12-31' } })).toEqual(['a', 'c']);
  });

  it('counts daysAgo / daysFromNow from today in the workspace time zone', () => {
    const rows = { d14: { close: '2026-11-14' }, d15: { close: '2026-11-15' }, d22: { close: '2026-11-22' }, d23: { close: '2026-11-23' } };
    expect(pick({ '>=': [v('close'), { daysAgo: 7 }] }, rows)).toEqual(['d15', 'd22', 'd23']);
    expect(pick({ '==': [v('close'), { daysAgo: 0 }] }, rows)).toEqual(['d22']);
    expect(pick({ '==': [v('close'), { daysFromNow: 1 }] }, rows)).toEqual(['d23']);
    // The same instant is still the 21st in New York, so "today" is the 21st there.
    expect(pick({ '==': [v('close'), { daysFromNow: 1 }] }, rows, { ...ctx, timeZone: 'America/New_York' })).toEqual(['d22']);
    expect(pick({ '==': [v('close'), { daysAgo: -1 }] }, rows)).toEqual(['d23']);
  });

  it('means the start of that day when compared with a datetime', () => {
    // Today in Shanghai began at 2026-11-21T16:00:00Z.
    const rows = { before: { seen: '2026-11-21T15:59:59.999Z' }, start: { seen: '2026-11-21T16:00:00.000Z' }, later: { seen: '2026-11-22T01:00:00Z' } };
    expect(pick({ '>=': [v('seen'), { daysAgo: 0 }] }, rows)).toEqual(['start', 'later']);
    expect(pick({ '==': [v('seen'), { daysAgo: 0 }] }, rows)).toEqual(['start']);
    expect(pick({ '<': [v('seen'), { daysFromNow: 1 }] }, rows)).toEqual(['before', 'start', 'later']);
    expect(pick({ '>=': [v('seen'), { daysAgo: 0 }] }, rows, { ...ctx, timeZone: 'UTC' })).toEqual(['later']);
  });

  it('compares datetimes as instants with millisecond precision, whatever the offset notation', () => {
    expect(ev({ '==': [v('seen'), '2026-11-22T10:00:00+08:00'] }, { seen: '2026-11-22T02:00:00.000Z' })).toBe(true);
    expect(ev({ '==': [v('seen'), '2026-11-22T02:00:00.123Z'] }, { seen: '2026-11-22T02:00:00.123999Z' })).toBe(true); // sub-ms digits are truncated like node-postgres does
    expect(ev({ '>': [v('seen'), '2026-11-22T02:00:00.123Z'] }, { seen: '2026-11-22T02:00:00.124Z' })).toBe(true);
    expect(ev({ '==': [v('seen'), '2026-11-22T02:00:00Z'] }, { seen: 'yesterday' })).toBe(false);
  });

  it('reads $now from the context', () => {
    expect(pick({ '<': [v('seen'), v('$now')] }, { past: { seen: '2026-11-22T01:59:59.999Z' }, now: { seen: '2026-11-22T02:00:00Z' } })).toEqual(['past']);
  });
});

describe('context variables', () => {
  it('reads $user from the context, never from the record', () => {
    const r = { '==': [v('owner_id'), v('$user.id')] };
    expect(ev(r, { owner_id: ME })).toBe(true);
    expect(ev(r, { owner_id: ME, '$user.id': 'x' })).toBe(true);
    expect(ev(r, { owner_id: '0190a1b2-0000-7000-8000-000000000002', '$user.id': '0190a1b2-0000-7000-8000-000000000002' })).toBe(false);
    expect(ev(r, { owner_id: ME }, { now: ctx.now, timeZone: 'UTC' })).toBe(false); // no user: empty
    expect(ev({ contains: [v('$user.teams'), 'team-a'] }, {})).toBe(true);
    expect(ev({ isEmpty: v('$user.teams') }, {}, { now: ctx.now, timeZone: 'UTC' })).toBe(true);
  });

  it('reads $previous from the context', () => {
    const r = { and: [{ '==': [v('stage'), 'won'] }, { '!=': [v('$previous.stage'), 'won'] }] };
    expect(ev(r, { stage: 'won' }, { ...ctx, previous: { stage: 'initial' } })).toBe(true);
    expect(ev(r, { stage: 'won' }, { ...ctx, previous: { stage: 'won' } })).toBe(false);
    expect(ev(r, { stage: 'won' }, ctx)).toBe(false); // no previous record: a comparison with empty is false
  });

  it('reads only own properties of the record', () => {
    const rec = Object.create({ name: 'inherited' }) as Record<string, unknown>;
    expect(ev({ isEmpty: v('name') }, rec)).toBe(true);
  });
});

describe('and, or', () => {
  it('combine conditions', () => {
    const rows = { a: { qty: 1, vip: true }, b: { qty: 5, vip: true }, c: { qty: 5, vip: false } };
    expect(pick({ and: [{ '>': [v('qty'), 2] }, { '==': [v('vip'), true] }] }, rows)).toEqual(['b']);
    expect(pick({ or: [{ '<': [v('qty'), 2] }, { '==': [v('vip'), false] }] }, rows)).toEqual(['a', 'c']);
  });
});

describe('evaluate entry points', () => {
  it('evaluates a prepared rule without a schema, and refuses raw JSON without one', () => {
    const p = prepare({ '>': [v('amount'), '1000'] }, schema);
    expect(evaluate(p, { amount: '1000.01' }, ctx)).toBe(true);
    expect(evaluate(p, { amount: '999' }, ctx)).toBe(false);
    expect(() => evaluate({ node: { kind: 'and', args: [] } } as never, {}, ctx)).toThrow(TypeError);
  });

  it('refuses to evaluate an invalid rule, naming the issue', () => {
    expect(() => ev({ method: ['x', 'constructor'] }, {})).toThrow(RuleError);
    expect(() => ev({ method: ['x', 'constructor'] }, {})).toThrow(/RULE_UNKNOWN_OPERATOR at \/method/);
    expect(() => prepare({ and: [] }, schema)).toThrow(/RULE_BAD_ARITY/);
  });

  it('is deterministic and does not mutate its inputs', () => {
    const rule = { and: [{ '>=': [v('close'), { daysAgo: 7 }] }, { contains: [v('name'), 'A'] }] };
    const rec = { close: '2026-11-20', name: 'xa' };
    const before = JSON.stringify([rule, rec]);
    const results = Array.from({ length: 5 }, () => ev(rule, rec));
    expect(results).toEqual([true, true, true, true, true]);
    expect(JSON.stringify([rule, rec])).toBe(before);
  });
});
