import { sql, type Kysely } from 'kysely';

/**
 * Automation triggers that do not come from a record write
 * (server/src/automation/triggers).
 *
 * - Time triggers need no table: each (flow, record) has one keyed
 *   graphile-worker job (`automation_time:<ws>:<flow>:<record>`), and
 *   `owner_assigned_at` is read from crm.audit_log (audit_log_record_ix).
 * - `crm.automation_schedules`: one row per enabled schedule (cron) flow of
 *   the published revision, kept by publish; `last_tick` is the minute up to
 *   which the flow has been looked at. A tick locks the rows it works on
 *   (`for update skip locked`), so ticks of several processes never look at
 *   one flow at once; runs carry the dedupe key `schedule:<flow>:<minute>`.
 * - `crm.automation_webhook_keys`: inbound webhook keys, per flow; only the
 *   SHA-256 hash of a key is stored (shown once when made), revocable.
 * - `crm.automation_webhook_rate`: inbound webhook calls per flow and minute
 *   (the rate limit every server process shares); the tick deletes old windows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.automation_schedules (
      workspace_id uuid not null references crm.workspaces(id),
      flow_id text not null,
      cron text not null,
      last_tick timestamptz not null,
      primary key (workspace_id, flow_id)
    )`.execute(db);
  await sql`create index automation_schedules_due_ix on crm.automation_schedules (last_tick)`.execute(db);

  await sql`
    create table crm.automation_webhook_keys (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      flow_id text not null,
      name text not null,
      key_hash text not null unique,
      -- the first characters of the key, so a list can tell keys apart
      prefix text not null,
      created_by uuid not null references crm.users(id),
      created_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index automation_webhook_keys_flow_ix on crm.automation_webhook_keys (workspace_id, flow_id)`.execute(db);

  await sql`
    create table crm.automation_webhook_rate (
      workspace_id uuid not null,
      flow_id text not null,
      window_start timestamptz not null,
      hits integer not null,
      primary key (workspace_id, flow_id, window_start)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['automation_webhook_rate', 'automation_webhook_keys', 'automation_schedules']) {
    await sql`drop table if exists ${sql.raw(`crm.${t}`)}`.execute(db);
  }
}
