import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, commit, createHistory, redo, reset, undo } from './history.js';

describe('undo/redo history', () => {
  it('undoes and redoes edits in order, and a new edit drops the redo stack', () => {
    let h = createHistory('a');
    h = commit(h, 'b', { at: 0 });
    h = commit(h, 'c', { at: 5000 });
    expect(h.present).toBe('c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = commit(h, 'x', { at: 9000 });
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe('b');
  });

  it('merges quick edits with the same tag into one step, but not different tags or slow ones', () => {
    let h = createHistory('');
    h = commit(h, 'W', { tag: 'label', at: 1000 });
    h = commit(h, 'Wa', { tag: 'label', at: 1200 });
    h = commit(h, 'Wan', { tag: 'label', at: 1400 });
    expect(h.past).toEqual(['']);
    h = commit(h, 'Wang', { tag: 'label', at: 3000 });
    expect(h.past).toEqual(['', 'Wan']);
    h = commit(h, 'Wang!', { tag: 'other', at: 3100 });
    expect(h.past).toEqual(['', 'Wan', 'Wang']);
    expect(undo(h).present).toBe('Wang');
  });

  it('ignores a commit of the same value and keeps at most HISTORY_LIMIT steps', () => {
    let h = createHistory(0);
    expect(commit(h, 0)).toBe(h);
    for (let i = 1; i <= HISTORY_LIMIT + 20; i++) h = commit(h, i, { at: i * 10_000 });
    expect(h.past.length).toBe(HISTORY_LIMIT);
    expect(h.past[0]).toBe(20);
  });

  it('reset replaces the present without an undo step', () => {
    const h = reset(commit(createHistory(1), 2, { at: 0 }), 9);
    expect(h.present).toBe(9);
    expect(h.past).toEqual([]);
  });
});
