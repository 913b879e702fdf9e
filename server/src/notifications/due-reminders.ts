import { sql, type Kysely } from 'kysely';
import type { Clock } from '../infra/clock.js';
import type { MetadataService } from '../metadata/service.js';
import { workspaceModel } from '../records/model.js';
import type { NotificationStore } from './store.js';

/** Tasks due within this long from now are reminded of. */
export const DUE_SOON_MS = 60 * 60 * 1000;
/** Overdue tasks older than this are left alone (no flood of reminders for last year's backlog). */
export const OVERDUE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Status keys of the default CRM's tasks that mean "nothing left to do". */
const CLOSED_STATUSES = ['done', 'cancelled'];

interface Deps {
  db: Kysely<any>;
  metadata: Pick<MetadataService, 'published'>;
  store: NotificationStore;
}

/**
 * One `task_due` notification per open task due within the next hour or
 * overdue, for its owner. Idempotent: the key is the task and its due
 * instant, so running it again writes nothing, and moving the due date
 * reminds once more. A small module on purpose: automations (issue 7) will
 * schedule it with graphile-worker instead of the timer below.
 *
 * Returns how many notifications were written.
 */
export async function remindDueTasks(deps: Deps, clock: Clock, log: (msg: string) => void = () => {}): Promise<number> {
  const now = clock.now();
  const workspaces = await deps.db.selectFrom('crm.workspaces').select(['id', 'schema_name']).execute();
  let written = 0;
  for (const ws of workspaces) {
    try {
      written += await remindIn(deps, { id: ws.id as string, schema: ws.schema_name as string }, now);
    } catch (err) {
      // One workspace's problem (a broken table mid-publish) must not stop the others' reminders.
      log(`due reminders in workspace ${String(ws.id)}: ${(err as Error).message}`);
    }
  }
  return written;
}

async function remindIn(deps: Deps, ws: { id: string; schema: string }, now: Date): Promise<number> {
  const model = workspaceModel(await deps.metadata.published(ws));
  const tasks = model.entities.get('tasks');
  const due = tasks?.fields.get('due');
  if (!tasks || tasks.entity.ownership !== 'owned' || due?.type !== 'datetime') return 0;
  const status = tasks.fields.get('status');
  const title = tasks.fields.get(tasks.entity.titleField);
  const key = sql`'task_due:' || t.id || ':' || to_char(t.due at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const { rows } = await sql<{ id: string; owner_id: string; title: string | null; due: Date; dedupe_key: string }>`
    select t.id, t.owner_id, ${title?.type === 'text' ? sql`${sql.ref(`t.${title.key}`)}` : sql`null`} as title, t.due, ${key} as dedupe_key
    from ${sql.table(`${ws.schema}.${tasks.table}`)} as t
    join crm.workspace_members m on m.workspace_id = ${ws.id} and m.user_id = t.owner_id and m.status = 'active'
    where t.deleted_at is null and t.due is not null
      and t.due <= ${new Date(now.getTime() + DUE_SOON_MS)} and t.due > ${new Date(now.getTime() - OVERDUE_WINDOW_MS)}
      ${status?.type === 'select' ? sql`and (t.status is null or t.status <> all(${CLOSED_STATUSES}::text[]))` : sql``}
      and not exists (select 1 from crm.notifications n where n.workspace_id = ${ws.id} and n.user_id = t.owner_id and n.dedupe_key = ${key})
    order by t.due limit 5000`.execute(deps.db);
  return deps.store.insert(rows.map((r) => ({
    workspaceId: ws.id, userId: r.owner_id, kind: 'task_due' as const, entity: tasks.table, recordId: r.id, title: r.title ?? '',
    data: { due: r.due.toISOString() }, dedupeKey: r.dedupe_key,
  })), now);
}

/** The in-process timer: runs the reminders every `intervalMs`; returns a stop function. Never overlaps itself. */
export function startDueReminders(deps: Deps, clock: Clock, intervalMs: number, log: (msg: string) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    remindDueTasks(deps, clock, log).catch((err) => log(`due reminders: ${(err as Error).message}`)).finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
