import { sql, type Kysely } from 'kysely';

/**
 * Notifications pushed live: a statement-level trigger on crm.notifications
 * sends ONE `crm_notifications` NOTIFY per insert statement and workspace
 * (whatever wrote it: mentions, due reminders, assignments in a record
 * write's transaction, admin reassignment), delivered only if that commits.
 *
 * Payload (JSON, small): {"w": workspace id, "u": [user ids]}; at most 100
 * users per payload (~4 kB, well under PostgreSQL's 8000 bytes), more users
 * are split over several. Nothing of the notification itself travels: the
 * event hub tells those users' streams to refetch their own feed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function crm.notify_notifications() returns trigger language plpgsql as $fn$
    declare
      g record;
    begin
      for g in
        select w, array_agg(u order by u) as u
        from (
          select workspace_id as w, user_id as u, (row_number() over (partition by workspace_id order by user_id) - 1) / 100 as chunk
          from (select distinct workspace_id, user_id from added) d
        ) x
        group by w, chunk
      loop
        perform pg_notify('crm_notifications', json_build_object('w', g.w, 'u', g.u)::text);
      end loop;
      return null;
    end
    $fn$`.execute(db);
  await sql`create trigger notifications_notify after insert on crm.notifications
    referencing new table as added for each statement execute function crm.notify_notifications()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists notifications_notify on crm.notifications`.execute(db);
  await sql`drop function if exists crm.notify_notifications()`.execute(db);
}
