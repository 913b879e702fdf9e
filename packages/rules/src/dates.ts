/**
 * Calendar arithmetic in a workspace time zone, for `daysAgo` / `daysFromNow`.
 * The SQL compiler does the same with `(now at time zone tz)::date + n`.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

function zonedParts(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), mi: Number(parts.minute), s: Number(parts.second) };
}

/** The local calendar date of `instant` in `timeZone`, shifted by `days`: "YYYY-MM-DD". */
export function zonedDate(instant: Date, timeZone: string, days = 0): string {
  const p = zonedParts(instant, timeZone);
  return new Date(Date.UTC(p.y, p.m - 1, p.d + days)).toISOString().slice(0, 10);
}

/** Epoch milliseconds of 00:00 local time on `date` in `timeZone`. */
export function zonedMidnight(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d);
  // Offset at a guess, then once more at the corrected instant (handles DST edges).
  let t = asUtc - offsetAt(asUtc, timeZone);
  t = asUtc - offsetAt(t, timeZone);
  return t;
}

function offsetAt(t: number, timeZone: string): number {
  const p = zonedParts(new Date(t), timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}
