import { cronError } from '@crm/metadata';

/** Schedules offered as one click (the field still takes any five-field cron). */
export const CRON_PRESETS: { cron: string; label: [string, string] }[] = [
  { cron: '0 9 * * 1-5', label: ['每个工作日 9:00', 'Every weekday at 9:00'] },
  { cron: '0 * * * *', label: ['每小时整点', 'Every hour'] },
  { cron: '0 8 * * *', label: ['每天 8:00', 'Every day at 8:00'] },
];

const NAMES: Record<number, string[]> = {
  3: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  4: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

/** One cron field as the set of values it allows; `star` when it was `*` (day matching treats that apart). */
function expand(part: string, i: number): { values: Set<number>; star: boolean } {
  const [min, max] = RANGES[i]!;
  const values = new Set<number>();
  const num = (s: string) => {
    const named = NAMES[i]?.indexOf(s.toUpperCase()) ?? -1;
    return named >= 0 ? named + (i === 3 ? 1 : 0) : Number(s);
  };
  for (const item of part.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText ? Number(stepText) : 1;
    let [a, b] = [min, max];
    if (range !== '*') {
      const [x, y] = range!.split('-');
      a = num(x!);
      b = y === undefined ? (stepText ? max : a) : num(y);
    }
    for (let v = a; v <= b; v += step) values.add(i === 4 && v === 7 ? 0 : v);
  }
  return { values, star: part === '*' || part.startsWith('*/') };
}

/** Wall-clock parts of an instant in a time zone. */
function partsIn(instant: number, timeZone: string): [y: number, mo: number, d: number, h: number, mi: number] {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return [p.year!, p.month!, p.day!, p.hour! % 24, p.minute!];
}

/** The instant a wall-clock time in a zone stands for (a time skipped by a clock change comes out an hour later). */
function instantOf(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let guess = wall;
  for (let k = 0; k < 3; k++) {
    const [py, pmo, pd, ph, pmi] = partsIn(guess, timeZone);
    const diff = wall - Date.UTC(py, pmo - 1, pd, ph, pmi);
    if (diff === 0) break;
    guess += diff;
  }
  return guess;
}

/**
 * The next `count` times a five-field cron fires after `from`, read in the
 * workspace's time zone (the scheduler's semantics: when both day fields are
 * restricted, either matching is enough). Pure date arithmetic, no eval;
 * empty for an invalid cron.
 *
 *   nextRuns('0 9 * * 1-5', new Date('2025-01-03T02:00:00Z'), 'Asia/Shanghai', 2)
 *   // 2025-01-03 09:00 +08 (a Friday), 2025-01-06 09:00 +08 (Monday)
 */
export function nextRuns(cron: string, from: Date, timeZone: string, count = 3): Date[] {
  if (cronError(cron) !== undefined) return [];
  const [mins, hours, dom, months, dow] = cron.trim().split(/\s+/).map(expand) as ReturnType<typeof expand>[];
  const dayMatches = (y: number, mo: number, d: number) => {
    const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
    if (dom!.star || dow!.star) return dom!.values.has(d) && dow!.values.has(wd);
    return dom!.values.has(d) || dow!.values.has(wd);
  };
  const out: Date[] = [];
  const start = from.getTime();
  const [y0, mo0, d0] = partsIn(start, timeZone);
  const hourList = [...hours!.values].sort((a, b) => a - b);
  const minuteList = [...mins!.values].sort((a, b) => a - b);
  // Five years of days is enough for any schedule that fires at all (Feb 29 on a Monday included).
  for (let day = 0; day < 366 * 5 && out.length < count; day++) {
    const date = new Date(Date.UTC(y0, mo0 - 1, d0 + day));
    const [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!months!.values.has(mo) || !dayMatches(y, mo, d)) continue;
    for (const h of hourList) {
      for (const mi of minuteList) {
        const at = instantOf(y, mo, d, h, mi, timeZone);
        if (at > start && !out.some((x) => x.getTime() === at)) out.push(new Date(at));
        if (out.length >= count) return out;
      }
    }
  }
  return out;
}

/** A time as the workspace reads it: `2025-01-06 周一 09:00`. */
export function formatIn(at: Date, timeZone: string, lang: 'zh-CN' | 'en'): string {
  const [y, mo, d, h, mi] = partsIn(at.getTime(), timeZone);
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  const day = lang === 'en' ? ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][wd] : `周${'日一二三四五六'[wd]}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${y}-${pad(mo)}-${pad(d)} ${day} ${pad(h)}:${pad(mi)}`;
}

/** A schedule in words when it is a preset, else the cron itself. */
export function cronWords(cron: string, lang: 'zh-CN' | 'en'): string {
  const preset = CRON_PRESETS.find((p) => p.cron === cron.trim().replace(/\s+/g, ' '));
  if (preset) return preset.label[lang === 'en' ? 1 : 0];
  return lang === 'en' ? `on schedule ${cron}` : `按计划 ${cron}`;
}
