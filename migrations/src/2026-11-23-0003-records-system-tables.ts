import { sql, type Kysely } from 'kysely';

/**
 * Records module: teams (a tree), team members, entity roles of members,
 * idempotency keys, autonumber counters, stage history, stored files,
 * personal API tokens and login attempts (rate limit shared by all processes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.teams (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      parent_id uuid references crm.teams(id),
      name text not null,
      attributes jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index teams_ws_ix on crm.teams (workspace_id, parent_id)`.execute(db);

  await sql`
    create table crm.team_members (
      team_id uuid not null references crm.teams(id),
      user_id uuid not null references crm.users(id),
      is_manager boolean not null default false,
      primary key (team_id, user_id)
    )`.execute(db);
  await sql`create index team_members_user_ix on crm.team_members (user_id)`.execute(db);

  await sql`
    create table crm.member_roles (
      workspace_id uuid not null references crm.workspaces(id),
      user_id uuid not null references crm.users(id),
      role_key text not null,
      primary key (workspace_id, user_id, role_key)
    )`.execute(db);

  await sql`
    create table crm.idempotency_keys (
      workspace_id uuid not null references crm.workspaces(id),
      user_id uuid not null references crm.users(id),
      key text not null,
      entity text not null,
      record_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (workspace_id, user_id, key)
    )`.execute(db);

  await sql`
    create table crm.counters (
      workspace_id uuid not null references crm.workspaces(id),
      entity text not null,
      field text not null,
      period text not null,
      value bigint not null,
      primary key (workspace_id, entity, field, period)
    )`.execute(db);

  await sql`
    create table crm.stage_history (
      id bigint generated always as identity primary key,
      workspace_id uuid not null references crm.workspaces(id),
      entity text not null,
      record_id uuid not null,
      field text not null,
      from_value text,
      to_value text,
      at timestamptz not null,
      by_user uuid references crm.users(id)
    )`.execute(db);
  await sql`create index stage_history_record_ix on crm.stage_history (workspace_id, entity, record_id, at)`.execute(db);

  await sql`
    create table crm.files (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      name text not null,
      size bigint not null,
      mime text not null,
      sha256 text not null,
      created_by uuid references crm.users(id),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table crm.api_tokens (
      id uuid primary key,
      user_id uuid not null references crm.users(id),
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);

  await sql`
    create table crm.login_attempts (
      id bigint generated always as identity primary key,
      key text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index login_attempts_key_ix on crm.login_attempts (key, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['login_attempts', 'api_tokens', 'files', 'stage_history', 'counters', 'idempotency_keys', 'member_roles', 'team_members', 'teams']) {
    await sql`drop table if exists ${sql.table(`crm.${t}`)}`.execute(db);
  }
}
