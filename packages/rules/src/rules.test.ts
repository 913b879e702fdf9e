import { describe, expect, it } from 'vitest';
import { evaluate, explain, validate, vars, ruleMessages, compareDecimal, zonedDate, zonedMidnight, type RuleSchema, type RuleIssueCode } from './index.js';

const schema: RuleSchema = {
  vars: {
    name: { kind: 'text' },
    stage: { kind: 'text', options: ['initial', 'won', 'lost'] },
    amount: { kind: 'decimal' },
    qty: { kind: 'integer' },
    vip: { kind: 'boolean' },
    close: { kind: 'date' },
    seen: { kind: 'datetime' },
    tags: { kind: 'textArray', options: ['hot', 'cold'] },
    owner_id: { kind: 'uuid' },
    '$user.id': { kind: 'uuid' },
  },
};
const ctx = { now: new Date('2026-11-22T02:00:00Z'), timeZone: 'Asia/Shanghai', user: { id: '0190a1b2-0000-7000-8000-000000000001', teams: [] } };
const codes = (rule: unknown) => validate(rule, schema).map((i) => i.code);
const at = (rule: unknown) => validate(rule, schema).map((i) => `${i.code} ${i.pointer}`);
const ev = (rule: unknown, rec: Record<string, unknown>) => evaluate(rule, schema, rec, ctx);

describe('validate', () => {
  it('accepts the typed subset', () => {
    expect(validate({ and: [{ '>': [{ var: 'amount' }, '1000.50'] }, { in: [{ var: 'stage' }, ['won', 'lost']] }, { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }] }, schema)).toEqual([]);
  });

  const cases: [RuleIssueCode, unknown, string][] = [
    ['RULE_NOT_OBJECT', 'x', ''],
    ['RULE_NOT_OBJECT', { '==': [{ var: 'name' }, 'a'], '!=': [{ var: 'name' }, 'b'] }, ''],
    ['RULE_UNKNOWN_OPERATOR', { method: [{ var: 'name' }, 'toString'] }, '/method'],
    ['RULE_UNKNOWN_OPERATOR', { and: [{ __proto__x: 1 }] }, '/and/0/__proto__x'],
    ['RULE_UNKNOWN_VAR', { '==': [{ var: 'nope' }, 'a'] }, '/==/0/var'],
    ['RULE_UNKNOWN_VAR', { '==': [{ var: 'account.name' }, 'a'] }, '/==/0/var'],
    ['RULE_UNKNOWN_VAR', { '==': [{ var: '__proto__' }, 'a'] }, '/==/0/var'],
    ['RULE_BAD_ARITY', { '==': [{ var: 'name' }] }, '/=='],
    ['RULE_BAD_ARITY', { and: [] }, '/and'],
    ['RULE_TYPE_MISMATCH', { '==': ['a', 'b'] }, '/=='],
    ['RULE_TYPE_MISMATCH', { '==': [{ var: 'qty' }, { var: 'amount' }] }, '/==/1'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', { '<': [{ var: 'name' }, 'a'] }, '/<'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', { startsWith: [{ var: 'qty' }, 'a'] }, '/startsWith'],
    ['RULE_BAD_LITERAL', { '==': [{ var: 'qty' }, '3'] }, '/==/1'],
    ['RULE_BAD_LITERAL', { '==': [{ var: 'close' }, '2026-02-30'] }, '/==/1'],
    ['RULE_BAD_LITERAL', { '>': [{ var: 'amount' }, '1e3'] }, '/>/1'],
    ['RULE_BAD_LITERAL', { in: [{ var: 'qty' }, []] }, '/in/1'],
    ['RULE_UNKNOWN_OPTION', { '==': [{ var: 'stage' }, 'maybe'] }, '/==/1'],
    ['RULE_UNKNOWN_OPTION', { contains: [{ var: 'tags' }, 'warm'] }, '/contains/1'],
  ];
  it.each(cases)('%s for %j', (code, rule, pointer) => {
    expect(at(rule)).toContain(`${code} ${pointer}`);
  });

  it('refuses rules nested deeper than 20 levels', () => {
    let r: unknown = { '==': [{ var: 'name' }, 'a'] };
    for (let i = 0; i < 25; i++) r = { '!': r };
    expect(codes(r)).toEqual(['RULE_TOO_DEEP']);
  });

  it('refuses rules larger than 16 KB', () => {
    const r = { in: [{ var: 'name' }, Array.from({ length: 2000 }, (_, i) => `value-${i}`)] };
    expect(codes(r)).toEqual(['RULE_TOO_LARGE']);
  });

  it('has a message in both languages for every code', () => {
    for (const m of Object.values(ruleMessages)) {
      expect(m['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en.length).toBeGreaterThan(5);
    }
  });
});

describe('evaluate', () => {
  it('is strict: no coercion between "1" and 1', () => {
    expect(ev({ '==': [{ var: 'qty' }, 1] }, { qty: 1 })).toBe(true);
    expect(ev({ '==': [{ var: 'qty' }, 1] }, { qty: '1' })).toBe(false);
  });

  it('treats a comparison with an empty value as false, even !=, and lets ! negate it', () => {
    expect(ev({ '!=': [{ var: 'name' }, 'a'] }, { name: null })).toBe(false);
    expect(ev({ '<': [{ var: 'qty' }, 5] }, {})).toBe(false);
    expect(ev({ '!': { '==': [{ var: 'name' }, 'a'] } }, { name: null })).toBe(true);
  });

  it('compares decimals exactly, as strings', () => {
    expect(ev({ '>': [{ var: 'amount' }, '0.1'] }, { amount: '0.10000000000000000001' })).toBe(true);
    expect(ev({ '==': [{ var: 'amount' }, '12000'] }, { amount: '12000.00' })).toBe(true);
    expect(compareDecimal('-0.5', '-0.25')).toBe(-1);
    expect(compareDecimal('-0', '0.000')).toBe(0);
  });

  it('tests emptiness of null, "" and []', () => {
    expect(ev({ isEmpty: [{ var: 'name' }] }, { name: '' })).toBe(true);
    expect(ev({ isEmpty: [{ var: 'tags' }] }, { tags: [] })).toBe(true);
    expect(ev({ isEmpty: [{ var: 'tags' }] }, { tags: ['hot'] })).toBe(false);
  });

  it('matches text case-insensitively and literally (no wildcards)', () => {
    expect(ev({ contains: [{ var: 'name' }, 'ACME'] }, { name: '上海 acme 公司' })).toBe(true);
    expect(ev({ contains: [{ var: 'name' }, '%'] }, { name: 'abc' })).toBe(false);
    expect(ev({ startsWith: [{ var: 'name' }, '上海'] }, { name: '上海 acme 公司' })).toBe(true);
    expect(ev({ contains: [{ var: 'tags' }, 'hot'] }, { tags: ['cold', 'hot'] })).toBe(true);
  });

  it('counts days in the workspace time zone', () => {
    // 02:00Z is 10:00 on 2026-11-22 in Shanghai.
    expect(zonedDate(ctx.now, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(zonedDate(new Date('2026-11-21T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-22');
    expect(zonedDate(new Date('2026-11-21T17:00:00Z'), 'UTC')).toBe('2026-11-21');
    expect(new Date(zonedMidnight('2026-11-22', 'Asia/Shanghai')).toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(new Date(zonedMidnight('2026-03-08', 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(ev({ '>=': [{ var: 'close' }, { daysAgo: 7 }] }, { close: '2026-11-15' })).toBe(true);
    expect(ev({ '>=': [{ var: 'close' }, { daysAgo: 7 }] }, { close: '2026-11-14' })).toBe(false);
    expect(ev({ '>=': [{ var: 'seen' }, { daysAgo: 0 }] }, { seen: '2026-11-21T16:00:00Z' })).toBe(true);
    expect(ev({ '>=': [{ var: 'seen' }, { daysAgo: 0 }] }, { seen: '2026-11-21T15:59:59Z' })).toBe(false);
  });

  it('reads $user from the context, never from the record', () => {
    const r = { '==': [{ var: 'owner_id' }, { var: '$user.id' }] };
    expect(ev(r, { owner_id: ctx.user.id })).toBe(true);
    expect(ev(r, { owner_id: ctx.user.id, '$user.id': 'x' })).toBe(true);
    expect(ev(r, { owner_id: '0190a1b2-0000-7000-8000-000000000002' })).toBe(false);
  });

  it('refuses to evaluate an invalid rule', () => {
    expect(() => ev({ method: ['x', 'constructor'] }, {})).toThrow(/RULE_UNKNOWN_OPERATOR/);
  });
});

describe('vars and explain', () => {
  it('lists the variables a rule reads', () => {
    expect(vars({ and: [{ '>': [{ var: 'amount' }, '1'] }, { '==': [{ var: 'stage' }, 'won'] }, { '>': [{ var: 'amount' }, '2'] }] })).toEqual(['amount', 'stage']);
  });

  it('says a rule in plain words in both languages', () => {
    const r = { and: [{ '>': [{ var: 'amount' }, '1000'] }, { '==': [{ var: 'stage' }, 'won'] }] };
    const labels: Record<string, string> = { amount: '金额', stage: '阶段' };
    expect(explain(r, schema, 'zh-CN', (n) => labels[n] ?? n)).toBe('金额 大于 1000 且 阶段 等于 won');
    expect(explain({ '>=': [{ var: 'close' }, { daysAgo: 7 }] }, schema, 'en')).toBe('close >= 7 days ago');
  });
});

describe('hostile input', () => {
  it('refuses __proto__ arriving through JSON as an operator or a var', () => {
    expect(validate(JSON.parse('{"__proto__": {"==": [1, 1]}}'), schema).map((i) => i.code)).toEqual(['RULE_UNKNOWN_OPERATOR']);
    expect(validate(JSON.parse('{"==": [{"var": "constructor"}, "x"]}'), schema).map((i) => i.code)).toEqual(['RULE_UNKNOWN_VAR']);
  });
});
