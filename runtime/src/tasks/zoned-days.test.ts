import { describe, expect, it } from 'vitest';
import { addDays, byDay, dayKey, instantOf, moveToDay, shiftAnchor, timeOfDay, visibleDays, weekday } from './zoned-days.js';

describe('zoned days', () => {
  it('puts an instant on its day in the workspace zone, not UTC', () => {
    expect(dayKey('2026-11-22T17:30:00Z', 'Asia/Shanghai')).toBe('2026-11-23');
    expect(dayKey('2026-11-22T17:30:00Z', 'UTC')).toBe('2026-11-22');
    expect(timeOfDay('2026-11-22T17:30:00Z', 'Asia/Shanghai')).toBe('01:30');
  });

  it('finds the instant of a wall-clock time, across offsets and DST', () => {
    expect(instantOf('2026-11-23', 'Asia/Shanghai').toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(instantOf('2026-07-01', 'America/New_York', { h: 9, mi: 30 }).toISOString()).toBe('2026-07-01T13:30:00.000Z');
    expect(instantOf('2026-12-01', 'America/New_York', { h: 9, mi: 30 }).toISOString()).toBe('2026-12-01T14:30:00.000Z');
    // 02:30 does not exist on 2026-03-08 in New York: the next valid instant is taken.
    expect(dayKey(instantOf('2026-03-08', 'America/New_York', { h: 2, mi: 30 }).toISOString(), 'America/New_York')).toBe('2026-03-08');
  });

  it('moves an item to another day keeping its local time, milliseconds included', () => {
    expect(moveToDay('2026-11-22T17:30:00.250Z', '2026-11-25', 'Asia/Shanghai')).toBe('2026-11-24T17:30:00.250Z');
    // Across a DST change the local time stays 09:00, so the UTC time moves by an hour.
    expect(moveToDay('2026-03-06T14:00:00.000Z', '2026-03-09', 'America/New_York')).toBe('2026-03-09T13:00:00.000Z');
  });

  it('does calendar arithmetic on day keys', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(weekday('2026-11-23')).toBe(0); // a Monday
    expect(weekday('2026-11-29')).toBe(6);
  });

  it('shows Monday-to-Sunday weeks and whole weeks around a month', () => {
    expect(visibleDays('2026-11-26', 'week')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    const nov = visibleDays('2026-11-26', 'month');
    expect(nov[0]).toBe('2026-10-26');
    expect(nov[nov.length - 1]).toBe('2026-12-06');
    expect(nov).toHaveLength(42);
    const feb = visibleDays('2027-02-10', 'month'); // February 2027 starts on a Monday and ends on a Sunday
    expect([feb[0], feb[feb.length - 1], feb.length]).toEqual(['2027-02-01', '2027-02-28', 28]);
    expect(shiftAnchor('2026-01-31', 'month', 1)).toBe('2026-02-01');
    expect(shiftAnchor('2026-01-15', 'month', -1)).toBe('2025-12-01');
    expect(shiftAnchor('2026-11-26', 'week', -1)).toBe('2026-11-19');
  });

  it('groups items by day in time order, skipping undated ones', () => {
    const items = [{ id: 'b', at: '2026-11-23T05:00:00Z' }, { id: 'a', at: '2026-11-22T17:00:00Z' }, { id: 'c', at: null }, { id: 'd', at: '2026-11-23T15:59:59Z' }];
    const days = byDay(items, (i) => i.at, 'Asia/Shanghai');
    expect([...days.entries()].map(([k, v]) => [k, v.map((i) => i.id)])).toEqual([['2026-11-23', ['a', 'b', 'd']]]);
  });
});
