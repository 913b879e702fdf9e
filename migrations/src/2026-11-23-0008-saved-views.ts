import { sql, type Kysely } from 'kysely';

/**
 * Views people save for themselves or share with roles (user data, not
 * metadata: they change without a publish). Removing one is soft, like records.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table crm.saved_views (
    id uuid primary key,
    workspace_id uuid not null references crm.workspaces(id),
    owner_id uuid not null references crm.users(id),
    entity text not null check (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
    label text not null check (length(label) between 1 and 100),
    definition jsonb not null,
    shared_roles text[] not null default '{}',
    created_at timestamptz not null,
    updated_at timestamptz not null,
    deleted_at timestamptz
  )`.execute(db);
  await sql`create index saved_views_lookup on crm.saved_views (workspace_id, entity) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists crm.saved_views`.execute(db);
}
