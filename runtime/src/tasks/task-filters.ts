/**
 * The list-API filters (the shared condition language) the tasks, calendar and
 * home screens ask for. Built only from field keys the entity has, so a
 * workspace whose tasks lack an assignee or a status still gets a valid filter.
 *
 *   mine(['owner_id', 'assignee']) -> {or: [{'==': [{var: 'owner_id'}, {var: '$user.id'}]}, {'==': [{var: 'assignee'}, {var: '$user.id'}]}]}
 */

type Rule = Record<string, unknown>;
const v = (key: string) => ({ var: key });

/** Status keys of the default CRM's tasks: still to do, and finished. */
export const OPEN_STATUSES = ['open', 'in_progress'];
export const DONE_STATUS = 'done';

/** Records that are mine: owned by me, or (tasks) assigned to me. */
export function mine(fieldKeys: string[]): Rule {
  const parts: Rule[] = [{ '==': [v('owner_id'), v('$user.id')] }];
  if (fieldKeys.includes('assignee')) parts.push({ '==': [v('assignee'), v('$user.id')] });
  return parts.length === 1 ? parts[0]! : { or: parts };
}

export function and(...rules: (Rule | undefined)[]): Rule | undefined {
  const present = rules.filter((r): r is Rule => !!r);
  return present.length === 0 ? undefined : present.length === 1 ? present[0] : { and: present };
}

/** Open or done tasks (no condition when the entity has no status field). */
export function byStatus(fieldKeys: string[], status: 'open' | 'done'): Rule | undefined {
  if (!fieldKeys.includes('status')) return undefined;
  return status === 'open' ? { in: [v('status'), OPEN_STATUSES] } : { '==': [v('status'), DONE_STATUS] };
}

/** Due before the end of today in the workspace zone: today's and overdue ones. */
export function dueTodayOrOverdue(): Rule {
  return { '<': [v('due'), { daysFromNow: 1 }] };
}

/** An instant range [from, to) on a datetime field. */
export function between(field: string, from: string, to: string): Rule {
  return { and: [{ '>=': [v(field), from] }, { '<': [v(field), to] }] };
}

/** Someone else's record: used to learn whether the caller may see a team's records at all. */
export function notMine(): Rule {
  return { '!=': [v('owner_id'), v('$user.id')] };
}

/** Query string of a list-API call. */
export function listQuery(p: { filter?: Rule; sort?: string; limit?: number; fields?: string[]; expand?: string[]; cursor?: string | null }): string {
  const q = new URLSearchParams();
  if (p.filter) q.set('filter', JSON.stringify(p.filter));
  if (p.sort) q.set('sort', p.sort);
  q.set('limit', String(p.limit ?? 50));
  if (p.fields?.length) q.set('fields', p.fields.join(','));
  if (p.expand?.length) q.set('expand', p.expand.join(','));
  if (p.cursor) q.set('cursor', p.cursor);
  return q.toString();
}
