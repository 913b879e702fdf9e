/**
 * Five-field cron (minute hour day-of-month month day-of-week), the Vixie
 * subset every scheduler reads alike: `*`, numbers, ranges `a-b`, steps on
 * `*` or a range (`9-17/2`, and `*` followed by `/15`), lists `a,b`; month and weekday names
 * (JAN, MON, case-insensitive); Sunday is 0 or 7. No `?`, `L`, `W`, `#`,
 * seconds or `@daily` macros: schedulers disagree on those.
 */
const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

/**
 * The first part of a cron expression that is not valid (the whole
 * expression when it does not have five fields), or undefined when it is valid.
 *
 *   cronError('0 9 * * 1-5') -> undefined
 *   cronError('0 25 * * *')  -> '25'
 */
export function cronError(expr: string): string | undefined {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return expr;
  for (let i = 0; i < 5; i++) {
    const field = FIELDS[i]!;
    const value = (s: string): number | undefined => {
      const named = 'names' in field ? (field.names as readonly string[]).indexOf(s.toUpperCase()) : -1;
      const n = named >= 0 ? named + field.min : /^\d{1,2}$/.test(s) ? Number(s) : NaN;
      return n >= field.min && n <= field.max ? n : undefined;
    };
    for (const item of parts[i]!.split(',')) {
      const m = /^(?:(\*)|([^-/]+)(?:-([^-/]+))?)(?:\/(\d{1,2}))?$/.exec(item);
      if (!m) return item;
      const [, star, from, to, step] = m;
      if (step !== undefined && (Number(step) < 1 || (!star && to === undefined))) return item;
      if (star) continue;
      const a = value(from!);
      const b = to === undefined ? a : value(to);
      if (a === undefined || b === undefined || a > b) return item;
    }
  }
  return undefined;
}

/**
 * The cron matcher of schedule triggers: five fields (minute hour
 * day-of-month month day-of-week) in the grammar `cronError` accepts
 * (numbers, `*`, ranges, steps on `*` or a range, lists, JAN..DEC and
 * SUN..SAT, Sunday 0 or 7), matched like Vixie cron:
 *
 * - day-of-month and day-of-week: when both are restricted (neither field
 *   starts with `*`), a day matches if EITHER matches ("0 9 13 * 5" is the
 *   13th and every Friday); when one starts with `*` (also `*\/2`), both must.
 * - wall-clock time in the workspace's IANA time zone: a minute that does not
 *   exist on a day (skipped by a daylight-saving change) does not match, a
 *   minute that happens twice (the repeated hour) matches both times.
 */
export interface CronSpec {
  minute: boolean[];
  hour: boolean[];
  dom: boolean[];
  month: boolean[];
  dow: boolean[];
  domStar: boolean;
  dowStar: boolean;
}

function parseField(text: string, i: number): boolean[] {
  const f = FIELDS[i]!;
  const set: boolean[] = Array(f.max + 1).fill(false);
  const value = (s: string) => {
    const named = 'names' in f ? (f.names as readonly string[]).indexOf(s.toUpperCase()) : -1;
    return named >= 0 ? named + f.min : Number(s);
  };
  for (const item of text.split(',')) {
    const m = /^(?:(\*)|([^-/]+)(?:-([^-/]+))?)(?:\/(\d{1,2}))?$/.exec(item)!;
    const [, star, from, to, step] = m;
    const a = star ? f.min : value(from!);
    const b = star ? f.max : to === undefined ? a : value(to);
    const s = step === undefined ? 1 : Number(step);
    for (let v = a; v <= b; v += s) set[v] = true;
  }
  return set;
}

/** A valid expression's matcher; throws on one `cronError` refuses (publish refuses those already). */
export function parseCron(expr: string): CronSpec {
  const bad = cronError(expr);
  if (bad !== undefined) throw new Error(`invalid cron expression at "${bad}"`);
  const parts = expr.trim().split(/\s+/);
  const dow = parseField(parts[4]!, 4);
  // Sunday is 0 or 7.
  if (dow[7]) dow[0] = true;
  return {
    minute: parseField(parts[0]!, 0),
    hour: parseField(parts[1]!, 1),
    dom: parseField(parts[2]!, 2),
    month: parseField(parts[3]!, 3),
    dow: dow.slice(0, 7),
    domStar: parts[2]!.startsWith('*'),
    dowStar: parts[4]!.startsWith('*'),
  };
}

/** Wall-clock fields of an instant in a time zone. */
export interface LocalParts { year: number; month: number; day: number; hour: number; minute: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localParts(ms: number, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const year = p.year!;
  const month = p.month!;
  const day = p.day!;
  return { year, month, day, hour: p.hour! % 24, minute: p.minute!, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

function dayMatches(c: CronSpec, p: LocalParts): boolean {
  if (!c.month[p.month]) return false;
  const dom = c.dom[p.day]!;
  const dow = c.dow[p.weekday]!;
  return c.domStar || c.dowStar ? dom && dow : dom || dow;
}

/** Does the minute of `ms` match, in `timeZone`? */
export function cronMatches(c: CronSpec, ms: number, timeZone: string): boolean {
  const p = localParts(ms, timeZone);
  return dayMatches(c, p) && c.hour[p.hour]! && c.minute[p.minute]!;
}

const MINUTE = 60_000;
export const floorToMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/**
 * The latest minute in (`after`, `at`] that matches, or undefined. Walks
 * back an hour at a time through hours and days that cannot match (a local
 * hour starts `minute` minutes before any instant in it: offsets change on
 * hour or half-hour boundaries, never inside the span walked), so a year
 * takes at most ~9,000 steps.
 */
export function latestMatch(c: CronSpec, timeZone: string, at: number, after: number): number | undefined {
  let t = floorToMinute(at);
  while (t > after) {
    const p = localParts(t, timeZone);
    if (dayMatches(c, p) && c.hour[p.hour]) {
      let m = p.minute;
      while (m >= 0 && !c.minute[m]) m--;
      if (m >= 0) {
        const hit = t - (p.minute - m) * MINUTE;
        return hit > after ? hit : undefined;
      }
    }
    // To the last minute of the previous local hour.
    t = t - p.minute * MINUTE - MINUTE;
  }
  return undefined;
}

/** The first minute after `after` that matches, looking at most `horizonMs` ahead (previews, tests). */
export function nextMatch(c: CronSpec, timeZone: string, after: number, horizonMs = 400 * 86_400_000): number | undefined {
  const end = after + horizonMs;
  for (let t = floorToMinute(after) + MINUTE; t <= end;) {
    const p = localParts(t, timeZone);
    if (dayMatches(c, p) && c.hour[p.hour]) {
      let m = p.minute;
      while (m < 60 && !c.minute[m]) m++;
      if (m < 60) return t + (m - p.minute) * MINUTE;
    }
    t = t + (60 - p.minute) * MINUTE;
  }
  return undefined;
}
