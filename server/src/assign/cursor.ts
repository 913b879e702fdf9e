import { sql, type Kysely } from 'kysely';

/**
 * Locks the rule's cursor row until the transaction ends and returns who got
 * the last record. The upsert takes the row lock whether it inserts or not, so
 * a concurrent pick of the same rule waits here and then sees this pick's turn.
 */
export async function lockCursor(tx: Kysely<any>, workspaceId: string, ruleKey: string, now: Date): Promise<string | null> {
  const { rows } = await sql<{ last: string | null }>`
    insert into crm.assignment_cursors as c (workspace_id, rule_key, last_user_id, updated_at)
    values (${workspaceId}::uuid, ${ruleKey}, null, ${now})
    on conflict (workspace_id, rule_key) do update set updated_at = c.updated_at
    returning c.last_user_id::text as last`.execute(tx);
  return rows[0]!.last;
}

export async function advanceCursor(tx: Kysely<any>, workspaceId: string, ruleKey: string, userId: string, now: Date): Promise<void> {
  await sql`update crm.assignment_cursors set last_user_id = ${userId}::uuid, updated_at = ${now}
    where workspace_id = ${workspaceId}::uuid and rule_key = ${ruleKey}`.execute(tx);
}

/**
 * The first of `ids` (ascending, as PostgreSQL orders uuids: lower-case hex)
 * after `last`, wrapping around. Comparing ids rather than looking `last` up
 * keeps the order right when `last` has since left the team or gone inactive.
 */
export function nextAfter(ids: readonly string[], last: string | null): string {
  const sorted = [...ids].sort();
  return (last && sorted.find((id) => id > last)) || sorted[0]!;
}
