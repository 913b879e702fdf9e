import { describe, expect, it } from 'vitest';
import { activityTime, mergeTimeline } from './timeline-model.js';

describe('record timeline', () => {
  it('dates an activity by its first filled datetime field, else by creation', () => {
    expect(activityTime({ occurred_at: '2026-11-20T02:00:00Z', created_at: '2026-11-21T00:00:00Z' }, ['occurred_at'])).toBe('2026-11-20T02:00:00Z');
    expect(activityTime({ due: null, created_at: '2026-11-21T00:00:00Z' }, ['due'])).toBe('2026-11-21T00:00:00Z');
  });

  it('merges sources newest first', () => {
    const merged = mergeTimeline([
      [{ kind: 'activity', entity: 'activities', id: 'a', at: '2026-11-20T00:00:00Z', record: {} }],
      [{ kind: 'change', at: '2026-11-22T00:00:00Z', action: 'record.update', changes: {} }, { kind: 'change', at: '2026-11-19T00:00:00Z', action: 'record.create', changes: {} }],
      [{ kind: 'activity', entity: 'tasks', id: 't', at: '2026-11-21T00:00:00Z', record: {} }],
    ]);
    expect(merged.map((i) => i.at.slice(8, 10))).toEqual(['22', '21', '20', '19']);
  });
});
