import { sql, type Kysely } from 'kysely';
import { zonedDate, zonedMidnight } from '@crm/rules';
import { AppError } from '../errors/app-error.js';

/**
 * Counts one claim against the member's daily limit for the entity, the day
 * being the workspace's local date. One conditional upsert counts and locks
 * the (workspace, user, entity, day) row, so concurrent claims of one member
 * queue on it and never pass the limit; a claim that fails later rolls its
 * count back with the transaction. Over the limit: 429 CRM_ERR_CLAIM_QUOTA
 * with Retry-After (seconds to local midnight).
 */
export async function countClaim(tx: Kysely<any>, q: { workspaceId: string; userId: string; entity: string; timeZone: string; limit: number; now: Date }): Promise<number> {
  const day = zonedDate(q.now, q.timeZone);
  const refused = () => {
    const wait = Math.max(1, Math.ceil((zonedMidnight(zonedDate(q.now, q.timeZone, 1), q.timeZone) - q.now.getTime()) / 1000));
    return new AppError('CRM_ERR_CLAIM_QUOTA', { limit: q.limit }, [], { limit: q.limit }, { 'retry-after': String(wait) });
  };
  if (q.limit <= 0) throw refused();
  const { rows } = await sql<{ claimed: number }>`
    insert into crm.pool_claims as c (workspace_id, user_id, entity, day, claimed)
    values (${q.workspaceId}::uuid, ${q.userId}::uuid, ${q.entity}, ${day}::date, 1)
    on conflict (workspace_id, user_id, entity, day) do update set claimed = c.claimed + 1 where c.claimed < ${q.limit}::int
    returning c.claimed`.execute(tx);
  if (!rows.length) throw refused();
  return rows[0]!.claimed;
}
