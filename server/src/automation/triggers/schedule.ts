import { sql, type Kysely } from 'kysely';
import type { Flow } from '@crm/metadata';
import { isValidTimeZone } from '@crm/rules';
import { DEFAULT_SETTINGS, type WorkspaceSettings } from '../../context.js';
import type { TriggerDeps } from './deps.js';
import { floorToMinute, latestMatch, parseCron, type CronSpec } from '@crm/metadata';
import { insertRuns, type NewRun } from './runs.js';

/**
 * Schedule (cron) triggers.
 *
 * `crm.automation_schedules` holds one row per enabled schedule flow of the
 * published revision (kept by the publish hook in the publish transaction)
 * with `last_tick`: the minute up to which the flow has been looked at.
 *
 * Every minute graphile-worker's crontab adds ONE `automation_tick` job for
 * all server processes together (its `known_crontabs` row is the lock; the
 * job key `automation_tick` keeps at most one waiting). A tick, in one
 * transaction per 200 flows: takes the flows whose `last_tick` is before the
 * current minute (`for update skip locked`, so two ticks never look at one
 * flow at once), finds the LATEST minute in (last_tick, now] its cron matches
 * in the workspace time zone, creates at most ONE run for it (dedupe key
 * `schedule:<flow>:<minute ISO>`, unique per workspace: even two ticks that
 * both got there make one run), and moves `last_tick` to now.
 *
 * Catch-up policy (SECURITY-CASES 38): after downtime, ONE run for the most
 * recent missed occurrence (`trigger.catchUp: true`, `trigger.since` = the
 * last minute looked at), never one per missed minute. Occurrences older than
 * 400 days are not looked for. A new or changed schedule starts at the
 * publish minute (nothing before it fires).
 */

export const TICK_TASK = 'automation_tick';
/** graphile-worker crontab line: every minute, one attempt (the next tick covers a failed one), one waiting job at most. */
export const TICK_CRONTAB = `* * * * * ${TICK_TASK} ?max=1&jobKey=${TICK_TASK}`;
const TICK_BATCH = 200;
const LOOKBACK_MS = 400 * 86_400_000;

const specs = new Map<string, CronSpec | null>();
function specOf(cron: string): CronSpec | null {
  let s = specs.get(cron);
  if (s === undefined) {
    try {
      s = parseCron(cron);
    } catch {
      s = null;
    }
    if (specs.size > 5000) specs.clear();
    specs.set(cron, s);
  }
  return s;
}

interface Due { workspace_id: string; flow_id: string; cron: string; last_tick: Date; settings: Partial<WorkspaceSettings> | null; published_revision: number }

/** One tick at the clock's minute; returns how many runs it created. */
export async function tick(deps: Pick<TriggerDeps, 'db' | 'clock' | 'enqueue'>): Promise<number> {
  const now = deps.clock.now();
  const minute = new Date(floorToMinute(now.getTime()));
  let created = 0;
  for (;;) {
    const taken = await deps.db.transaction().execute(async (tx) => {
      const { rows } = await sql<Due>`select s.workspace_id, s.flow_id, s.cron, s.last_tick, w.settings, w.published_revision
        from crm.automation_schedules s join crm.workspaces w on w.id = s.workspace_id
        where s.last_tick < ${minute} order by s.workspace_id, s.flow_id limit ${TICK_BATCH} for update of s skip locked`.execute(tx);
      const byWorkspace = new Map<string, { revision: number; runs: NewRun[] }>();
      for (const r of rows) {
        const spec = specOf(r.cron);
        const tz = r.settings?.timeZone && isValidTimeZone(r.settings.timeZone) ? r.settings.timeZone : DEFAULT_SETTINGS.timeZone;
        const from = Math.max(r.last_tick.getTime(), minute.getTime() - LOOKBACK_MS);
        const at = spec ? latestMatch(spec, tz, minute.getTime(), from) : undefined;
        if (at === undefined) continue;
        const earlier = latestMatch(spec!, tz, at - 60_000, from);
        const iso = new Date(at).toISOString();
        const w = byWorkspace.get(r.workspace_id) ?? { revision: r.published_revision, runs: [] };
        w.runs.push({
          flowId: r.flow_id, triggeredBy: null, dedupeKey: `schedule:${r.flow_id}:${iso}`,
          trigger: { event: 'schedule', cron: r.cron, at: iso, timeZone: tz, since: r.last_tick.toISOString(), catchUp: earlier !== undefined },
        });
        byWorkspace.set(r.workspace_id, w);
      }
      for (const [ws, w] of byWorkspace) {
        created += (await insertRuns(tx, ws, w.revision, now, w.runs, deps.enqueue)).filter((x) => x.created).length;
      }
      if (rows.length) {
        await sql`update crm.automation_schedules s set last_tick = ${minute}
          from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ w: r.workspace_id, f: r.flow_id })))}::jsonb) as x(w uuid, f text)
          where s.workspace_id = x.w and s.flow_id = x.f and s.last_tick < ${minute}`.execute(tx);
      }
      return rows.length;
    });
    if (taken < TICK_BATCH) break;
  }
  // Housekeeping: webhook rate windows older than ten minutes.
  await sql`delete from crm.automation_webhook_rate where window_start < ${new Date(minute.getTime() - 10 * 60_000)}`.execute(deps.db);
  return created;
}

/**
 * At publish, in its transaction: the enabled schedule flows of the new
 * revision get their row (a new one, or one whose cron changed, starts at
 * the publish minute; an unchanged one keeps its `last_tick`); rows of flows
 * that are gone, disabled or no longer scheduled are removed.
 */
export async function syncSchedules(tx: Kysely<any>, workspaceId: string, flows: Flow[], now: Date): Promise<void> {
  const scheduled = flows.filter((f) => f.enabled && f.trigger.kind === 'schedule')
    .map((f) => ({ flow_id: f.id, cron: (f.trigger as { cron: string }).cron.trim() }));
  await sql`delete from crm.automation_schedules where workspace_id = ${workspaceId}::uuid
    and not (flow_id = any(${scheduled.map((s) => s.flow_id)}::text[]))`.execute(tx);
  if (!scheduled.length) return;
  await sql`insert into crm.automation_schedules (workspace_id, flow_id, cron, last_tick)
    select ${workspaceId}::uuid, x.flow_id, x.cron, ${new Date(floorToMinute(now.getTime()))}
    from jsonb_to_recordset(${JSON.stringify(scheduled)}::jsonb) as x(flow_id text, cron text)
    on conflict (workspace_id, flow_id) do update set cron = excluded.cron,
      last_tick = case when crm.automation_schedules.cron = excluded.cron then crm.automation_schedules.last_tick else excluded.last_tick end`.execute(tx);
}
