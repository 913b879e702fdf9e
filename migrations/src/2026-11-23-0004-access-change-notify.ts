import { sql, type Kysely } from 'kysely';

/**
 * Every change to who may do what (sessions, users, members, entity roles,
 * teams, workspace settings) NOTIFYs `crm_access`, whatever wrote it, so the
 * per-process access caches of all servers drop their entries.
 */
const TABLES = ['sessions', 'users', 'workspaces', 'workspace_members', 'member_roles', 'teams', 'team_members'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function crm.notify_access() returns trigger language plpgsql as $fn$
    begin
      perform pg_notify('crm_access', tg_table_name);
      return null;
    end
    $fn$`.execute(db);
  for (const t of TABLES) {
    // Inserting a session grants nothing new to a cached entry; everything else may take access away.
    const events = t === 'sessions' ? sql.raw('update or delete') : sql.raw('insert or update or delete');
    await sql`create trigger ${sql.id(`${t}_notify_access`)} after ${events} on ${sql.table(`crm.${t}`)}
      for each statement execute function crm.notify_access()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await sql`drop trigger if exists ${sql.id(`${t}_notify_access`)} on ${sql.table(`crm.${t}`)}`.execute(db);
  await sql`drop function if exists crm.notify_access()`.execute(db);
}
