import { sql, type Kysely } from 'kysely';
import { addDuration, conditionHolds, type RecordEvent, type Row } from '@crm/automation';
import type { Entity, Flow } from '@crm/metadata';
import { isDate, zonedMidnight } from '@crm/rules';
import type { WorkspaceContext } from '../../context.js';
import type { PublishedMetadata } from '../../metadata/cache.js';
import { automationRuleSchema } from '../engine-ports.js';
import type { RecordsService } from '../../records/service.js';
import type { Clock } from '../../infra/clock.js';
import { publishedFlow, triggerIs, type TriggerDeps, type TriggerOf } from './deps.js';
import { insertRuns } from './runs.js';

/**
 * Time triggers ("2 days before expected close", "24 hours after assignment
 * if no activity since").
 *
 * Each (flow, record) has at most ONE graphile-worker job, keyed
 * `automation_time:<ws>:<flow>:<record>`, due at anchor + offset:
 * - the pump writes it in its transaction (the one that turns a write's audit
 *   rows into runs) when a record is created or restored, or its anchor
 *   changes (job_key_mode replace: the job moves); it removes it
 *   (graphile_worker.remove_job) when the record is deleted or the anchor
 *   emptied;
 * - a publish that adds or changes a time trigger queues a backfill job in the
 *   publish transaction (see `backfillTime`);
 * - when the job fires, the record is read again (deleted: nothing), the
 *   anchor recomputed (moved later: the job is put back at the new time), the
 *   trigger's condition and `unlessActivitySince` tested, and the run created
 *   with dedupe key `time:<flow>:<record>:<anchor ISO>`: a double fire, a
 *   retry or a re-publish make one run per anchor.
 *
 * Anchors: a date field is its midnight in the workspace time zone, a
 * datetime field its instant, `created_at`/`updated_at` the system columns,
 * `owner_assigned_at` the time of the record's latest audit row that set
 * `owner_id` (its creation with an owner, or a change of owner): read from
 * the audit log, so no system column is needed; a record without an owner
 * has no anchor.
 *
 * Past-due rule: a time trigger fires for moments that were still ahead when
 * it learned of them (the write that set the anchor, or the publish that
 * added the trigger), with a minute's grace; a moment already past then is
 * skipped, never fired late in bulk. "24 h after assignment" published for a
 * record assigned 3 days ago does not fire; setting an expected close date to
 * yesterday does not fire "2 days before". A job that was due while the
 * workers were down fires when they are back (it was ahead when scheduled).
 */

export const TIME_TASK = 'automation_time';
export const TIME_BACKFILL_TASK = 'automation_time_backfill';
const PREFIX = 'automation_time:';
export const timeJobKey = (workspaceId: string, flowId: string, recordId: string) => `${PREFIX}${workspaceId}:${flowId}:${recordId}`;
/** The job key's parts (the job's payload says the same). */
export function parseTimeJobKey(key: string): TimePayload | undefined {
  const m = /^automation_time:([0-9a-f-]{36}):([a-z][a-z0-9_]{1,63}):([0-9a-f-]{36})$/.exec(key);
  return m ? { w: m[1]!, f: m[2]!, r: m[3]! } : undefined;
}

export interface TimePayload { w: string; f: string; r: string }

const GRACE_MS = 60_000;
/** A job that fires this much before its (recomputed) due time is put back instead (clock skew between node and database). */
const EARLY_MS = 5_000;
const BACKFILL_BATCH = 1_000;

type TimeTrigger = TriggerOf<'time'>;

const instant = (v: unknown): Date | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== 'string' || !v) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms);
};

/** The anchor of a record (wire or raw row): see the module comment. */
export function anchorOf(t: TimeTrigger, record: Row, timeZone: string, ownerAssignedAt?: Date | null): Date | null {
  if (t.field === 'owner_assigned_at') return record.owner_id ? ownerAssignedAt ?? null : null;
  const v = record[t.field];
  if (typeof v === 'string' && isDate(v)) return new Date(zonedMidnight(v, timeZone));
  return instant(v);
}

export const dueOf = (t: TimeTrigger, anchor: Date): Date => addDuration(anchor, t.offset);

/** When `owner_id` was last set on each record (audit log), for `owner_assigned_at`. */
async function ownerAssignedAt(db: Kysely<any>, workspaceId: string, entity: string, ids: string[]): Promise<Map<string, Date>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<{ record_id: string; at: Date }>`select distinct on (record_id) record_id, at from crm.audit_log
    where workspace_id = ${workspaceId}::uuid and entity = ${entity} and record_id = any(${ids}::text[])
      and action in ('record.create', 'record.update') and changes -> 'owner_id' is not null
    order by record_id, at desc, id desc`.execute(db);
  return new Map(rows.map((r) => [r.record_id, r.at]));
}

interface JobSpec { key: string; runAt: Date; payload: TimePayload }

async function addJobs(db: Kysely<any>, jobs: JobSpec[]): Promise<void> {
  if (!jobs.length) return;
  // One add_jobs call per batch; keys are unique in it (ON CONFLICT cannot touch one row twice).
  const unique = [...new Map(jobs.map((j) => [j.key, j])).values()];
  await sql`select count(*) from graphile_worker.add_jobs(array(
      select row(${TIME_TASK}, x.payload, null, x.run_at, 10, x.job_key, null, null)::graphile_worker.job_spec
      from jsonb_to_recordset(${JSON.stringify(unique.map((j) => ({ job_key: j.key, run_at: j.runAt.toISOString(), payload: j.payload })))}::jsonb)
        as x(job_key text, run_at timestamptz, payload json)))`.execute(db);
}

async function removeJobs(db: Kysely<any>, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await sql`select count(graphile_worker.remove_job(k)) from unnest(${keys}::text[]) as k`.execute(db);
}

export interface AuditLike { id: number; entity: string; record_id: string; action: string; changes: Row | null }

/**
 * The pump's part (in its transaction): for every record whose write matters
 * to a time trigger (created, restored, deleted, its anchor changed), the
 * flow's job for that record is written at the new due time, or removed.
 */
export async function scheduleTimeJobs(deps: { records: RecordsService }, tx: Kysely<any>, ws: WorkspaceContext, flows: Flow[], audits: AuditLike[]): Promise<void> {
  const timeFlows = flows.filter((f): f is Flow & { trigger: TimeTrigger } => f.enabled && triggerIs(f, 'time'));
  if (!timeFlows.length) return;
  const entities = new Set(timeFlows.map((f) => f.trigger.entity));
  const relevant = audits.filter((a) => entities.has(a.entity) && a.action.startsWith('record.'));
  if (!relevant.length) return;
  const { rows: times } = await sql<{ id: number; at: Date }>`select id, at from crm.audit_log where id = any(${relevant.map((a) => a.id)}::bigint[])`.execute(tx);
  const at = new Map(times.map((r) => [Number(r.id), r.at]));

  const current = new Map<string, Row>();
  for (const entity of entities) {
    const ids = [...new Set(relevant.filter((a) => a.entity === entity).map((a) => a.record_id))];
    for (const r of await deps.records.rowsForAutomation(ws, entity, ids, tx)) current.set(`${entity}:${String(r.id)}`, r);
  }

  const add: JobSpec[] = [];
  const remove: string[] = [];
  for (const flow of timeFlows) {
    const t = flow.trigger;
    // Per record: the latest write that matters, and when its owner was last set in this batch.
    const touched = new Map<string, { writeAt: Date; ownerAt?: Date }>();
    for (const a of relevant) {
      if (a.entity !== t.entity) continue;
      const changed = Object.keys(a.changes ?? {});
      const upsert = a.action === 'record.create' || a.action === 'record.update';
      const matters = a.action !== 'record.update' ? true
        : t.field === 'updated_at' ? true
          : t.field === 'owner_assigned_at' ? changed.includes('owner_id')
            : t.field !== 'created_at' && changed.includes(t.field);
      if (!matters) continue;
      const writeAt = at.get(Number(a.id)) ?? new Date(0);
      const before = touched.get(a.record_id);
      const ownerAt = upsert && changed.includes('owner_id') ? writeAt : before?.ownerAt;
      touched.set(a.record_id, { writeAt, ...(ownerAt ? { ownerAt } : {}) });
    }
    if (!touched.size) continue;
    // A restore brings an owner set long ago: read it from the audit log.
    const unknownOwner = t.field === 'owner_assigned_at' ? [...touched].filter(([, v]) => !v.ownerAt).map(([id]) => id) : [];
    const owners = await ownerAssignedAt(tx, ws.id, t.entity, unknownOwner);
    for (const [id, info] of touched) {
      const rec = current.get(`${t.entity}:${id}`);
      const key = timeJobKey(ws.id, flow.id, id);
      const anchor = rec && !rec.deleted_at ? anchorOf(t, rec, ws.settings.timeZone, info.ownerAt ?? owners.get(id)) : null;
      const due = anchor && dueOf(t, anchor);
      if (!due || due.getTime() < info.writeAt.getTime() - GRACE_MS) remove.push(key);
      else add.push({ key, runAt: due, payload: { w: ws.id, f: flow.id, r: id } });
    }
  }
  await addJobs(tx, add);
  await removeJobs(tx, remove);
}

/**
 * Was an activity logged on the record since `since`? A record of an activity
 * entity (`isActivity`: activities, tasks) linked to it by a relation field,
 * created since then by a person: activities an automation created (the
 * follow-up task an assignment flow adds) do not count, or every such flow
 * would silence its own reminder. `last_activity_at` (kept by the records
 * service on every activity write, automated or not) answers "no" without
 * a query when it is older.
 */
export async function activitySince(db: Kysely<any>, meta: PublishedMetadata, ws: WorkspaceContext, entity: string, record: Row, since: Date): Promise<boolean> {
  const entities = meta.documents.filter((d) => d.kind === 'entity').map((d) => d.body as unknown as Entity).filter((e) => !e.archived);
  const own = entities.find((e) => e.key === entity);
  if (own?.hasActivities) {
    const last = instant(record.last_activity_at);
    if (!last || last.getTime() < since.getTime()) return false;
  }
  for (const e of entities) {
    if (!e.isActivity) continue;
    for (const f of e.fields) {
      if (f.archived || f.type !== 'relation' || (f as { target?: string }).target !== entity) continue;
      const { rows } = await sql`select 1 from ${sql.table(`${ws.schemaName}.${e.key}`)} as x
        where x.${sql.ref(f.key)} = ${String(record.id)}::uuid and x.deleted_at is null and x.created_at >= ${since}
          and exists (select 1 from crm.audit_log a where a.workspace_id = ${ws.id}::uuid and a.entity = ${e.key}
            and a.record_id = x.id::text and a.action = 'record.create' and a.via is null)
        limit 1`.execute(db);
      if (rows.length) return true;
    }
  }
  return false;
}

export type FireOutcome = 'fired' | 'duplicate' | 'rescheduled' | 'skipped';

/** The `automation_time` job: see the module comment. */
export async function fireTime(deps: TriggerDeps, p: TimePayload): Promise<FireOutcome> {
  const ws = await deps.systemContext(p.w);
  if (!ws) return 'skipped';
  const found = await publishedFlow(deps, ws, p.f, 'time');
  if (!found) return 'skipped';
  const { flow, meta } = found;
  const t = flow.trigger;
  const [rec] = await deps.records.rowsForAutomation(ws, t.entity, [p.r]);
  if (!rec || rec.deleted_at) return 'skipped';
  const owners = t.field === 'owner_assigned_at' ? await ownerAssignedAt(deps.db, ws.id, t.entity, [p.r]) : undefined;
  const anchor = anchorOf(t, rec, ws.settings.timeZone, owners?.get(p.r));
  if (!anchor) return 'skipped';
  const due = dueOf(t, anchor);
  const now = deps.clock.now();
  if (due.getTime() > now.getTime() + EARLY_MS) {
    // The anchor moved later and this job was not replaced (or the offset changed): wait for the new time.
    await addJobs(deps.db, [{ key: timeJobKey(ws.id, flow.id, p.r), runAt: due, payload: p }]);
    return 'rescheduled';
  }
  const event: RecordEvent = { kind: 'updated', entity: t.entity, recordId: p.r, record: rec, previous: {}, changed: [], userId: null, chain: [] };
  if (!conditionHolds(t.condition, event, { now, timeZone: ws.settings.timeZone, ruleSchema: (e) => automationRuleSchema(meta, e) })) return 'skipped';
  if (t.unlessActivitySince && (await activitySince(deps.db, meta, ws, t.entity, rec, anchor))) return 'skipped';
  const [run] = await deps.db.transaction().execute((tx) => insertRuns(tx, ws.id, meta.revision, now, [{
    flowId: flow.id, entity: t.entity, recordId: p.r, triggeredBy: null, dedupeKey: `time:${flow.id}:${p.r}:${anchor.toISOString()}`,
    trigger: { event: 'time', field: t.field, anchor: anchor.toISOString(), due: due.toISOString() },
  }], deps.enqueue));
  return run?.created ? 'fired' : 'duplicate';
}

export interface BackfillPayload {
  w: string;
  f: string;
  /** The publish time: moments before it (less a minute) are past due and skipped. */
  since: string;
  /** Remove the flow's existing jobs first (its trigger changed, or it is gone). */
  clear: boolean;
}
export const backfillJobKey = (workspaceId: string, flowId: string) => `${TIME_BACKFILL_TASK}:${workspaceId}:${flowId}`;

/** Queues the backfill (or the clean-up) of a flow's time jobs, in the publish transaction. */
export async function queueBackfill(tx: Kysely<any>, p: BackfillPayload): Promise<void> {
  await sql`select graphile_worker.add_job(${TIME_BACKFILL_TASK}, ${JSON.stringify(p)}::json, job_key := ${backfillJobKey(p.w, p.f)},
    job_key_mode := 'replace', max_attempts := 10)`.execute(tx);
}

/**
 * The `automation_time_backfill` job, queued by the publish that added or
 * changed a time trigger (in the publish transaction, so it commits with
 * it): removes the flow's old jobs when its trigger changed, then schedules a
 * job for every live record of the entity, 1,000 records per transaction and
 * ONE `add_jobs` call each. Not in the publish transaction itself: it costs
 * about 40 ms per 1,000 records (2,000 in 74 ms in the test suite), so 10,000
 * would be cheap enough, but the cost grows with the entity, and 1,000,000
 * would hold the publish lock (and the DDL locks of that publish) for most of
 * a minute. Queued in the publish transaction, it commits (or rolls back)
 * with the publish. A crash half-way retries the job, and writing the
 * same keyed job twice is harmless. Rows are read `for share`: a write to a
 * record waits for its batch, and the pump (which runs after that write)
 * then has the last word on its job.
 */
export async function backfillTime(deps: Pick<TriggerDeps, 'db' | 'published' | 'flows' | 'systemContext' | 'records'> & { clock: Clock }, p: BackfillPayload): Promise<number> {
  const ws = await deps.systemContext(p.w);
  if (!ws) return 0;
  const found = await publishedFlow(deps, ws, p.f, 'time');
  if (p.clear || !found) {
    const prefix = `${PREFIX}${p.w}:${p.f}:`;
    await sql`select count(graphile_worker.remove_job(key)) from graphile_worker.jobs
      where task_identifier = ${TIME_TASK} and left(key, ${prefix.length}) = ${prefix}`.execute(deps.db);
  }
  if (!found) return 0;
  const t = found.flow.trigger;
  const since = Date.parse(p.since) - GRACE_MS;
  const table = sql.table(`${ws.schemaName}.${t.entity}`);
  const column = t.field === 'owner_assigned_at' ? 'owner_id' : t.field;
  let after = '00000000-0000-0000-0000-000000000000';
  let scheduled = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (tx) => {
      const { rows } = await sql<Row & { id: string }>`select id::text as id, ${sql.ref(column)} from ${table}
        where id > ${after}::uuid and deleted_at is null order by id limit ${BACKFILL_BATCH} for share`.execute(tx);
      if (!rows.length) return 0;
      after = rows[rows.length - 1]!.id;
      const owners = t.field === 'owner_assigned_at' ? await ownerAssignedAt(tx, ws.id, t.entity, rows.filter((r) => r.owner_id).map((r) => r.id)) : undefined;
      const jobs: JobSpec[] = [];
      for (const r of rows) {
        const anchor = anchorOf(t, r, ws.settings.timeZone, owners?.get(r.id));
        const due = anchor && dueOf(t, anchor);
        if (due && due.getTime() >= since) jobs.push({ key: timeJobKey(ws.id, found.flow.id, r.id), runAt: due, payload: { w: ws.id, f: found.flow.id, r: r.id } });
      }
      await addJobs(tx, jobs);
      scheduled += jobs.length;
      return rows.length;
    });
    if (n < BACKFILL_BATCH) break;
  }
  return scheduled;
}
