import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../infra/clock.js';
import type { WorkspaceContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { isUuid } from '../infra/ids.js';
import type { PublishedMetadata } from '../metadata/cache.js';
import { poolReadable, resolveAccess } from '../records/access.js';
import { workspaceModel, type EntityModel } from '../records/model.js';
import type { Caller, RecordsService } from '../records/service.js';
import type { Wire } from '../records/values.js';
import { countClaim } from './quota.js';

export interface PoolDeps {
  db: Kysely<any>;
  records: RecordsService;
  clock: Clock;
  published: (ws: WorkspaceContext) => Promise<PublishedMetadata>;
}

type Reason = string | { 'zh-CN': string; en: string };

/**
 * The public pool (公海池): records of an owned entity with no owner. Members
 * whose roles list the entity in `pool` read them (records/access.ts) and
 * claim them here; owners and their managers put them back.
 *
 * The records service's predicates cannot say "an unowned record this member
 * may take" (a rep updates only their own records and may not assign owners),
 * so claim and release authorise the one change themselves, under the row
 * lock, and then write `{owner_id}` through the records service as the member
 * with the system role raised to admin for that single call. Everything else
 * the service does applies unchanged: validation, rules, audit row (actor =
 * the member), realtime, automations.
 */
export async function claim(deps: PoolDeps, caller: Caller, entityKey: string, id: string, ifMatch?: number) {
  const { m, model } = await owned(deps, caller.ws, entityKey);
  if (!poolReadable(resolveAccess(caller.ws, caller.userId, model), m.entity.key)) throw new AppError('CRM_ERR_FORBIDDEN');
  if (!isUuid(id)) throw new AppError('CRM_ERR_NOT_FOUND');
  return deps.db.transaction().execute(async (tx) => {
    const row = await lockRow(tx, caller.ws, m, id);
    if (!row) throw new AppError('CRM_ERR_NOT_FOUND');
    // A concurrent claim that won holds the lock until it commits; we then see its owner here.
    if (row.owner_id !== null) throw new AppError('CRM_ERR_ALREADY_CLAIMED');
    const { settings } = caller.ws;
    const used = await countClaim(tx, { workspaceId: caller.ws.id, userId: caller.userId, entity: m.table, timeZone: settings.timeZone, limit: settings.poolClaimLimit, now: deps.clock.now() });
    const record = await deps.records.update(raised(caller, tx), entityKey, id, { owner_id: caller.userId }, ifMatch ?? row.version);
    return { record, quota: { used, limit: settings.poolClaimLimit } };
  });
}

/** The owner, a manager of a team the owner is in (or of a team above it), or an owner/admin puts a record back into the pool. */
export async function release(deps: PoolDeps, caller: Caller, entityKey: string, id: string, opts: { reason?: string; ifMatch?: number } = {}) {
  const { m, model } = await owned(deps, caller.ws, entityKey);
  // Records released where no role has the pool would be seen by admins only.
  if (![...model.roles.values()].some((r) => r.pool.includes(m.entity.key))) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `${m.entity.key} has no public pool` });
  if (!isUuid(id)) throw new AppError('CRM_ERR_NOT_FOUND');
  const admin = caller.ws.role === 'owner' || caller.ws.role === 'admin';
  return deps.db.transaction().execute(async (tx) => {
    const row = await lockRow(tx, caller.ws, m, id);
    if (!row) throw new AppError('CRM_ERR_NOT_FOUND');
    const readable = async () => admin || (await deps.records.readableIds(caller, entityKey, [id])).length > 0;
    if (row.owner_id === null) throw new AppError((await readable()) ? 'CRM_ERR_ALREADY_IN_POOL' : 'CRM_ERR_NOT_FOUND');
    const allowed = admin || row.owner_id === caller.userId || (await manages(tx, caller.ws.id, caller.userId, row.owner_id));
    if (!allowed) throw new AppError((await readable()) ? 'CRM_ERR_FORBIDDEN' : 'CRM_ERR_NOT_FOUND');
    const record = await deps.records.update(raised(caller, tx), entityKey, id, { owner_id: null }, opts.ifMatch ?? row.version);
    await releaseAudit(tx, caller, m.table, id, row.owner_id, opts.reason);
    return record;
  });
}

/**
 * For automations (`move_to_pool`): puts a record back into the pool with the
 * caller's own rights (a flow acts as its owner: update right and the assign
 * right, i.e. a team scope or wider), in `db`'s transaction when it is one, with a
 * `pool.release` audit row carrying the reason and `caller.via`. A record
 * already in the pool is left alone (`moved: false`), so a retried step is harmless.
 */
export async function moveToPool(records: RecordsService, db: Kysely<any>, caller: Caller, entityKey: string, id: string, opts: { reason?: Reason } = {}): Promise<{ record: Wire; moved: boolean }> {
  if (!db.isTransaction) return db.transaction().execute((tx) => moveToPool(records, tx, caller, entityKey, id, opts));
  const tx = db as Transaction<any>;
  const inTx: Caller = { ...caller, tx };
  // Through the service first: unknown entity or a record the caller cannot see is 404 before we touch the table.
  await records.get(inTx, entityKey, id);
  const { rows } = await sql<{ owner_id: string | null; version: number }>`select owner_id::text as owner_id, version
    from ${sql.table(`${caller.ws.schemaName}.${entityKey}`)} where id = ${id}::uuid for update`.execute(tx);
  const row = rows[0]!;
  if (row.owner_id === null) return { record: await records.get(inTx, entityKey, id), moved: false };
  const record = await records.update(inTx, entityKey, id, { owner_id: null }, row.version);
  await releaseAudit(tx, caller, entityKey, id, row.owner_id, opts.reason);
  return { record, moved: true };
}

async function owned(deps: PoolDeps, ws: WorkspaceContext, entityKey: string): Promise<{ m: EntityModel; model: ReturnType<typeof workspaceModel> }> {
  const model = workspaceModel(await deps.published(ws));
  const m = model.entities.get(entityKey);
  if (!m || m.entity.ownership !== 'owned') throw new AppError('CRM_ERR_NOT_FOUND');
  return { m, model };
}

/** The live row, locked: claims and releases of one record queue here. */
async function lockRow(tx: Transaction<any>, ws: WorkspaceContext, m: EntityModel, id: string) {
  const { rows } = await sql<{ owner_id: string | null; version: number }>`select owner_id::text as owner_id, version
    from ${sql.table(`${ws.schemaName}.${m.table}`)} where id = ${id}::uuid and deleted_at is null for update`.execute(tx);
  return rows[0];
}

/** Whether `managerId` is a manager of a team `ownerId` belongs to, directly or through the teams below it. */
async function manages(tx: Transaction<any>, workspaceId: string, managerId: string, ownerId: string): Promise<boolean> {
  const { rows } = await sql`
    with recursive mine as (
      select t.id from crm.teams t join crm.team_members tm on tm.team_id = t.id
      where t.workspace_id = ${workspaceId}::uuid and tm.user_id = ${managerId}::uuid and tm.is_manager
      union select c.id from crm.teams c join mine on c.parent_id = mine.id
    )
    select 1 from crm.team_members where team_id in (select id from mine) and user_id = ${ownerId}::uuid limit 1`.execute(tx);
  return rows.length > 0;
}

/** The caller for the one authorised write: the same member, admin rights, our transaction. */
function raised(caller: Caller, tx: Transaction<any>): Caller {
  return { ...caller, ws: { ...caller.ws, role: 'admin' }, tx };
}

/**
 * Who released the record from whom, and why, next to the service's
 * `record.update` row. Its action is not `record.*`, so realtime and
 * automations (which the update row already reaches) ignore it; the record's
 * history shows it.
 */
async function releaseAudit(tx: Transaction<any>, caller: Caller, table: string, id: string, from: string, reason: Reason | undefined) {
  await tx.insertInto('crm.audit_log').values({
    workspace_id: caller.ws.id, actor_id: caller.userId, ip: caller.ip ?? null, entity: table, record_id: id, action: 'pool.release',
    changes: JSON.stringify({ owner_id: { from, to: null }, reason: reason ?? null }), via: caller.via ? JSON.stringify(caller.via) : null,
  }).execute();
}
