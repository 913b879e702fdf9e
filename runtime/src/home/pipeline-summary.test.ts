import { describe, expect, it } from 'vitest';
import { fromCents, shortMoney, summarise, toCents } from './pipeline-summary.js';
import { and, byStatus, mine } from '../tasks/task-filters.js';

describe('pipeline summary', () => {
  it('sums decimal strings exactly', () => {
    expect(summarise([{ stage: 'initial', amount: '0.10' }, { stage: 'initial', amount: '0.20' }], ['initial'])).toEqual([{ stage: 'initial', count: 2, amount: '0.30' }]);
    expect(toCents('12000.5')).toBe(1200050n);
    expect(toCents('-3.01')).toBe(-301n);
    expect(toCents(null)).toBe(0n);
    expect(fromCents(-5n)).toBe('-0.05');
  });

  it('keeps the stage order, empty stages included, and leaves other stages out', () => {
    const rows = summarise([{ stage: 'proposal', amount: '100.00' }, { stage: 'won', amount: '9.00' }, { stage: 'initial', amount: null }], ['initial', 'needs', 'proposal']);
    expect(rows).toEqual([{ stage: 'initial', count: 1, amount: '0.00' }, { stage: 'needs', count: 0, amount: '0.00' }, { stage: 'proposal', count: 1, amount: '100.00' }]);
  });

  it('shortens money for a glance', () => {
    expect(shortMoney('1234567.00', 'zh-CN')).toBe('123.5万');
    expect(shortMoney('1234567.00', 'en')).toBe('1.23M');
    expect(shortMoney('320000000.00', 'zh-CN')).toBe('3.20亿');
  });
});

describe('task filters', () => {
  it('builds only from fields the entity has', () => {
    expect(mine(['subject'])).toEqual({ '==': [{ var: 'owner_id' }, { var: '$user.id' }] });
    expect(mine(['assignee'])).toMatchObject({ or: [{}, { '==': [{ var: 'assignee' }, { var: '$user.id' }] }] });
    expect(byStatus(['subject'], 'open')).toBeUndefined();
    expect(and(undefined, { a: 1 })).toEqual({ a: 1 });
    expect(and(undefined)).toBeUndefined();
  });
});
