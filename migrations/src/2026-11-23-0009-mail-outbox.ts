import { sql, type Kysely } from 'kysely';

/**
 * Mail module: the outbox. Every message the product sends is a row here
 * first, so a caller can write it in the same transaction as the record
 * change that causes it (a rolled-back write sends nothing) and a relay
 * delivers it after commit, also after a restart. `message_id` (the
 * Message-ID header, e.g. `<run.step@workspace>`) is unique per workspace:
 * enqueueing the same message twice writes one row.
 *
 * status: `pending` (waiting for SMTP, `next_attempt_at` says when),
 * `sent`, `failed` (refused for good or out of attempts, `last_error` says
 * why), `captured` (no SMTP configured: kept to show what would have been
 * sent, never delivered). `locked_until` is the lease of the relay that is
 * delivering the row, so two relays never send it at the same time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.mail_outbox (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      message_id text not null,
      from_addr text,
      reply_to text,
      to_addrs text[] not null,
      cc_addrs text[] not null default '{}',
      subject text not null,
      body_text text not null,
      body_html text,
      meta jsonb not null default '{}'::jsonb,
      status text not null check (status in ('pending', 'sent', 'failed', 'captured')),
      attempts int not null default 0,
      last_error text,
      next_attempt_at timestamptz,
      locked_until timestamptz,
      created_at timestamptz not null,
      sent_at timestamptz,
      constraint mail_outbox_message_ux unique (workspace_id, message_id)
    )`.execute(db);
  // The outbox screen: a workspace's messages newest first (optionally one status).
  await sql`create index mail_outbox_list_ix on crm.mail_outbox (workspace_id, created_at desc, id desc)`.execute(db);
  // The relay reads only what is waiting.
  await sql`create index mail_outbox_due_ix on crm.mail_outbox (next_attempt_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists crm.mail_outbox`.execute(db);
}
