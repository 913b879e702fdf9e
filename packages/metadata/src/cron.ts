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
