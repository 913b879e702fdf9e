import { describe, expect, it } from 'vitest';
import { FormulaSyntaxError, formatFormula, parseFormula } from './formula-text.js';

describe('formula text <-> stored form', () => {
  it('parses arithmetic with precedence, flattening chains of + and *', () => {
    expect(parseFormula('round(quantity * unit_price * (1 - discount / 100), 2)')).toEqual({
      round: [{ '*': [{ var: 'quantity' }, { var: 'unit_price' }, { '-': [1, { '/': [{ var: 'discount' }, 100] }] }] }, 2],
    });
    expect(parseFormula('a - b - c')).toEqual({ '-': [{ '-': [{ var: 'a' }, { var: 'b' }] }, { var: 'c' }] });
  });

  it('parses conditions, text and literals', () => {
    expect(parseFormula('if(amount >= 100000 and not isEmpty(owner), "大单", \'普通\')')).toEqual({
      if: [{ and: [{ '>=': [{ var: 'amount' }, 100000] }, { '!': [{ isEmpty: [{ var: 'owner' }] }] }] }, '大单', '普通'],
    });
    expect(parseFormula('-3 + x')).toEqual({ '+': [-3, { var: 'x' }] });
    expect(parseFormula('  ')).toBeNull();
  });

  it('formats back to text that parses to the same formula', () => {
    for (const src of ['round(quantity * unit_price * (1 - discount / 100), 2)', 'a - (b - c)', '(a + b) * c', 'if(x > 1 or y < 2, concat(name, "!"), null)', 'not (a and b)']) {
      const parsed = parseFormula(src);
      expect(parseFormula(formatFormula(parsed))).toEqual(parsed);
    }
    expect(formatFormula({ '*': [{ '+': [{ var: 'a' }, 1] }, 2] })).toBe('(a + 1) * 2');
  });

  it('says where the text is wrong', () => {
    expect(() => parseFormula('round(a, 2')).toThrow(FormulaSyntaxError);
    expect(() => parseFormula('eval(a)')).toThrow(/unknown function eval/);
    expect(() => parseFormula('a $ b')).toThrow(/unexpected "\$"/);
    try { parseFormula('a + * b'); } catch (e) { expect((e as FormulaSyntaxError).at).toBe(4); }
  });
});
