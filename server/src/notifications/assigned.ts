import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { fieldTypes, type FieldType } from '@crm/metadata';
import { uuidv7 } from '../infra/ids.js';
import type { EntityModel, WorkspaceModel } from '../records/model.js';
import { toWire } from '../records/values.js';

/** A record a write handed to someone other than the one writing it. */
export interface Assignment {
  entity: string;
  recordId: string;
  ownerId: string;
  title: string;
  /** Role keys that may read some records of the entity (see `ownerMayRead`). */
  readers: string[];
}

/** Role keys whose read scope on `m` is not none. */
export function readersOf(model: WorkspaceModel, m: EntityModel): string[] {
  return [...model.roles.values()].filter((r) => (r.permissions[m.entity.key]?.read ?? 'none') !== 'none').map((r) => r.key);
}

/**
 * The assignment a write made, from the row before and after it: the owner
 * became a user other than the caller. Self-assignment, an unchanged owner,
 * an owner removed (pool) and entities without owners make none.
 */
export function assignmentOf(model: WorkspaceModel, m: EntityModel, callerId: string, before: Record<string, unknown> | null, after: Record<string, unknown>): Assignment | undefined {
  if (m.entity.ownership !== 'owned') return undefined;
  const owner = after.owner_id;
  if (typeof owner !== 'string' || owner === callerId || owner === before?.owner_id) return undefined;
  const title = toWire(m, after)[m.entity.titleField];
  return {
    entity: m.table, recordId: String(after.id), ownerId: owner, readers: readersOf(model, m),
    title: typeof title === 'string' || typeof title === 'number' ? String(title) : '',
  };
}

/**
 * True (in SQL) when `userId` is an active member whose roles may read some
 * records of the entity at all (`readers`, or a system owner/admin): an owner
 * reads their own records with any scope but none, so this is exactly "may
 * open the record handed to them". A notification never carries a title to
 * someone who may not see the record.
 */
export function ownerMayRead(workspaceId: string, userId: RawBuilder<unknown>, readers: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from crm.workspace_members wm
    where wm.workspace_id = ${workspaceId}::uuid and wm.user_id = ${userId} and wm.status = 'active'
      and (wm.system_role in ('owner', 'admin') or exists (select 1 from crm.member_roles mr
        where mr.workspace_id = wm.workspace_id and mr.user_id = wm.user_id and mr.role_key = any(${readers}))))`;
}

/**
 * One `assigned` notification per assignment, in ONE statement on the
 * write's own transaction (`db`), so a write that rolls back notifies
 * nobody. The records service calls it from its write path (see
 * `RecordsService.assigned`); admin reassignment has its own statement.
 */
export async function notifyAssigned(db: Kysely<any>, ws: { id: string }, actorId: string, list: readonly Assignment[], now: Date): Promise<void> {
  if (!list.length) return;
  const json = JSON.stringify(list.map((a) => ({
    id: uuidv7(now.getTime()), user_id: a.ownerId, entity: a.entity, record_id: a.recordId, title: a.title, readers: a.readers,
  })));
  await sql`insert into crm.notifications (id, workspace_id, user_id, kind, entity, record_id, title, data, actor_id, created_at)
    select x.id, ${ws.id}::uuid, x.user_id, 'assigned', x.entity, x.record_id, x.title, '{}'::jsonb, ${actorId}::uuid, ${now}
    from jsonb_to_recordset(${json}::jsonb) as x(id uuid, user_id uuid, entity text, record_id uuid, title text, readers text[])
    where ${ownerMayRead(ws.id, sql.ref('x.user_id'), sql.ref('x.readers'))}`.execute(db);
}

/**
 * The `assigned` notification of a reassignment (admin: a leaver's records
 * handed to `toUser`), as an INSERT for a data-modifying CTE of the same
 * statement, over its `moved` rows (`id`, `title`): one per entity, naming
 * the record when one moved, else saying how many (`data.count`) with the
 * entity's label (`data.label`), so 800 leads handed over are one line in the
 * bell, not 800. Nothing when nothing moved or the new owner may not read them.
 */
export function reassignedNotification(model: WorkspaceModel, m: EntityModel, workspaceId: string, actorId: string, toUser: string): RawBuilder<unknown> {
  const label = m.entity.pluralLabel ?? m.entity.label;
  return sql`insert into crm.notifications (id, workspace_id, user_id, kind, entity, record_id, title, data, actor_id, created_at)
    select ${uuidv7()}::uuid, ${workspaceId}::uuid, ${toUser}::uuid, 'assigned', ${m.table},
      case when count(*) = 1 then (array_agg(moved.id))[1] end,
      case when count(*) = 1 then coalesce((array_agg(moved.title))[1], '') else '' end,
      case when count(*) = 1 then '{}'::jsonb else jsonb_build_object('count', count(*), 'label', ${JSON.stringify(label)}::jsonb) end,
      ${actorId}::uuid, now()
    from moved
    having count(*) > 0 and ${ownerMayRead(workspaceId, sql`${toUser}::uuid`, sql`${readersOf(model, m)}::text[]`)}`;
}

/** The title as text in SQL, when it is one stored column (else ''). */
export function titleSql(m: EntityModel, alias: string): RawBuilder<unknown> {
  const t = m.fields.get(m.entity.titleField);
  const cols = t ? fieldTypes[t.type as FieldType].columns(t) : [];
  return cols.length === 1 ? sql`coalesce(${sql.ref(`${alias}.${cols[0]!.name}`)}::text, '')` : sql`''`;
}
