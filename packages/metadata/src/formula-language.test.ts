import { describe, expect, it } from 'vitest';
import { checkFormula, fitsResultType, FORMULA_LIMITS, type FormulaVar } from './formula-language.js';

const vars = new Map<string, FormulaVar>([
  ['quantity', { type: 'number' }], ['unit_price', { type: 'number' }], ['name', { type: 'text' }],
  ['close', { type: 'date' }], ['done', { type: 'boolean' }], ['account', { type: 'uuid' }],
  ['tags', { unusable: 'multiselect' }], ['fax', { archived: true }],
]);
const codes = (expr: unknown) => checkFormula(expr, vars).issues.map((i) => `${i.code} ${i.pointer}`);

describe('formula language', () => {
  it('types well-formed expressions and lists the fields they read', () => {
    const line = checkFormula({ round: [{ '*': [{ var: 'quantity' }, { var: 'unit_price' }] }, 2] }, vars);
    expect(line).toEqual({ type: 'number', vars: ['quantity', 'unit_price'], issues: [] });
    expect(checkFormula({ if: [{ '>': [{ var: 'quantity' }, 100] }, '大单', '常规'] }, vars).type).toBe('text');
    expect(checkFormula({ concat: [{ var: 'name' }, '-', { var: 'quantity' }] }, vars).type).toBe('text');
    expect(checkFormula({ max: [{ var: 'close' }, null] }, vars).type).toBe('date');
    expect(checkFormula({ and: [{ var: 'done' }, { '!': { isEmpty: { var: 'account' } } }] }, vars).type).toBe('boolean');
    expect(checkFormula({ abs: { var: 'quantity' } }, vars).issues).toEqual([]);
    expect(checkFormula(42, vars).type).toBe('number');
  });

  it('refuses what is not in the allowlist, code included', () => {
    expect(codes({ method: [{ var: 'name' }, 'toUpperCase'] })).toEqual(['META_FORMULA_OPERATOR /method']);
    expect(codes({ eval: '1+1' })).toEqual(['META_FORMULA_OPERATOR /eval']);
    expect(codes({ '+': [1], '*': [2] })).toEqual(['META_FORMULA_SYNTAX ']);
    expect(codes([1, 2])).toEqual(['META_FORMULA_SYNTAX ']);
    expect(codes({ '+': [Number.NaN] })).toEqual(['META_FORMULA_SYNTAX /+/0']);
  });

  it('checks arity and operand types, pointing at the argument', () => {
    expect(codes({ '/': [1] })).toEqual(['META_FORMULA_ARITY /~1']);
    expect(codes({ if: [true] })).toEqual(['META_FORMULA_ARITY /if']);
    expect(codes({ '*': [{ var: 'quantity' }, 'x'] })).toEqual(['META_FORMULA_TYPE /*/1']);
    expect(codes({ '<': [{ var: 'close' }, 5] })).toEqual(['META_FORMULA_TYPE /<']);
    expect(codes({ '<': [{ var: 'done' }, true] })).toEqual(['META_FORMULA_TYPE /<']);
    expect(codes({ if: [{ var: 'quantity' }, 1, 2] })).toEqual(['META_FORMULA_TYPE /if/0']);
    expect(codes({ if: [true, 1, 'x'] })).toEqual(['META_FORMULA_TYPE /if']);
  });

  it('reads only known, live, usable fields', () => {
    expect(codes({ var: 'nope' })).toEqual(['META_UNKNOWN_FIELD /var']);
    expect(codes({ var: '$user.id' })).toEqual(['META_UNKNOWN_FIELD /var']);
    expect(codes({ var: 'fax' })).toEqual(['META_FIELD_ARCHIVED /var']);
    expect(codes({ var: 'tags' })).toEqual(['META_FORMULA_FIELD /var']);
    expect(codes({ var: ['quantity', 0] })).toEqual([]);
    expect(codes({ var: 7 })).toEqual(['META_UNKNOWN_FIELD /var']);
  });

  it('limits depth and size', () => {
    let deep: unknown = { var: 'quantity' };
    for (let i = 0; i < FORMULA_LIMITS.maxDepth + 5; i++) deep = { abs: deep };
    expect(codes(deep).map((c) => c.split(' ')[0])).toEqual(['META_FORMULA_TOO_DEEP']);
    expect(codes({ concat: ['x'.repeat(FORMULA_LIMITS.maxBytes)] })).toEqual(['META_FORMULA_TOO_LARGE ']);
    const cyclic: Record<string, unknown> = {};
    cyclic.abs = cyclic;
    expect(codes(cyclic)).toEqual(['META_FORMULA_SYNTAX ']);
  });

  it('knows which result types a computed value can be stored as', () => {
    expect(fitsResultType('number', 'decimal')).toBe(true);
    expect(fitsResultType('number', 'integer')).toBe(true);
    expect(fitsResultType('number', 'text')).toBe(true);
    expect(fitsResultType('text', 'decimal')).toBe(false);
    expect(fitsResultType('datetime', 'date')).toBe(false);
    expect(fitsResultType('any', 'boolean')).toBe(true);
  });
});
