import { describe, expect, it } from 'vitest';
import { cronMatches, latestMatch, localParts, nextMatch, parseCron } from './cron.js';

const SH = 'Asia/Shanghai';
/** Epoch ms of a wall-clock time in Shanghai (UTC+8 all year). */
const sh = (iso: string) => Date.parse(`${iso}+08:00`);
/** A Shanghai wall-clock time, or (ending in Z) a UTC instant seen in `tz`. */
const at = (expr: string, iso: string, tz = SH) => cronMatches(parseCron(expr), iso.endsWith('Z') ? Date.parse(iso) : sh(iso), tz);

describe('cron matcher', () => {
  it('matches numbers, stars, ranges, steps and lists', () => {
    expect(at('* * * * *', '2026-11-23T10:17:00')).toBe(true);
    expect(at('17 10 * * *', '2026-11-23T10:17:00')).toBe(true);
    expect(at('17 10 * * *', '2026-11-23T10:18:00')).toBe(false);
    expect(at('*/15 * * * *', '2026-11-23T10:45:00')).toBe(true);
    expect(at('*/15 * * * *', '2026-11-23T10:46:00')).toBe(false);
    expect(at('0 9-17/2 * * *', '2026-11-23T11:00:00')).toBe(true);
    expect(at('0 9-17/2 * * *', '2026-11-23T12:00:00')).toBe(false);
    expect(at('0 9-17/2 * * *', '2026-11-23T19:00:00')).toBe(false);
    expect(at('5,10,50-52 * * * *', '2026-11-23T10:51:00')).toBe(true);
    expect(at('5,10,50-52 * * * *', '2026-11-23T10:49:00')).toBe(false);
  });

  it('reads month and weekday names in any case; Sunday is 0 or 7', () => {
    // 2026-11-22 is a Sunday, 2026-11-23 a Monday.
    expect(at('0 9 * NOV mon', '2026-11-23T09:00:00')).toBe(true);
    expect(at('0 9 * dec MON', '2026-11-23T09:00:00')).toBe(false);
    expect(at('0 9 * * 0', '2026-11-22T09:00:00')).toBe(true);
    expect(at('0 9 * * 7', '2026-11-22T09:00:00')).toBe(true);
    expect(at('0 9 * * SUN', '2026-11-22T09:00:00')).toBe(true);
    expect(at('0 9 * * 1-5', '2026-11-22T09:00:00')).toBe(false);
    expect(at('0 9 * * 5-7', '2026-11-22T09:00:00')).toBe(true);
    expect(at('0 9 * * MON-FRI', '2026-11-23T09:00:00')).toBe(true);
  });

  it('ORs day-of-month and day-of-week when both are restricted, ANDs them when one is a star (Vixie)', () => {
    // "the 13th, and every Friday": 2026-11-13 is a Friday, 2026-11-20 a Friday, 2026-12-13 a Sunday.
    expect(at('0 9 13 * 5', '2026-11-20T09:00:00')).toBe(true);
    expect(at('0 9 13 * 5', '2026-12-13T09:00:00')).toBe(true);
    expect(at('0 9 13 * 5', '2026-11-19T09:00:00')).toBe(false);
    // A star (also a stepped one) on one side: both must hold.
    expect(at('0 9 * * 5', '2026-12-13T09:00:00')).toBe(false);
    expect(at('0 9 13 * *', '2026-11-20T09:00:00')).toBe(false);
    expect(at('0 9 */2 * 5', '2026-11-20T09:00:00')).toBe(false); // the 20th is not an odd day
    expect(at('0 9 */2 * 5', '2026-11-13T09:00:00')).toBe(true);
  });

  it('evaluates in the workspace time zone', () => {
    // 09:00 in Shanghai is 01:00 UTC.
    expect(at('0 9 * * *', '2026-11-23T01:00:00Z', 'Asia/Shanghai')).toBe(true);
    expect(at('0 9 * * *', '2026-11-23T01:00:00Z', 'UTC')).toBe(false);
    // The weekday is the local one: Monday 07:00 in Shanghai is still Sunday in UTC.
    expect(at('0 7 * * MON', '2026-11-22T23:00:00Z', 'Asia/Shanghai')).toBe(true);
    // Half-hour offsets.
    expect(at('30 14 * * *', '2026-11-23T09:00:00Z', 'Asia/Kolkata')).toBe(true);
    expect(localParts(Date.parse('2026-11-23T09:00:00Z'), 'Asia/Kolkata')).toMatchObject({ hour: 14, minute: 30, weekday: 1 });
  });

  it('skips a wall-clock time a daylight-saving change skips', () => {
    // New York springs forward on 2026-03-08: 02:00-02:59 does not exist.
    const spec = parseCron('30 2 * * *');
    const from = Date.parse('2026-03-07T12:00:00Z');
    const next = nextMatch(spec, 'America/New_York', from)!;
    expect(new Date(next).toISOString()).toBe('2026-03-09T06:30:00.000Z');
  });

  it('finds the latest matching minute in a window, and none when the window has none', () => {
    const every = parseCron('* * * * *');
    expect(latestMatch(every, SH, sh('2026-11-23T10:17:30'), sh('2026-11-23T08:00:00'))).toBe(sh('2026-11-23T10:17:00'));
    // The window is open at its start.
    expect(latestMatch(every, SH, sh('2026-11-23T10:17:00'), sh('2026-11-23T10:17:00'))).toBeUndefined();
    const weekdays = parseCron('0 9 * * 1-5');
    // Monday 08:00 looking back to Friday morning: Friday 09:00.
    expect(latestMatch(weekdays, SH, sh('2026-11-23T08:00:00'), sh('2026-11-20T00:00:00'))).toBe(sh('2026-11-20T09:00:00'));
    expect(latestMatch(weekdays, SH, sh('2026-11-23T08:00:00'), sh('2026-11-20T09:00:00'))).toBeUndefined();
    const yearly = parseCron('0 0 1 1 *');
    expect(latestMatch(yearly, SH, sh('2026-11-23T08:00:00'), sh('2025-06-01T00:00:00'))).toBe(sh('2026-01-01T00:00:00'));
    // The 13th-or-Friday schedule, looking back from a Thursday.
    expect(latestMatch(parseCron('0 9 13 * 5'), SH, sh('2026-11-19T12:00:00'), sh('2026-11-01T00:00:00'))).toBe(sh('2026-11-13T09:00:00'));
  });

  it('looks a year back in few steps', () => {
    const started = performance.now();
    expect(latestMatch(parseCron('0 0 29 2 *'), SH, sh('2026-11-23T08:00:00'), sh('2025-11-23T08:00:00'))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('finds the next match', () => {
    expect(nextMatch(parseCron('0 9 * * 1-5'), SH, sh('2026-11-21T10:00:00'))).toBe(sh('2026-11-23T09:00:00'));
    expect(nextMatch(parseCron('*/20 * * * *'), SH, sh('2026-11-23T10:00:00'))).toBe(sh('2026-11-23T10:20:00'));
  });

  it('refuses what the metadata validator refuses', () => {
    for (const bad of ['* * * *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '5/15 * * * *', '0 0 L * *', '@daily']) {
      expect(() => parseCron(bad), bad).toThrow();
    }
  });
});
