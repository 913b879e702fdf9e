import { sql, type Kysely } from 'kysely';

/**
 * Notifications module: in-app notifications of one user in one workspace
 * (@mentions, task due reminders, later automations). `dedupe_key` makes a
 * producer idempotent: the same key for the same user is written once (a due
 * reminder uses the task and its due instant, so moving the due date reminds
 * again). The recent-records query reads the audit log by actor.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.notifications (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      user_id uuid not null references crm.users(id),
      kind text not null,
      entity text,
      record_id uuid,
      title text not null default '',
      body text,
      data jsonb not null default '{}'::jsonb,
      actor_id uuid references crm.users(id),
      dedupe_key text,
      created_at timestamptz not null,
      read_at timestamptz
    )`.execute(db);
  // A user's feed, newest first; the unread badge reads the partial index only.
  await sql`create index notifications_feed_ix on crm.notifications (workspace_id, user_id, created_at desc, id desc)`.execute(db);
  await sql`create index notifications_unread_ix on crm.notifications (workspace_id, user_id, created_at desc) where read_at is null`.execute(db);
  await sql`create unique index notifications_dedupe_ux on crm.notifications (workspace_id, user_id, dedupe_key) where dedupe_key is not null`.execute(db);
  await sql`create index audit_log_actor_ix on crm.audit_log (workspace_id, actor_id, at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists crm.audit_log_actor_ix`.execute(db);
  await sql`drop table if exists crm.notifications`.execute(db);
}
