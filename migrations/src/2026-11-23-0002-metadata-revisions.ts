import { sql, type Kysely } from 'kysely';

/**
 * Metadata module: the draft documents of each workspace, every published
 * revision as a full snapshot (history, diff and revert need whole revisions),
 * and plans awaiting publish.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table crm.metadata_drafts (
      workspace_id uuid not null references crm.workspaces(id),
      kind text not null,
      doc_id text not null,
      schema_version integer not null,
      body jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by uuid references crm.users(id),
      primary key (workspace_id, kind, doc_id)
    )`.execute(db);

  await sql`
    create table crm.metadata_revisions (
      workspace_id uuid not null references crm.workspaces(id),
      revision integer not null,
      draft_revision integer not null,
      plan_id uuid,
      actions jsonb not null default '[]'::jsonb,
      published_at timestamptz not null default now(),
      published_by uuid references crm.users(id),
      primary key (workspace_id, revision)
    )`.execute(db);

  await sql`
    create table crm.metadata_documents (
      workspace_id uuid not null,
      revision integer not null,
      kind text not null,
      doc_id text not null,
      schema_version integer not null,
      body jsonb not null,
      primary key (workspace_id, revision, kind, doc_id),
      foreign key (workspace_id, revision) references crm.metadata_revisions(workspace_id, revision)
    )`.execute(db);

  await sql`
    create table crm.metadata_plans (
      id uuid primary key,
      workspace_id uuid not null references crm.workspaces(id),
      from_revision integer not null,
      draft_revision integer not null,
      actions jsonb not null,
      findings jsonb not null,
      created_at timestamptz not null default now(),
      created_by uuid references crm.users(id)
    )`.execute(db);
  await sql`create index metadata_plans_ws_ix on crm.metadata_plans (workspace_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['metadata_plans', 'metadata_documents', 'metadata_revisions', 'metadata_drafts']) {
    await sql`drop table if exists ${sql.table(`crm.${t}`)}`.execute(db);
  }
}
