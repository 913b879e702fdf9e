import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import { isUuid, uuidv7 } from '../infra/ids.js';
import { decodeTimeCursor, encodeTimeCursor } from '../infra/time-cursor.js';

export type NotificationKind = 'mention' | 'task_due' | 'assigned' | 'automation';

/** A notification as the API shows it. */
export interface Notification {
  id: string;
  kind: string;
  entity: string | null;
  recordId: string | null;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
  actor: { id: string; name: string } | null;
  createdAt: string;
  readAt: string | null;
}

export interface NewNotification {
  workspaceId: string;
  userId: string;
  kind: NotificationKind;
  entity?: string;
  recordId?: string;
  title: string;
  body?: string | null;
  data?: Record<string, unknown>;
  actorId?: string | null;
  /** Written once per user: a second insert with the same key is skipped. */
  dedupeKey?: string;
}

type Row = {
  id: string; kind: string; entity: string | null; record_id: string | null; title: string; body: string | null; data: Record<string, unknown>;
  actor_id: string | null; actor_name: string | null; created_at: Date; read_at: Date | null;
};

const toWire = (r: Row): Notification => ({
  id: r.id, kind: r.kind, entity: r.entity, recordId: r.record_id, title: r.title, body: r.body, data: r.data ?? {},
  actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
  createdAt: r.created_at.toISOString(), readAt: r.read_at ? r.read_at.toISOString() : null,
});


/**
 * crm.notifications. Every read and write names the workspace and the user
 * whose notifications they are, so a user only ever reaches their own.
 */
export class NotificationStore {
  constructor(private readonly db: Kysely<any>) {}

  /** Inserts in one statement; rows whose dedupe key the user already has are skipped. Returns how many were written. */
  async insert(rows: NewNotification[], now: Date, db: Kysely<any> = this.db): Promise<number> {
    if (!rows.length) return 0;
    const { rows: written } = await sql`insert into crm.notifications
        (id, workspace_id, user_id, kind, entity, record_id, title, body, data, actor_id, dedupe_key, created_at)
      values ${sql.join(rows.map((n) => sql`(${uuidv7(now.getTime())}, ${n.workspaceId}, ${n.userId}, ${n.kind}, ${n.entity ?? null}, ${n.recordId ?? null},
        ${n.title}, ${n.body ?? null}, ${JSON.stringify(n.data ?? {})}::jsonb, ${n.actorId ?? null}, ${n.dedupeKey ?? null}, ${now})`))}
      on conflict (workspace_id, user_id, dedupe_key) where dedupe_key is not null do nothing
      returning id`.execute(db);
    return written.length;
  }

  /** Newest first, `limit` per page; the cursor is the last item's (created_at, id). */
  async feed(workspaceId: string, userId: string, opts: { unread?: boolean; limit: number; cursor?: string }) {
    const after = opts.cursor ? decodeTimeCursor(opts.cursor) : undefined;
    const { rows } = await sql<Row>`select n.id, n.kind, n.entity, n.record_id, n.title, n.body, n.data, n.actor_id, u.name as actor_name, n.created_at, n.read_at
      from crm.notifications n left join crm.users u on u.id = n.actor_id
      where n.workspace_id = ${workspaceId} and n.user_id = ${userId}
        ${opts.unread ? sql`and n.read_at is null` : sql``}
        ${after ? sql`and (n.created_at, n.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by n.created_at desc, n.id desc limit ${opts.limit + 1}`.execute(this.db);
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > opts.limit && last ? encodeTimeCursor(last.created_at, last.id) : null;
    return { data: page.map(toWire), nextCursor, unreadCount: await this.unreadCount(workspaceId, userId) };
  }

  async unreadCount(workspaceId: string, userId: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from crm.notifications
      where workspace_id = ${workspaceId} and user_id = ${userId} and read_at is null`.execute(this.db);
    return rows[0]!.n;
  }

  /** Marks one of the user's notifications read (kept as first read); someone else's is "not found". */
  async markRead(workspaceId: string, userId: string, id: string, now: Date): Promise<Notification> {
    if (!isUuid(id)) throw new AppError('CRM_ERR_NOT_FOUND');
    const { rows } = await sql<Row>`with n as (
        update crm.notifications set read_at = coalesce(read_at, ${now})
        where id = ${id}::uuid and workspace_id = ${workspaceId} and user_id = ${userId}
        returning *)
      select n.id, n.kind, n.entity, n.record_id, n.title, n.body, n.data, n.actor_id, u.name as actor_name, n.created_at, n.read_at
      from n left join crm.users u on u.id = n.actor_id`.execute(this.db);
    if (!rows[0]) throw new AppError('CRM_ERR_NOT_FOUND');
    return toWire(rows[0]);
  }

  async markAllRead(workspaceId: string, userId: string, now: Date): Promise<number> {
    const res = await sql`update crm.notifications set read_at = ${now}
      where workspace_id = ${workspaceId} and user_id = ${userId} and read_at is null`.execute(this.db);
    return Number(res.numAffectedRows ?? 0);
  }
}
