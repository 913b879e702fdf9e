import { cronError, localParts, nextMatch, parseCron } from '@crm/metadata';

/** Schedules offered as one click (the field still takes any five-field cron). */
export const CRON_PRESETS: { cron: string; label: [string, string] }[] = [
  { cron: '0 9 * * 1-5', label: ['每个工作日 9:00', 'Every weekday at 9:00'] },
  { cron: '0 * * * *', label: ['每小时整点', 'Every hour'] },
  { cron: '0 8 * * *', label: ['每天 8:00', 'Every day at 8:00'] },
];

/**
 * The next `count` times a five-field cron fires after `from`, in the
 * workspace's time zone: the scheduler's own matcher (`@crm/metadata`), so
 * the preview shows what will run. Empty for an invalid cron.
 *
 *   nextRuns('0 9 * * 1-5', new Date('2025-01-03T02:00:00Z'), 'Asia/Shanghai', 2)
 *   // 2025-01-03 09:00 +08 (a Friday), 2025-01-06 09:00 +08 (Monday)
 */
export function nextRuns(cron: string, from: Date, timeZone: string, count = 3): Date[] {
  if (cronError(cron) !== undefined) return [];
  const spec = parseCron(cron);
  const out: Date[] = [];
  for (let after = from.getTime(); out.length < count;) {
    // Five years ahead: a schedule for Feb 29 still shows its next run.
    const at = nextMatch(spec, timeZone, after, 5 * 366 * 86_400_000);
    if (at === undefined) break;
    out.push(new Date(at));
    after = at;
  }
  return out;
}

/** A time as the workspace reads it: `2025-01-06 周一 09:00`. */
export function formatIn(at: Date, timeZone: string, lang: 'zh-CN' | 'en'): string {
  const { year: y, month: mo, day: d, hour: h, minute: mi, weekday: wd } = localParts(at.getTime(), timeZone);
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
