import { sql, type Kysely } from 'kysely';

/**
 * Assignment and the public pool.
 *
 * - `crm.assignment_cursors`: whose turn it is. One row per (workspace,
 *   rule_key), rule_key = `<entity>:<team id>[:<region>]`; `last_user_id` is
 *   who got the last record. Every pick locks the row (upsert), so two
 *   concurrent picks take turns instead of both choosing the same member.
 * - `crm.pool_claims`: how many records a member took from an entity's pool
 *   on a day (the workspace's local date). The claim bumps its row with a
 *   conditional upsert, which both counts and locks: concurrent claims of one
 *   member never exceed the daily limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.assignment_cursors (
      workspace_id uuid not null references crm.workspaces(id),
      rule_key text not null,
      last_user_id uuid references crm.users(id),
      updated_at timestamptz not null,
      primary key (workspace_id, rule_key)
    )`.execute(db);

  await sql`
    create table crm.pool_claims (
      workspace_id uuid not null references crm.workspaces(id),
      user_id uuid not null references crm.users(id),
      entity text not null,
      day date not null,
      claimed integer not null,
      primary key (workspace_id, user_id, entity, day)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists crm.pool_claims`.execute(db);
  await sql`drop table if exists crm.assignment_cursors`.execute(db);
}
