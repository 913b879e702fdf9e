import { describe, expect, it } from 'vitest';
import { OPERATORS, parse, ruleMessages, validate, type RuleIssue, type RuleIssueCode, type RuleSchema } from './index.js';

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
    '$user.teams': { kind: 'textArray' },
    '$now': { kind: 'datetime' },
    '$previous.stage': { kind: 'text', options: ['initial', 'won', 'lost'] },
  },
};

const v = (name: string) => ({ var: name });
const at = (rule: unknown) => validate(rule, schema).map((i) => `${i.code} ${i.pointer}`);
const codes = (rule: unknown) => validate(rule, schema).map((i) => i.code);
const nest = (levels: number) => {
  let r: unknown = { '==': [v('name'), 'a'] };
  for (let i = 1; i < levels; i++) r = { '!': r };
  return r;
};

describe('validate accepts the typed subset', () => {
  it.each<[string, unknown]>([
    ['decimal against a string or a plain JSON number', { and: [{ '>': [v('amount'), '1000.50'] }, { '<': [v('amount'), 20000] }] }],
    ['a select in its options', { in: [v('stage'), ['won', 'lost']] }],
    ['a field against a context variable', { '==': [v('owner_id'), v('$user.id')] }],
    ['a literal on the left', { '<': [1000, v('amount')] }],
    ['date helpers against date and datetime', { or: [{ '>=': [v('close'), { daysAgo: 7 }] }, { '<': [v('seen'), { daysFromNow: [1] }] }] }],
    ['an element of a multiselect and of $user.teams', { and: [{ contains: [v('tags'), 'hot'] }, { contains: [v('$user.teams'), 'team-a'] }] }],
    ['text tests, emptiness and negation', { '!': { or: [{ contains: [v('name'), 'ACME'] }, { startsWith: [v('name'), '上海'] }, { isEmpty: v('name') }] } }],
    ['var written as a one-element list', { '==': [{ var: ['qty'] }, 3] }],
    ['in with an empty list (false, not an error)', { in: [v('qty'), []] }],
    ['$previous of a field', { '!=': [v('stage'), v('$previous.stage')] }],
    ['datetime with an offset and milliseconds', { '<': [v('seen'), '2026-11-22T08:30:00.125+08:00'] }],
    ['exactly 20 levels', nest(20)],
    ['contains with an empty needle', { contains: [v('name'), ''] }],
  ])('%s', (_what, rule) => {
    expect(validate(rule, schema)).toEqual([]);
  });

  it('normalises comparisons so the field is on the left', () => {
    const r = parse({ '<': [1000, v('amount')] }, schema);
    expect(r.ok && r.node).toMatchObject({ kind: 'compare', op: '>', left: { name: 'amount' }, right: { kind: 'literal', value: '1000' } });
  });

  it('returns frozen nodes', () => {
    const r = parse({ and: [{ '==': [v('qty'), 1] }] }, schema);
    expect(r.ok).toBe(true);
    if (!r.ok || r.node.kind !== 'and') return;
    expect(Object.isFrozen(r.node)).toBe(true);
    expect(Object.isFrozen(r.node.args)).toBe(true);
    expect(Object.isFrozen(r.node.args[0])).toBe(true);
  });
});

describe('validate refuses, with a pointer into the rule', () => {
  const cases: [RuleIssueCode, string, unknown, string][] = [
    ['RULE_NOT_OBJECT', 'a string', 'x', ''],
    ['RULE_NOT_OBJECT', 'an array', [{ '==': [v('name'), 'a'] }], ''],
    ['RULE_NOT_OBJECT', 'a bare true', true, ''],
    ['RULE_NOT_OBJECT', 'two operators in one object', { '==': [v('name'), 'a'], '!=': [v('name'), 'b'] }, ''],
    ['RULE_NOT_OBJECT', 'an empty object inside and', { and: [{}] }, '/and/0'],
    ['RULE_NOT_OBJECT', 'a function value', { '==': [v('name'), () => 'x'] }, '/==/1'],
    ['RULE_UNKNOWN_OPERATOR', 'method', { method: [v('name'), 'toString'] }, '/method'],
    ['RULE_UNKNOWN_OPERATOR', 'method in operand position', { '==': [v('name'), { method: [v('name'), 'toString'] }] }, '/==/1/method'],
    ['RULE_UNKNOWN_OPERATOR', 'an operator json-logic has but we do not', { and: [{ '+': [1, 2] }] }, '/and/0/+'],
    ['RULE_UNKNOWN_OPERATOR', 'a pointer-escaped key', { 'a/b~c': [] }, '/a~1b~0c'],
    ['RULE_UNKNOWN_VAR', 'a field not in the schema', { '==': [v('nope'), 'a'] }, '/==/0/var'],
    ['RULE_UNKNOWN_VAR', 'a dotted relation path', { '==': [v('account.name'), 'a'] }, '/==/0/var'],
    ['RULE_UNKNOWN_VAR', 'a context variable the schema does not list', { '==': [v('$previous.qty'), 1] }, '/==/0/var'],
    ['RULE_UNKNOWN_VAR', 'a $user path that does not exist', { '==': [v('$user.password'), 'x'] }, '/==/0/var'],
    ['RULE_UNKNOWN_VAR', 'the whole record (empty var)', { isEmpty: [v('')] }, '/isEmpty/0/var'],
    ['RULE_UNKNOWN_VAR', 'a numeric var', { isEmpty: [{ var: 1 }] }, '/isEmpty/0/var'],
    ['RULE_BAD_ARITY', 'a comparison with one side', { '==': [v('name')] }, '/=='],
    ['RULE_BAD_ARITY', "json-logic's three-way between", { '<': [1, v('qty'), 10] }, '/<'],
    ['RULE_BAD_ARITY', 'an empty and', { and: [] }, '/and'],
    ['RULE_BAD_ARITY', 'an empty or', { or: [] }, '/or'],
    ['RULE_BAD_ARITY', 'not with two arguments', { '!': [{ isEmpty: v('name') }, { isEmpty: v('qty') }] }, '/!'],
    ['RULE_BAD_ARITY', 'a var with a default value', { '==': [{ var: ['qty', 0] }, 1] }, '/==/0/var'],
    ['RULE_BAD_ARITY', 'isEmpty with two fields', { isEmpty: [v('name'), v('qty')] }, '/isEmpty'],
    ['RULE_TYPE_MISMATCH', 'two literals', { '==': ['a', 'b'] }, '/=='],
    ['RULE_TYPE_MISMATCH', 'fields of different kinds', { '==': [v('qty'), v('amount')] }, '/==/1'],
    ['RULE_TYPE_MISMATCH', 'a date helper against an integer', { '>': [v('qty'), { daysAgo: 1 }] }, '/>/1/daysAgo'],
    ['RULE_TYPE_MISMATCH', 'a var as a condition', { and: [v('vip')] }, '/and/0/var'],
    ['RULE_TYPE_MISMATCH', 'a condition as a value', { '==': [v('vip'), { '==': [v('qty'), 1] }] }, '/==/1/=='],
    ['RULE_TYPE_MISMATCH', 'in with the list first', { in: ['hot', v('tags')] }, '/in'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', '< on text', { '<': [v('name'), 'a'] }, '/<'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', '< on uuid', { '<': [v('owner_id'), '0190a1b2-0000-7000-8000-000000000001'] }, '/<'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', '>= on boolean', { '>=': [v('vip'), true] }, '/>='],
    ['RULE_OPERATOR_NOT_FOR_TYPE', '== on a multiselect', { '==': [v('tags'), 'hot'] }, '/=='],
    ['RULE_OPERATOR_NOT_FOR_TYPE', 'in on a multiselect', { in: [v('tags'), ['hot']] }, '/in'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', 'startsWith on an integer', { startsWith: [v('qty'), '1'] }, '/startsWith'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', 'startsWith on a multiselect', { startsWith: [v('tags'), 'h'] }, '/startsWith'],
    ['RULE_OPERATOR_NOT_FOR_TYPE', 'contains on a decimal', { contains: [v('amount'), '1'] }, '/contains'],
    ['RULE_BAD_LITERAL', 'a string against an integer', { '==': [v('qty'), '3'] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'a fraction against an integer', { '==': [v('qty'), 1.5] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'an unsafe integer', { '==': [v('qty'), 2 ** 53] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'a number against text', { '==': [v('name'), 1] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'null (use isEmpty)', { '==': [v('name'), null] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'an impossible date', { '==': [v('close'), '2026-02-30'] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'a datetime against a date', { '==': [v('close'), '2026-02-03T00:00:00Z'] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'a datetime without a zone', { '<': [v('seen'), '2026-11-22T08:30:00'] }, '/</1'],
    ['RULE_BAD_LITERAL', 'a datetime with microseconds', { '<': [v('seen'), '2026-11-22T08:30:00.123456Z'] }, '/</1'],
    ['RULE_BAD_LITERAL', 'a decimal in exponent form', { '>': [v('amount'), '1e3'] }, '/>/1'],
    ['RULE_BAD_LITERAL', 'a JSON number whose shortest form has an exponent', { '>': [v('amount'), 1e21] }, '/>/1'],
    ['RULE_BAD_LITERAL', 'a string against a boolean', { '==': [v('vip'), 'true'] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'a malformed uuid', { '==': [v('owner_id'), 'abc'] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'in with a string instead of a list', { in: [v('name'), 'abc'] }, '/in/1'],
    ['RULE_BAD_LITERAL', 'a wrong element in an in list', { in: [v('qty'), [1, '2']] }, '/in/1/1'],
    ['RULE_BAD_LITERAL', 'a NUL character', { '==': [v('name'), 'a\u0000b'] }, '/==/1'],
    ['RULE_BAD_LITERAL', 'a lone surrogate', { contains: [v('name'), '\ud800'] }, '/contains/1'],
    ['RULE_BAD_LITERAL', 'contains with a number', { contains: [v('name'), 1] }, '/contains/1'],
    ['RULE_BAD_LITERAL', 'a fractional day count', { '>': [v('close'), { daysAgo: 1.5 }] }, '/>/1/daysAgo'],
    ['RULE_BAD_LITERAL', 'a day count written as a string', { '>': [v('close'), { daysFromNow: ['1'] }] }, '/>/1/daysFromNow/0'],
    ['RULE_UNKNOWN_OPTION', 'a select value that is not an option', { '==': [v('stage'), 'maybe'] }, '/==/1'],
    ['RULE_UNKNOWN_OPTION', 'an option label instead of its key', { in: [v('stage'), ['won', '赢单']] }, '/in/1/1'],
    ['RULE_UNKNOWN_OPTION', 'a multiselect element that is not an option', { contains: [v('tags'), 'warm'] }, '/contains/1'],
    ['RULE_TOO_DEEP', '21 levels', nest(21), '/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!/!'],
    ['RULE_TOO_LARGE', 'more than 16 KB', { in: [v('name'), Array.from({ length: 2000 }, (_, i) => `value-${i}`)] }, ''],
  ];

  it.each(cases)('%s: %s', (code, _what, rule, pointer) => {
    expect(at(rule)).toContain(`${code} ${pointer}`);
  });

  it('covers every issue code', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(Object.keys(ruleMessages)));
  });

  it('reports every independent problem, not only the first', () => {
    expect(at({ and: [{ '==': [v('nope'), 1] }, { '<': [v('name'), 'a'] }] })).toEqual(['RULE_UNKNOWN_VAR /and/0/==/0/var', 'RULE_OPERATOR_NOT_FOR_TYPE /and/1/<']);
  });

  it('counts 16 KB of UTF-8, not characters', () => {
    const rule = (n: number) => ({ '==': [v('name'), '中'.repeat(n)] });
    // Each 中 is 3 bytes; the frame {"==":[{"var":"name"},""]} is 26 bytes. A literal is at most 1,000 characters,
    // so spread the text over an in list to reach the size limit.
    const list = (n: number) => ({ in: [v('name'), Array.from({ length: n }, () => '中'.repeat(1000))] });
    expect(codes(rule(1000))).toEqual([]);
    expect(codes(list(5))).toEqual([]); // ~15 KB
    expect(codes(list(6))).toEqual(['RULE_TOO_LARGE']); // ~18 KB
  });
});

describe('hostile rules', () => {
  it('refuses __proto__, constructor and prototype anywhere, as parsed from JSON', () => {
    const hostile = [
      '{"__proto__": {"==": [1, 1]}}',
      '{"and": [{"constructor": {"prototype": 1}}]}',
      '{"==": [{"var": "name", "__proto__": {"x": 1}}, "a"]}',
      '{"in": [{"var": "name"}, [{"prototype": 1}]]}',
    ];
    for (const json of hostile) {
      const issues = validate(JSON.parse(json), schema);
      expect(issues.map((i) => i.code), json).toEqual(['RULE_UNKNOWN_OPERATOR']);
      expect(issues[0]!.pointer, json).toMatch(/(__proto__|constructor|prototype)$/);
    }
  });

  it.each(['__proto__', 'constructor', 'prototype', '__proto__.constructor', 'constructor.prototype', '$previous.constructor', 'toString', 'hasOwnProperty'])(
    'refuses the var %s even when the schema object inherits it',
    (name) => {
      expect(codes({ '==': [v(name), 'x'] })).toEqual(['RULE_UNKNOWN_VAR']);
    },
  );

  it('refuses a var the caller put in the schema when it is not a field key or a context variable', () => {
    const loose: RuleSchema = { vars: { 'account.name': { kind: 'text' }, Name: { kind: 'text' } } };
    expect(validate({ '==': [v('account.name'), 'x'] }, loose).map((i) => i.code)).toEqual(['RULE_UNKNOWN_VAR']);
    expect(validate({ '==': [v('Name'), 'x'] }, loose).map((i) => i.code)).toEqual(['RULE_UNKNOWN_VAR']);
  });

  it('refuses 1,000 levels of nesting and 1 MB of JSON quickly, without recursion trouble', () => {
    let deep: unknown = { isEmpty: v('name') };
    for (let i = 0; i < 1000; i++) deep = { and: [deep] };
    expect(codes(deep)).toEqual(['RULE_TOO_DEEP']);
    const big = { in: [v('name'), Array.from({ length: 100_000 }, () => 'x'.repeat(10))] };
    const t0 = performance.now();
    expect(codes(big)).toEqual(['RULE_TOO_LARGE']);
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('never calls code in the value: getters, toJSON, class instances', () => {
    let called = false;
    const getter = { '==': [v('name'), 'a'] } as Record<string, unknown>;
    Object.defineProperty(getter, '!=', { enumerable: true, get: () => ((called = true), []) });
    expect(codes({ and: [getter] })).toContain('RULE_NOT_OBJECT');
    const withToJson = { isEmpty: v('name'), toJSON: () => ((called = true), {}) };
    expect(codes(withToJson)).toEqual(['RULE_NOT_OBJECT']);
    expect(codes({ '==': [v('close'), new Date('2026-01-01')] })).toEqual(['RULE_NOT_OBJECT']);
    expect(codes({ '==': [v('qty'), 10n] })).toEqual(['RULE_NOT_OBJECT']);
    expect(called).toBe(false);
  });

  it('never throws, whatever it is given', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.and = [cyclic];
    const hostileProxy = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    for (const x of [undefined, null, 0, NaN, Symbol('x'), () => 1, cyclic, hostileProxy, { '==': [v('qty'), NaN] }, { '==': [v('qty'), Infinity] }]) {
      expect(() => validate(x, schema)).not.toThrow();
      expect(validate(x, schema).length).toBeGreaterThan(0);
    }
  });

  it('only knows the allowlisted operators', () => {
    expect([...OPERATORS].sort()).toEqual(['!', '!=', '<', '<=', '==', '>', '>=', 'and', 'contains', 'daysAgo', 'daysFromNow', 'in', 'isEmpty', 'or', 'startsWith', 'var'].sort());
    for (const op of ['method', 'if', '?:', '===', '!!', 'merge', 'cat', 'substr', 'some', 'all', 'none', 'reduce', 'map', 'filter', 'missing', 'missing_some', 'log', '+', 'max']) {
      expect(codes({ [op]: [v('qty'), 1] }), op).toEqual(['RULE_UNKNOWN_OPERATOR']);
    }
  });
});

describe('messages', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

  it('has zh-CN and English for every code, with the same placeholders', () => {
    for (const [code, m] of Object.entries(ruleMessages)) {
      expect(m['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en.length, code).toBeGreaterThan(5);
      expect(placeholders(m['zh-CN']), code).toEqual(placeholders(m.en));
    }
  });

  it('gets every placeholder filled from the params validate reports', () => {
    const samples: unknown[] = [
      'x', { method: [] }, { '==': [v('nope'), 1] }, { and: [] }, { '==': ['a', 'b'] }, { '==': [v('qty'), v('amount')] }, { '<': [v('name'), 'a'] },
      { '==': [v('qty'), '1'] }, { '==': [v('stage'), 'maybe'] }, nest(21), { in: [v('name'), Array.from({ length: 2000 }, (_, i) => `value-${i}`)] },
      { '>': [v('qty'), { daysAgo: 1 }] }, { contains: [v('tags'), 'warm'] }, { '!': [] },
    ];
    const seen = new Set<RuleIssueCode>();
    for (const rule of samples) {
      for (const issue of validate(rule, schema) as RuleIssue[]) {
        seen.add(issue.code);
        for (const lang of ['zh-CN', 'en'] as const) {
          for (const p of placeholders(ruleMessages[issue.code][lang])) expect(issue.params?.[p], `${issue.code} {${p}}`).toBeDefined();
        }
      }
    }
    expect(seen.size).toBe(Object.keys(ruleMessages).length);
  });
});
