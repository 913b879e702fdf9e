import { sql, type Kysely } from 'kysely';

/**
 * Core system tables: users, sessions, workspaces and their members, the audit
 * log, and the SQL helpers entity tables rely on (search grams, safe cast probe).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);

  await sql`
    create table crm.users (
      id uuid primary key,
      email text not null,
      name text not null,
      password_hash text,
      locale text not null default 'zh-CN',
      status text not null default 'active' check (status in ('active', 'inactive')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_email_uq on crm.users (lower(email))`.execute(db);

  await sql`
    create table crm.sessions (
      id_hash text primary key,
      user_id uuid not null references crm.users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user_ix on crm.sessions (user_id)`.execute(db);

  await sql`
    create table crm.workspaces (
      id uuid primary key,
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
      name text not null,
      schema_name text not null unique check (schema_name ~ '^ws_[0-9a-f]{32}$'),
      settings jsonb not null default '{}'::jsonb,
      published_revision integer not null default 0,
      draft_revision integer not null default 0,
      created_at timestamptz not null default now(),
      created_by uuid references crm.users(id)
    )`.execute(db);

  await sql`
    create table crm.workspace_members (
      workspace_id uuid not null references crm.workspaces(id),
      user_id uuid not null references crm.users(id),
      system_role text not null check (system_role in ('owner', 'admin', 'designer', 'member')),
      status text not null default 'active' check (status in ('active', 'inactive')),
      created_at timestamptz not null default now(),
      primary key (workspace_id, user_id)
    )`.execute(db);

  await sql`
    create table crm.audit_log (
      id bigint generated always as identity primary key,
      workspace_id uuid references crm.workspaces(id),
      at timestamptz not null default now(),
      actor_id uuid references crm.users(id),
      ip text,
      entity text,
      record_id text,
      action text not null,
      changes jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index audit_log_record_ix on crm.audit_log (workspace_id, entity, record_id, at desc)`.execute(db);

  // All unigrams and bigrams of a text, lower-cased, whitespace skipped: a GIN
  // index over it answers 1- and 2-character queries (Chinese words are often
  // two characters) that trigram indexes cannot.
  await sql`
    create function crm.search_grams(v text) returns text[]
    language sql immutable strict parallel safe as $fn$
      select coalesce(array_agg(distinct g), '{}'::text[]) from (
        select substr(t, i, 1) as g from (select lower(v) as t) s, generate_series(1, char_length(lower(v))) i
        where substr(t, i, 1) !~ '[[:space:]]'
        union all
        select substr(t, i, 2) from (select lower(v) as t) s, generate_series(1, char_length(lower(v)) - 1) i
        where substr(t, i, 2) !~ '[[:space:]]'
      ) grams
    $fn$`.execute(db);

  // Whether a text value converts to a target type, with PostgreSQL's own cast
  // rules (PostgreSQL 15 has no pg_input_is_valid). The target is checked
  // against a fixed pattern before it reaches dynamic SQL; the value is quoted.
  await sql`
    create function crm.can_cast(v text, target text) returns boolean
    language plpgsql stable as $fn$
    begin
      if target !~ '^(bigint|boolean|date|timestamptz|uuid|numeric[(][0-9]{1,4},[0-9]{1,4}[)])$' then
        raise exception 'crm.can_cast: unsupported target type %', target;
      end if;
      begin
        execute format('select %L::%s', v, target);
        return true;
      exception when data_exception then
        return false;
      end;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'workspace_members', 'workspaces', 'sessions', 'users']) {
    await sql`drop table if exists ${sql.table(`crm.${t}`)}`.execute(db);
  }
  await sql`drop function if exists crm.search_grams(text)`.execute(db);
  await sql`drop function if exists crm.can_cast(text, text)`.execute(db);
}
