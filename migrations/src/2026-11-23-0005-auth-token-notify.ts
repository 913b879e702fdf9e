import { sql, type Kysely } from 'kysely';

/** Revoking a personal API token must reach every server's access cache, like ending a session. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create trigger api_tokens_notify_access after update or delete on crm.api_tokens
    for each statement execute function crm.notify_access()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists api_tokens_notify_access on crm.api_tokens`.execute(db);
}
