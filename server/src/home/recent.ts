import { sql, type Kysely } from 'kysely';
import type { Caller, ReadableEntity, RecordsService } from '../records/service.js';

export interface RecentRecord {
  entity: string;
  id: string;
  title: string;
  at: string;
  /** `changed`: from the caller's own audit trail; `owned`: one of their records, changed by anyone. */
  source: 'changed' | 'owned';
}

/** How far back in the caller's audit trail to look for distinct records. */
const SCAN = 500;

type Row = { entity: string; id: string; title: string; at: Date };

const titleOf = (e: ReadableEntity, alias: string) => (e.title ? sql`coalesce(${sql.ref(`${alias}.${e.title}`)}::text, '')` : sql`''`);

/**
 * Records the caller created or changed lately, newest first: their last
 * audit rows joined to the live records they may still read (the records
 * service's read predicate, per entity, in the same statement). A list
 * still short (a new user, records handed over by someone else) is topped
 * up with the caller's own records most recently changed by anyone, other
 * than tasks and activities (home shows those elsewhere).
 */
export async function recentRecords(deps: { db: Kysely<any>; records: RecordsService }, caller: Caller, limit: number): Promise<RecentRecord[]> {
  const entities = await deps.records.readable(caller);
  if (!entities.length) return [];
  const branches = entities.map((e) => sql`select ${e.key}::text as entity, x.id, ${titleOf(e, 'x')} as title, r.at
    from recent r join ${e.table} as x on x.id = r.id
    where r.entity = ${e.key} and x.deleted_at is null and ${e.predicate('x')}`);
  const { rows: changed } = await sql<Row>`
    with recent as materialized (
      select entity, record_id::uuid as id, max(at) as at from (
        select entity, record_id, at from crm.audit_log
        where workspace_id = ${caller.ws.id} and actor_id = ${caller.userId} and action like 'record.%' and action <> 'record.delete'
          and entity = any(${entities.map((e) => e.key)}::text[])
        order by at desc limit ${SCAN}
      ) mine group by entity, record_id
    )
    select * from (${sql.join(branches, sql` union all `)}) u order by at desc, id desc limit ${limit}`.execute(deps.db);
  const out: RecentRecord[] = changed.map((r) => ({ entity: r.entity, id: r.id, title: r.title, at: r.at.toISOString(), source: 'changed' }));
  if (out.length >= limit) return out;

  const owned = entities.filter((e) => e.owned && !e.activity);
  if (!owned.length) return out;
  const seen = new Set(out.map((r) => r.id));
  const need = limit - out.length + seen.size;
  const tops = owned.map((e) => sql`(select ${e.key}::text as entity, x.id, ${titleOf(e, 'x')} as title, x.updated_at as at from ${e.table} as x
    where x.owner_id = ${caller.userId}::uuid and x.deleted_at is null and ${e.predicate('x')} order by x.updated_at desc, x.id desc limit ${need})`);
  const { rows: mine } = await sql<Row>`select * from (${sql.join(tops, sql` union all `)}) u order by at desc, id desc limit ${need}`.execute(deps.db);
  for (const r of mine) {
    if (out.length >= limit) break;
    if (seen.has(r.id)) continue;
    out.push({ entity: r.entity, id: r.id, title: r.title, at: r.at.toISOString(), source: 'owned' });
  }
  return out;
}
