import { describe, expect, it } from 'vitest';
import { definitionOf, listParams, moveColumn, sortFromSorter, toggleColumn } from './list-query.js';

describe('list screen state', () => {
  const s = { columns: ['name', 'amount'], sort: [{ field: 'amount', direction: 'desc' as const }, { field: 'name', direction: 'asc' as const }], filter: { '>': [{ var: 'amount' }, '1'] }, q: '张' };

  it('travels as the records API query', () => {
    const p = listParams(s, { limit: 100, expand: ['account'], cursor: 'abc', total: true });
    expect(Object.fromEntries(p)).toEqual({ limit: '100', total: 'true', q: '张', sort: '-amount,name', filter: '{">":[{"var":"amount"},"1"]}', expand: 'account', cursor: 'abc' });
    expect([...listParams({ columns: ['name'], sort: [] }).keys()]).toEqual([]);
  });

  it('reads antd multi-column sorters in click order and caps them at 5', () => {
    expect(sortFromSorter([{ field: 'stage', order: 'ascend' }, { field: 'amount', order: 'descend' }, { field: 'x', order: null }])).toEqual([
      { field: 'stage', direction: 'asc' }, { field: 'amount', direction: 'desc' },
    ]);
    expect(sortFromSorter({ field: 'name', order: null })).toEqual([]);
  });

  it('saves what is on screen, without the search text', () => {
    expect(definitionOf(s)).toEqual({ type: 'list', columns: ['name', 'amount'], sort: s.sort, filter: s.filter });
  });

  it('adds, removes and reorders columns but never leaves none', () => {
    expect(toggleColumn(['name'], 'amount', true, ['name', 'amount'])).toEqual(['name', 'amount']);
    expect(toggleColumn(['name'], 'name', false, ['name'])).toEqual(['name']);
    expect(toggleColumn(['name', 'gone'], 'amount', true, ['name', 'amount'])).toEqual(['name', 'amount']);
    expect(moveColumn(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b'], 'a', -1)).toEqual(['a', 'b']);
  });
});
