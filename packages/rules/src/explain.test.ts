import { describe, expect, it } from 'vitest';
import { explain, vars } from './index.js';

const v = (name: string) => ({ var: name });
const zhLabels: Record<string, string> = { amount: '金额', stage: '阶段', close: '预计成交日期', name: '名称', tags: '标签', owner_id: '负责人' };
const zh = (rule: unknown) => explain(rule, 'zh-CN', (n) => zhLabels[n], (n, k) => (n === 'stage' ? ({ won: '赢单', lost: '输单' } as Record<string, string>)[k] : undefined));
const en = (rule: unknown) => explain(rule, 'en', (n) => ({ amount: 'Amount', stage: 'Stage' })[n as 'amount'], (n, k) => (n === 'stage' && k === 'won' ? 'Won' : undefined));

describe('explain', () => {
  it('says a rule in plain words in both languages', () => {
    const r = { and: [{ '>': [v('amount'), 1000] }, { '==': [v('stage'), 'won'] }] };
    expect(zh(r)).toBe('金额 > 1000 且 阶段 为 赢单');
    expect(en(r)).toBe('Amount > 1000 and Stage is Won');
  });

  it('covers every operator', () => {
    expect(zh({ or: [{ in: [v('stage'), ['won', 'lost']] }, { contains: [v('tags'), 'hot'] }, { startsWith: [v('name'), '上海'] }] })).toBe('阶段 属于 赢单、输单 或 标签 包含 hot 或 名称 开头为 上海');
    expect(zh({ '!': { isEmpty: v('close') } })).toBe('预计成交日期 不为空');
    expect(zh({ '!': { '==': [v('stage'), 'won'] } })).toBe('并非（阶段 为 赢单）');
    expect(zh({ and: [{ '>=': [v('close'), { daysAgo: 7 }] }, { '<=': [v('close'), { daysFromNow: 0 }] }] })).toBe('预计成交日期 ≥ 7 天前 且 预计成交日期 ≤ 今天');
    expect(zh({ '==': [v('owner_id'), v('$user.id')] })).toBe('负责人 为 当前用户');
    expect(zh({ '!=': [v('stage'), v('$previous.stage')] })).toBe('阶段 不为 阶段（修改前）');
    expect(en({ and: [{ '!=': [v('amount'), '0'] }, { isEmpty: v('stage') }, { '<': [v('seen'), { daysAgo: 1 }] }, { '==': [v('vip'), true] }] }))
      .toBe('Amount is not 0 and Stage is empty and seen < 1 day ago and vip is yes');
    expect(en({ '<': [v('seen'), v('$now')] })).toBe('seen < now');
  });

  it('groups nested and / or', () => {
    const r = { and: [{ or: [{ '==': [v('stage'), 'won'] }, { '==': [v('stage'), 'lost'] }] }, { '>': [v('amount'), '1'] }] };
    expect(zh(r)).toBe('（阶段 为 赢单 或 阶段 为 输单） 且 金额 > 1');
    expect(en(r)).toBe('(Stage is Won or Stage is lost) and Amount > 1');
  });

  it('returns "" for what is not a rule, and never throws', () => {
    for (const bad of ['x', null, { method: [] }, { and: [] }, { '==': [v('a')] }, { __proto__x: 1 }, JSON.parse('{"__proto__": {"isEmpty": {"var": "a"}}}')]) {
      expect(explain(bad, 'en')).toBe('');
    }
    expect(explain({ isEmpty: v('a') }, 'en', () => { throw new Error('x'); })).toBe('');
  });
});

describe('vars', () => {
  it('lists the distinct variables a rule reads, in order', () => {
    expect(vars({ and: [{ '>': [v('amount'), '1'] }, { '==': [v('stage'), 'won'] }, { '>': [v('amount'), '2'] }, { '==': [v('owner_id'), v('$user.id')] }] }))
      .toEqual(['amount', 'stage', 'owner_id', '$user.id']);
    expect(vars({ '==': [{ var: ['qty'] }, 1] })).toEqual(['qty']);
    expect(vars({ isEmpty: v('a') })).toEqual(['a']);
  });

  it('never throws on odd input', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.and = [cyclic, v('x')];
    expect(vars(cyclic)).toEqual(['x']);
    for (const x of [undefined, null, 'x', 1, [], {}]) expect(vars(x)).toEqual([]);
  });
});
