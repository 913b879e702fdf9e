/**
 * Calendar arithmetic for the condition language: wire dates and datetimes,
 * and the days of a workspace time zone that `daysAgo` / `daysFromNow` count.
 *
 * The SQL compiler binds the values computed here (it never asks PostgreSQL
 * for `now()` or for time-zone rules), so memory and SQL cannot disagree even
 * when the database's tz data differ from the JavaScript engine's.
 */

const DAY_MS = 86_400_000;
const MIN_MS = utcMs(1, 0, 1);
const MAX_MS = utcMs(9999, 11, 31, 23, 59, 59, 999);

/** Epoch ms of a UTC calendar time; unlike `Date.UTC`, years 0-99 are not moved to 19xx. */
export function utcMs(y: number, month0: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  t.setUTCFullYear(y, month0, d);
  return t.getTime();
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** "YYYY-MM-DD" of an epoch ms, in UTC. */
export function formatDate(ms: number): string {
  const t = new Date(ms);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "YYYY-MM-DD" (years 0001-9999). */
export function isDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  return y >= 1 && formatDate(utcMs(y, Number(m[2]) - 1, Number(m[3]))) === s;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 datetime with `Z` or an offset -> epoch ms, or undefined.
 * Fractions beyond milliseconds are truncated, exactly as node-postgres does
 * when it reads a `timestamptz` (the wire format has milliseconds).
 */
export function parseDateTime(s: unknown, maxFractionDigits = 9): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DATETIME.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const frac = m[7] ?? '';
  if (frac.length > maxFractionDigits) return undefined;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return undefined;
  if (formatDate(utcMs(y, mo - 1, d)) !== `${m[1]}-${m[2]}-${m[3]}`) return undefined;
  let offset = 0;
  if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 15 || om > 59) return undefined;
    offset = (m[8] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = utcMs(y, mo - 1, d, h, mi, sec, Number(frac.slice(0, 3).padEnd(3, '0'))) - offset;
  return ms >= MIN_MS && ms <= MAX_MS ? ms : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone, before anything is cached.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The local wall-clock time of an instant in `timeZone`, as if it were UTC (epoch ms, whole seconds). */
function localAsUtc(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return utcMs(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The calendar date of `instant` in `timeZone`, shifted by `days`: "YYYY-MM-DD". */
export function zonedDate(instant: Date, timeZone: string, days = 0): string {
  return formatDate(localAsUtc(instant.getTime(), timeZone) + days * DAY_MS);
}

const midnights = new Map<string, number>();

/**
 * Epoch ms of the start of `date` in `timeZone`: the first instant whose local
 * date is `date`. That is 00:00 local time, or the end of the gap where a
 * daylight-saving change skips midnight (e.g. America/Santiago, America/Havana).
 */
export function zonedMidnight(date: string, timeZone: string): number {
  const key = `${timeZone} ${date}`;
  const cached = midnights.get(key);
  if (cached !== undefined) return cached;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const base = utcMs(y, m - 1, d);
  // Local time runs ahead of UTC by at most 14 h and behind by at most 12 h:
  // at base - 15 h the local date is still the day before, at base + 13 h it is `date` or later.
  let lo = Math.floor((base - 15 * 3_600_000) / 1000);
  let hi = Math.ceil((base + 13 * 3_600_000) / 1000);
  // Binary search over whole seconds (zone offsets change on whole seconds).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localAsUtc(mid * 1000, timeZone) >= base) hi = mid;
    else lo = mid;
  }
  const start = hi * 1000;
  if (midnights.size > 2000) midnights.clear();
  midnights.set(key, start);
  return start;
}
