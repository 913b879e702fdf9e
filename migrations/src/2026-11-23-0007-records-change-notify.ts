import { sql, type Kysely } from 'kysely';

/**
 * Realtime: every record write, whatever path wrote it (the one-statement fast
 * paths, batches, the careful transactional path, admin reassignment), leaves
 * audit rows `record.<action>`; one statement-level trigger on crm.audit_log
 * turns them into ONE `crm_records` notification per statement and (workspace,
 * entity, action): NOTIFY serialises commits, so never one per row.
 *
 * Payload (JSON, well under PostgreSQL's 8000-byte limit):
 *   {"w": workspace id, "e": entity table, "a": "create"|"update"|"delete"|"restore",
 *    "lo": first audit id, "hi": last audit id, "ids": [record ids] | null}
 * `ids` is null above 150 distinct records; listeners then read the ids from
 * the audit rows between `lo` and `hi` (committed by the time they hear it).
 * No field values travel here: listeners check read permission and clients
 * refetch through the API.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function crm.notify_records() returns trigger language plpgsql as $fn$
    declare
      g record;
    begin
      for g in
        select workspace_id as w, entity as e, substr(action, 8) as a, min(id) as lo, max(id) as hi,
          count(distinct record_id) as n, array_agg(distinct record_id) as ids
        from changed
        where action like 'record.%' and workspace_id is not null and entity is not null and record_id is not null
        group by workspace_id, entity, action
      loop
        perform pg_notify('crm_records', json_build_object('w', g.w, 'e', g.e, 'a', g.a, 'lo', g.lo, 'hi', g.hi,
          'ids', case when g.n <= 150 then g.ids end)::text);
      end loop;
      return null;
    end
    $fn$`.execute(db);
  await sql`create trigger audit_log_notify_records after insert on crm.audit_log
    referencing new table as changed for each statement execute function crm.notify_records()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_notify_records on crm.audit_log`.execute(db);
  await sql`drop function if exists crm.notify_records()`.execute(db);
}
