import { describe, expect, it } from 'vitest';
import { compareDecimal, isDate, isValidTimeZone, parseDateTime, zonedDate, zonedMidnight } from './index.js';
import { asciiLower, escapeLike } from './text.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zonedDate', () => {
  it('is the calendar date of an instant in a time zone, shifted by whole days', () => {
    const t = new Date('2026-11-21T17:00:00Z');
    expect(zonedDate(t, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(zonedDate(t, 'UTC')).toBe('2026-11-21');
    expect(zonedDate(t, 'Pacific/Pago_Pago')).toBe('2026-11-21');
    expect(zonedDate(t, 'Pacific/Kiritimati')).toBe('2026-11-22');
    expect(zonedDate(t, 'Asia/Shanghai', -22)).toBe('2026-10-31');
    expect(zonedDate(t, 'Asia/Shanghai', 40)).toBe('2027-01-01');
    expect(zonedDate(new Date('2028-02-28T16:00:00Z'), 'Asia/Shanghai', 0)).toBe('2028-02-29');
  });

  it('changes exactly at local midnight', () => {
    expect(zonedDate(new Date('2026-11-21T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-11-21');
    expect(zonedDate(new Date('2026-11-21T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-11-22');
  });
});

describe('zonedMidnight', () => {
  it('is 00:00 local time', () => {
    expect(iso(zonedMidnight('2026-11-22', 'Asia/Shanghai'))).toBe('2026-11-21T16:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-22', 'UTC'))).toBe('2026-11-22T00:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-22', 'Asia/Kolkata'))).toBe('2026-11-21T18:30:00.000Z');
  });

  it('follows daylight saving time on both sides of a change', () => {
    expect(iso(zonedMidnight('2026-03-08', 'America/New_York'))).toBe('2026-03-08T05:00:00.000Z'); // change at 02:00 that day
    expect(iso(zonedMidnight('2026-03-09', 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-01', 'America/New_York'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(zonedMidnight('2026-11-02', 'America/New_York'))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('is the end of the gap when a change skips midnight', () => {
    // Havana springs forward at 00:00 -> 01:00 on 2026-03-08: the day begins at 01:00 CDT (05:00Z).
    expect(iso(zonedMidnight('2026-03-08', 'America/Havana'))).toBe('2026-03-08T05:00:00.000Z');
    expect(zonedDate(new Date(zonedMidnight('2026-03-08', 'America/Havana') - 1), 'America/Havana')).toBe('2026-03-07');
    // Santiago springs forward at 24:00 on Saturday 2026-09-05: Sunday begins at 01:00 -03 (04:00Z).
    expect(iso(zonedMidnight('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
  });

  it('is the first of two midnights when a change back repeats it', () => {
    // Havana falls back 01:00 CDT -> 00:00 CST on 2026-11-01: the day begins at the first 00:00 (04:00Z);
    // PostgreSQL's `'2026-11-01'::timestamp at time zone` would say the second one (05:00Z).
    expect(iso(zonedMidnight('2026-11-01', 'America/Havana'))).toBe('2026-11-01T04:00:00.000Z');
    expect(zonedDate(new Date('2026-11-01T04:30:00Z'), 'America/Havana')).toBe('2026-11-01');
  });
});

describe('parseDateTime', () => {
  it('reads ISO 8601 with Z or an offset, truncating below milliseconds', () => {
    expect(parseDateTime('2026-11-22T08:30:00Z')).toBe(Date.UTC(2026, 10, 22, 8, 30));
    expect(parseDateTime('2026-11-22T08:30Z')).toBe(Date.UTC(2026, 10, 22, 8, 30));
    expect(parseDateTime('2026-11-22T16:30:00+08:00')).toBe(Date.UTC(2026, 10, 22, 8, 30));
    expect(parseDateTime('2026-11-22T08:30:00.123999Z')).toBe(Date.UTC(2026, 10, 22, 8, 30, 0, 123));
    expect(new Date(parseDateTime('0099-01-01T00:00:00Z')!).getUTCFullYear()).toBe(99);
  });

  it('refuses anything else', () => {
    for (const s of ['2026-11-22', '2026-11-22T08:30:00', '2026-11-22 08:30:00Z', '2026-02-30T00:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22T08:60:00Z', '2026-11-22T08:30:00z', '2026-11-22T08:30:00+8', 'now', '']) {
      expect(parseDateTime(s), s).toBeUndefined();
    }
    expect(parseDateTime('2026-11-22T08:30:00.1234Z', 3)).toBeUndefined();
  });
});

describe('isDate, isValidTimeZone', () => {
  it('accepts real calendar dates only', () => {
    expect(['2028-02-29', '0001-01-01', '9999-12-31'].every(isDate)).toBe(true);
    expect(['2026-02-29', '2026-13-01', '0000-01-01', '2026-1-01', '20260101', 20260101].some(isDate)).toBe(false);
  });

  it('accepts IANA zones and nothing else', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('compareDecimal', () => {
  it.each<[string, string, number]>([
    ['1', '1.000', 0], ['-0', '0.00', 0], ['-0.5', '-0.25', -1], ['0.1', '0.09', 1], ['10', '9.999', 1], ['-10', '-9.999', -1],
    ['007.50', '7.5', 0], ['123456789012345678901234567890.1', '123456789012345678901234567890.09', 1], ['-1', '1', -1], ['0.000', '-0.001', 1],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareDecimal(a, b)).toBe(expected);
    expect(compareDecimal(b, a)).toBe(-expected || 0);
  });
});

describe('text folding', () => {
  it('folds A-Z only', () => {
    expect(asciiLower('ABC xyz ÀÉ İ Σ Ａ 中文')).toBe('abc xyz ÀÉ İ Σ Ａ 中文');
  });

  it('escapes LIKE metacharacters', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });
});
