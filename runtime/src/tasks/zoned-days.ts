/**
 * Calendar days in the workspace time zone (CONVENTIONS.md §2: datetimes are
 * shown in the workspace zone, whatever the browser's). Days are
 * `YYYY-MM-DD` keys; instants are ISO strings. Framework-free, on Intl only.
 *
 *   dayKey('2026-11-22T17:30:00Z', 'Asia/Shanghai') -> '2026-11-23'
 *   moveToDay('2026-11-22T17:30:00Z', '2026-11-25', 'Asia/Shanghai') -> '2026-11-24T17:30:00.000Z' (01:30 local kept)
 */

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(tz, f);
  }
  return f;
}

interface Wall { y: number; m: number; d: number; h: number; mi: number; s: number; ms: number }

function wall(instant: number, tz: string): Wall {
  const p = Object.fromEntries(fmt(tz).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour) % 24, mi: Number(p.minute), s: Number(p.second), ms: ((instant % 1000) + 1000) % 1000 };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const keyOf = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The calendar day of an instant in `tz`. */
export function dayKey(iso: string | Date, tz: string): string {
  const w = wall(new Date(iso).getTime(), tz);
  return keyOf(w.y, w.m, w.d);
}

/** `HH:mm` of an instant in `tz`. */
export function timeOfDay(iso: string, tz: string): string {
  const w = wall(new Date(iso).getTime(), tz);
  return `${pad(w.h)}:${pad(w.mi)}`;
}

/** The instant a wall-clock time in `tz` names (the later one when a DST change repeats it; the next valid one when it skips it). */
export function instantOf(day: string, tz: string, time: { h: number; mi: number; s?: number; ms?: number } = { h: 0, mi: 0 }): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = Date.UTC(y, m - 1, d, time.h, time.mi, time.s ?? 0, time.ms ?? 0);
  let guess = target;
  // Two corrections settle every zone offset (a third covers a guess that lands across a DST change).
  for (let i = 0; i < 3; i++) {
    const w = wall(guess, tz);
    const shown = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s, w.ms);
    if (shown === target) break;
    guess += target - shown;
  }
  return new Date(guess);
}

/** The same wall-clock time of `iso` on another day, in `tz`: what dragging an item to another day means. */
export function moveToDay(iso: string, day: string, tz: string): string {
  const w = wall(new Date(iso).getTime(), tz);
  return instantOf(day, tz, { h: w.h, mi: w.mi, s: w.s, ms: w.ms }).toISOString();
}

/** Calendar arithmetic on day keys (no zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return keyOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 0 = Monday ... 6 = Sunday. */
export function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export type CalendarMode = 'week' | 'month';

/**
 * The days a calendar view shows around `anchor`: the Monday-to-Sunday week,
 * or whole weeks covering the month (5 or 6 rows).
 */
export function visibleDays(anchor: string, mode: CalendarMode): string[] {
  if (mode === 'week') {
    const start = addDays(anchor, -weekday(anchor));
    return Array.from({ length: 7 }, (_, i) => addDays(start, i));
  }
  const first = `${anchor.slice(0, 7)}-01`;
  const start = addDays(first, -weekday(first));
  const nextMonth = addDays(first, 32).slice(0, 7);
  const days: string[] = [];
  for (let d = start; days.length < 42; d = addDays(d, 1)) {
    if (d.slice(0, 7) === nextMonth && weekday(d) === 0) break;
    days.push(d);
  }
  return days;
}

/** The anchor of the previous / next page of a view. */
export function shiftAnchor(anchor: string, mode: CalendarMode, step: number): string {
  if (mode === 'week') return addDays(anchor, 7 * step);
  const [y, m] = anchor.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + step, 1));
  return keyOf(t.getUTCFullYear(), t.getUTCMonth() + 1, 1);
}

/** Items grouped by their day in `tz`, each day's items in time order. */
export function byDay<T>(items: T[], when: (item: T) => string | null | undefined, tz: string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  const sorted = items.filter((i) => !!when(i)).sort((a, b) => Date.parse(when(a)!) - Date.parse(when(b)!));
  for (const item of sorted) {
    const k = dayKey(when(item)!, tz);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}
