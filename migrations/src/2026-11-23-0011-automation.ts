import { sql, type Kysely } from 'kysely';

/**
 * Automations.
 *
 * - `crm.audit_log.via`: which automation wrote a row ({flow, run, step,
 *   chain, by}), so the timeline names it and a chain of flows can be
 *   followed (loop detection).
 * - `crm.automation_captures`: the (entity, audit action) pairs some enabled
 *   flow listens to (kept by publish).
 * - `crm.automation_inbox`: one row per record audit row of such a pair,
 *   written by a statement trigger on crm.audit_log in the
 *   write's own transaction (every write path writes audit rows, so every
 *   path triggers automations the same way): a rolled-back write leaves
 *   nothing, a committed one is never missed. The same trigger adds ONE
 *   graphile-worker job per transaction and workspace (`automation_pump`)
 *   that turns inbox rows into runs (several pumps share the work with
 *   `skip locked`).
 *   graphile_worker.add_job is resolved when the trigger runs: the server
 *   installs graphile-worker's schema at start, before any flow is published.
 * - `crm.automation_flows`: who owns each flow (its runs act with that
 *   member's rights), set when the flow is published.
 * - `crm.automation_runs` / `crm.automation_steps`: every run with the
 *   revision it started on, every step with input, output, error, attempts
 *   and duration. `(run_id, key)` is the step's claim: a step is done once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table crm.audit_log add column via jsonb`.execute(db);

  // Which writes can start a flow (entity and audit action), kept at publish: only those are captured, so a flow's
  // own update of a record nothing listens to costs no inbox row and no pump.
  await sql`
    create table crm.automation_captures (
      workspace_id uuid not null references crm.workspaces(id),
      entity text not null,
      action text not null,
      primary key (workspace_id, entity, action)
    )`.execute(db);

  await sql`
    create table crm.automation_inbox (
      audit_id bigint primary key,
      workspace_id uuid not null
    )`.execute(db);
  await sql`create index automation_inbox_ws_ix on crm.automation_inbox (workspace_id, audit_id)`.execute(db);

  await sql`
    create table crm.automation_flows (
      workspace_id uuid not null references crm.workspaces(id),
      flow_id text not null,
      owner_id uuid not null references crm.users(id),
      published_revision integer not null,
      primary key (workspace_id, flow_id)
    )`.execute(db);

  // Signs outbound webhooks (X-CRM-Signature); made on first use, per workspace.
  await sql`create table crm.automation_secrets (workspace_id uuid primary key references crm.workspaces(id), secret text not null)`.execute(db);

  await sql`
    create table crm.automation_runs (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      flow_id text not null,
      revision integer not null,
      status text not null check (status in ('queued', 'running', 'waiting', 'completed', 'stopped', 'failed')),
      entity text,
      record_id text,
      trigger jsonb not null default '{}'::jsonb,
      triggered_by uuid references crm.users(id),
      -- whose rights the run had (the flow owner when it ran)
      acted_as uuid references crm.users(id),
      chain text[] not null default '{}',
      parent_run uuid references crm.automation_runs(id),
      dedupe_key text,
      attempts integer not null default 0,
      error jsonb,
      failed_step text,
      created_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz,
      wake_at timestamptz,
      -- a runner holds a run until then; past it (the process died) the recovery sweep queues it again
      lease_until timestamptz
    )`.execute(db);
  await sql`create unique index automation_runs_dedupe_ux on crm.automation_runs (workspace_id, dedupe_key) where dedupe_key is not null`.execute(db);
  await sql`create index automation_runs_flow_ix on crm.automation_runs (workspace_id, flow_id, created_at desc)`.execute(db);
  await sql`create index automation_runs_record_ix on crm.automation_runs (workspace_id, entity, record_id, created_at desc) where record_id is not null`.execute(db);
  await sql`create index automation_runs_open_ix on crm.automation_runs (status, lease_until) where status in ('queued', 'running')`.execute(db);
  await sql`create index automation_runs_failed_ix on crm.automation_runs (workspace_id, created_at desc) where status = 'failed'`.execute(db);

  await sql`
    create table crm.automation_steps (
      run_id uuid not null references crm.automation_runs(id),
      key text not null,
      kind text not null,
      status text not null check (status in ('done', 'claimed', 'waiting', 'failed')),
      input jsonb not null default '{}'::jsonb,
      output jsonb not null default '{}'::jsonb,
      error jsonb,
      attempts integer not null default 1,
      started_at timestamptz not null,
      finished_at timestamptz,
      -- the order steps were first recorded in (the run page lists them so)
      seq bigint generated always as identity,
      primary key (run_id, key)
    )`.execute(db);

  await sql`
    create function crm.automation_capture() returns trigger language plpgsql as $fn$
    declare
      w uuid;
    begin
      insert into crm.automation_inbox (audit_id, workspace_id)
      select c.id, c.workspace_id from changed c
      join crm.automation_captures k on k.workspace_id = c.workspace_id and k.entity = c.entity and k.action = c.action
      where c.record_id is not null
      on conflict do nothing;
      for w in select distinct c.workspace_id from changed c
        join crm.automation_captures k on k.workspace_id = c.workspace_id and k.entity = c.entity and k.action = c.action
        where c.record_id is not null
      loop
        -- One pump job per transaction and workspace: a transaction-local marker, not a job key (a shared key
        -- would make concurrent writers of a workspace wait for each other's commit on the job row).
        continue when coalesce(current_setting('crm.automation_pumped', true), '') like '%' || w::text || '%';
        perform set_config('crm.automation_pumped', coalesce(current_setting('crm.automation_pumped', true), '') || w::text || ',', true);
        perform graphile_worker.add_job('automation_pump', json_build_object('w', w));
      end loop;
      return null;
    end
    $fn$`.execute(db);
  await sql`create trigger audit_log_automation_capture after insert on crm.audit_log
    referencing new table as changed for each statement execute function crm.automation_capture()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_automation_capture on crm.audit_log`.execute(db);
  await sql`drop function if exists crm.automation_capture()`.execute(db);
  for (const t of ['automation_steps', 'automation_runs', 'automation_secrets', 'automation_flows', 'automation_inbox', 'automation_captures']) {
    await sql`drop table if exists ${sql.raw(`crm.${t}`)}`.execute(db);
  }
  await sql`alter table crm.audit_log drop column if exists via`.execute(db);
}
