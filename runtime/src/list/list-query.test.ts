import { describe, expect, it } from 'vitest';
import { definitionOf, listParams, moveColumn, cycleSort, toggleColumn, visibleRows } from './list-query.js';

describe('list screen state', () => {
  const s = { columns: ['name', 'amount'], sort: [{ field: 'amount', direction: 'desc' as const }, { field: 'name', direction: 'asc' as const }], filter: { '>': [{ var: 'amount' }, '1'] }, q: '张' };

  it('travels as the records API query', () => {
    const p = listParams(s, { limit: 100, expand: ['account'], cursor: 'abc', total: true });
    expect(Object.fromEntries(p)).toEqual({ limit: '100', total: 'true', q: '张', sort: '-amount,name', filter: '{">":[{"var":"amount"},"1"]}', expand: 'account', cursor: 'abc' });
    expect([...listParams({ columns: ['name'], sort: [] }).keys()]).toEqual([]);
  });

  it('sorts by one clicked column, or by several with Shift, in click order, at most 5', () => {
    expect(cycleSort([], 'amount', false)).toEqual([{ field: 'amount', direction: 'asc' }]);
    expect(cycleSort([{ field: 'amount', direction: 'asc' }], 'amount', false)).toEqual([{ field: 'amount', direction: 'desc' }]);
    expect(cycleSort([{ field: 'amount', direction: 'desc' }], 'amount', false)).toEqual([]);
    // A plain click on another column replaces the whole sort.
    expect(cycleSort([{ field: 'amount', direction: 'desc' }, { field: 'name', direction: 'asc' }], 'stage', false)).toEqual([{ field: 'stage', direction: 'asc' }]);
    const two = cycleSort(cycleSort([], 'stage', true), 'amount', true);
    expect(two).toEqual([{ field: 'stage', direction: 'asc' }, { field: 'amount', direction: 'asc' }]);
    expect(cycleSort(two, 'stage', true)).toEqual([{ field: 'stage', direction: 'desc' }, { field: 'amount', direction: 'asc' }]);
    expect(cycleSort(cycleSort(two, 'stage', true), 'stage', true)).toEqual([{ field: 'amount', direction: 'asc' }]);
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].reduce((s, f) => cycleSort(s, f, true), [] as { field: string; direction: 'asc' | 'desc' }[]);
    expect(six.map((s) => s.field)).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('draws only the rows in view plus a margin', () => {
    expect(visibleRows(0, 440, 44, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRows(44 * 1000, 440, 44, 10_000, 5)).toEqual({ start: 995, end: 1015 });
    expect(visibleRows(44 * 9_995, 440, 44, 10_000, 5)).toEqual({ start: 9990, end: 10_000 });
    expect(visibleRows(0, 440, 44, 0)).toEqual({ start: 0, end: 0 });
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
