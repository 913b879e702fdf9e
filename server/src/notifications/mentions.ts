import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import type { Clock } from '../infra/clock.js';
import type { Caller, RecordsService } from '../records/service.js';
import { workspaceFor } from '../workspaces/service.js';
import type { NotificationStore } from './store.js';

export interface MentionInput {
  userIds: string[];
  note?: string;
}

interface Deps {
  db: Kysely<any>;
  records: RecordsService;
  store: NotificationStore;
  clock: Clock;
}

/**
 * "@张伟 please call them back": one `mention` notification per mentioned
 * member. Everyone mentioned must be able to read the record (the records
 * service's read predicate for *their* roles and teams, in SQL); if one
 * cannot, the whole mention is refused naming them and nothing is written,
 * so a note never carries a record to someone who may not see it.
 */
export async function mention(deps: Deps, caller: Caller, entityKey: string, recordId: string, input: MentionInput) {
  const target = await readableRecord(deps, caller, entityKey, recordId);
  if (!target) throw new AppError('CRM_ERR_NOT_FOUND');

  const ids = [...new Set(input.userIds)];
  const members = await deps.db.selectFrom('crm.workspace_members as m').innerJoin('crm.users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name']).where('m.workspace_id', '=', caller.ws.id).where('m.status', '=', 'active').where('u.status', '=', 'active')
    .where('u.id', 'in', ids).execute();
  const names = new Map(members.map((m) => [m.id as string, m.name as string]));

  // Each member's own access (roles, teams) resolved as for their requests, then one statement asks which of them may read it.
  const checks = await Promise.all(members.map(async (m) => {
    const ws = await workspaceFor(deps.db, caller.ws.slug, m.id);
    const entity = ws && (await deps.records.readable({ ws, userId: m.id })).find((e) => e.key === entityKey);
    return entity ? sql`select ${m.id}::uuid as user_id where exists (select 1 from ${entity.table} as r
      where r.id = ${recordId}::uuid and r.deleted_at is null and ${entity.predicate('r')})` : undefined;
  }));
  const parts = checks.filter((c): c is NonNullable<typeof c> => !!c);
  const { rows } = parts.length ? await sql<{ user_id: string }>`${sql.join(parts, sql` union all `)}`.execute(deps.db) : { rows: [] };
  const allowed = new Set(rows.map((r) => r.user_id));
  const refused = ids.filter((id) => !allowed.has(id)).map((id) => ({ id, name: names.get(id) ?? id }));
  if (refused.length) {
    throw new AppError('CRM_ERR_MENTION_UNREADABLE', { names: refused.map((r) => r.name).join('、') }, [], { refused });
  }

  const now = deps.clock.now();
  await deps.store.insert(ids.map((userId) => ({
    workspaceId: caller.ws.id, userId, kind: 'mention' as const, entity: entityKey, recordId, title: target.title,
    body: input.note?.trim() || null, actorId: caller.userId,
  })), now);
  return { notified: ids.map((id) => ({ id, name: names.get(id)! })) };
}

/** The record's title if the caller may read it. */
async function readableRecord(deps: Deps, caller: Caller, entityKey: string, recordId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(recordId)) return undefined;
  const entity = (await deps.records.readable(caller)).find((e) => e.key === entityKey);
  if (!entity) return undefined;
  const title = entity.title ? sql`coalesce(${sql.ref(`r.${entity.title}`)}::text, '')` : sql`''`;
  const { rows } = await sql<{ title: string }>`select ${title} as title from ${entity.table} as r
    where r.id = ${recordId}::uuid and r.deleted_at is null and ${entity.predicate('r')}`.execute(deps.db);
  return rows[0];
}
