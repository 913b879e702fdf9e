import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import { isUuid, uuidv7 } from '../infra/ids.js';
import type { MailMeta, NormalizedMessage, OutboxStatus } from './message.js';
import type { OutgoingMail } from './smtp.js';
import { decodeTimeCursor, encodeTimeCursor } from '../infra/time-cursor.js';

/** An outbox row as the API lists it (no bodies). */
export interface OutboxEntry extends Omit<OutgoingMail, 'text' | 'html'> {
  id: string;
  status: OutboxStatus;
  meta: MailMeta;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** One message with its bodies. `html` is data for the client to show safely (e.g. a sandboxed frame), never served as a page. */
export interface OutboxMessage extends OutboxEntry, Pick<OutgoingMail, 'text' | 'html'> {}

export interface Enqueued {
  id: string;
  messageId: string;
  status: OutboxStatus;
  /** false when the workspace already had a message with this Message-ID (nothing was written). */
  created: boolean;
}

/** A row claimed for delivery. */
export interface ClaimedRow extends OutgoingMail {
  id: string;
  attempts: number;
}

type Row = {
  id: string; message_id: string; status: OutboxStatus; from_addr: string | null; reply_to: string | null; to_addrs: string[]; cc_addrs: string[];
  subject: string; meta: MailMeta | null; attempts: number; last_error: string | null; next_attempt_at: Date | null; created_at: Date; sent_at: Date | null;
  body_text?: string; body_html?: string | null;
};

const LIST_COLUMNS = sql`id, message_id, status, from_addr, reply_to, to_addrs, cc_addrs, subject, meta, attempts, last_error, next_attempt_at, created_at, sent_at`;

const toEntry = (r: Row): OutboxEntry => ({
  id: r.id, messageId: r.message_id, status: r.status, from: r.from_addr, replyTo: r.reply_to, to: r.to_addrs, cc: r.cc_addrs,
  subject: r.subject, meta: r.meta ?? {}, attempts: r.attempts, lastError: r.last_error,
  nextAttemptAt: r.status === 'pending' && r.next_attempt_at ? r.next_attempt_at.toISOString() : null,
  createdAt: r.created_at.toISOString(), sentAt: r.sent_at ? r.sent_at.toISOString() : null,
});


/**
 * crm.mail_outbox. Reads for the API name the workspace; the relay's calls
 * (claim, mark) work by row id across workspaces, as a background job does.
 */
export class MailOutbox {
  constructor(private readonly db: Kysely<any>) {}

  /**
   * Writes one message in `db` (a transaction, to commit or roll back with the
   * caller's own writes). A message whose Message-ID the workspace already has
   * is not written again: the existing row is returned.
   */
  async insert(db: Kysely<any>, m: NormalizedMessage, status: 'pending' | 'captured', now: Date): Promise<Enqueued> {
    const { rows } = await sql<{ id: string; message_id: string; status: OutboxStatus }>`insert into crm.mail_outbox
        (id, workspace_id, message_id, from_addr, reply_to, to_addrs, cc_addrs, subject, body_text, body_html, meta, status, attempts, next_attempt_at, created_at)
      values (${uuidv7(now.getTime())}, ${m.workspaceId}, ${m.messageId}, ${m.from}, ${m.replyTo}, ${m.to}::text[], ${m.cc}::text[], ${m.subject},
        ${m.text}, ${m.html}, ${JSON.stringify(m.meta)}::jsonb, ${status}, 0, ${status === 'pending' ? now : null}, ${now})
      on conflict (workspace_id, message_id) do nothing
      returning id, message_id, status`.execute(db);
    if (rows[0]) return { id: rows[0].id, messageId: rows[0].message_id, status: rows[0].status, created: true };
    const { rows: existing } = await sql<{ id: string; message_id: string; status: OutboxStatus }>`select id, message_id, status from crm.mail_outbox
      where workspace_id = ${m.workspaceId} and message_id = ${m.messageId}`.execute(db);
    return { id: existing[0]!.id, messageId: existing[0]!.message_id, status: existing[0]!.status, created: false };
  }

  /** Newest first, `limit` per page; the cursor is the last item's (created_at, id). */
  async list(workspaceId: string, opts: { status?: OutboxStatus; limit: number; cursor?: string }): Promise<{ data: OutboxEntry[]; nextCursor: string | null }> {
    const after = opts.cursor ? decodeTimeCursor(opts.cursor) : undefined;
    const { rows } = await sql<Row>`select ${LIST_COLUMNS} from crm.mail_outbox
      where workspace_id = ${workspaceId}
        ${opts.status ? sql`and status = ${opts.status}` : sql``}
        ${after ? sql`and (created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by created_at desc, id desc limit ${opts.limit + 1}`.execute(this.db);
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    return { data: page.map(toEntry), nextCursor: rows.length > opts.limit && last ? encodeTimeCursor(last.created_at, last.id) : null };
  }

  /** One message of the workspace; another workspace's (or a malformed id) is "not found". */
  async get(workspaceId: string, id: string): Promise<OutboxMessage> {
    if (!isUuid(id)) throw new AppError('CRM_ERR_NOT_FOUND');
    const { rows } = await sql<Row>`select ${LIST_COLUMNS}, body_text, body_html from crm.mail_outbox
      where workspace_id = ${workspaceId} and id = ${id}::uuid`.execute(this.db);
    const r = rows[0];
    if (!r) throw new AppError('CRM_ERR_NOT_FOUND');
    return { ...toEntry(r), text: r.body_text ?? '', html: r.body_html ?? null };
  }

  async status(id: string): Promise<OutboxStatus | undefined> {
    const { rows } = await sql<{ status: OutboxStatus }>`select status from crm.mail_outbox where id = ${id}::uuid`.execute(this.db);
    return rows[0]?.status;
  }

  /** Ids of pending rows that are due and not leased, oldest due first. */
  async due(now: Date, limit: number): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`select id from crm.mail_outbox
      where status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until <= ${now})
      order by next_attempt_at, id limit ${limit}`.execute(this.db);
    return rows.map((r) => r.id);
  }

  /**
   * Takes a due pending row for one delivery attempt: counts the attempt and
   * leases the row until `leaseUntil`, in one statement, so that of two relays
   * only one sends it. No row: sent, failed, captured, leased or not yet due.
   */
  async claim(id: string, now: Date, leaseUntil: Date): Promise<ClaimedRow | undefined> {
    const { rows } = await sql<Row & { body_text: string; body_html: string | null }>`update crm.mail_outbox
      set attempts = attempts + 1, locked_until = ${leaseUntil}
      where id = ${id}::uuid and status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until <= ${now})
      returning id, message_id, from_addr, reply_to, to_addrs, cc_addrs, subject, body_text, body_html, attempts`.execute(this.db);
    const r = rows[0];
    return r ? { id: r.id, messageId: r.message_id, from: r.from_addr, replyTo: r.reply_to, to: r.to_addrs, cc: r.cc_addrs,
      subject: r.subject, text: r.body_text, html: r.body_html, attempts: r.attempts } : undefined;
  }

  /** The SMTP server accepted it. `note` keeps recipients it refused while accepting the others. */
  async markSent(id: string, now: Date, note: string | null): Promise<void> {
    await sql`update crm.mail_outbox set status = 'sent', sent_at = ${now}, locked_until = null, next_attempt_at = null, last_error = ${note}
      where id = ${id}::uuid and status = 'pending'`.execute(this.db);
  }

  /** An attempt failed: retry at `retryAt`, or (null) give up with status 'failed'. */
  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await sql`update crm.mail_outbox
      set status = ${retryAt ? 'pending' : 'failed'}, last_error = ${error}, locked_until = null, next_attempt_at = ${retryAt}
      where id = ${id}::uuid and status = 'pending'`.execute(this.db);
  }
}
