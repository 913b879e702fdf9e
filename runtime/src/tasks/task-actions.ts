import type { Api } from '@crm/ui';
import type { Navigation } from '../types.js';
import { listQuery } from './task-filters.js';
import { DONE_STATUS, OPEN_STATUSES } from './task-filters.js';

export type Rec = Record<string, unknown>;

/** The workspace time zone (navigation carries the settings); calendar days and "today" are counted in it. */
export function zoneOf(nav: Navigation): string {
  return (nav.workspace as { settings?: { timeZone?: string } }).settings?.timeZone ?? 'Asia/Shanghai';
}

/** Every page of a list-API query, up to `max` records (home and calendar need all of a small set, not a page). */
export async function listAll(api: Api, ws: string, entity: string, p: Parameters<typeof listQuery>[0], max = 1000): Promise<Rec[]> {
  const out: Rec[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: Rec[]; nextCursor: string | null } = await api.get(`/api/w/${ws}/records/${entity}?${listQuery({ ...p, cursor, limit: Math.min(500, max - out.length) })}`);
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

/** A PATCH with the version the screen holds: a stale one comes back as a 409 with the server's message. */
export function patchRecord(api: Api, ws: string, entity: string, rec: Rec, changes: Rec): Promise<{ data: Rec }> {
  return api.send('PATCH', `/api/w/${ws}/records/${entity}/${String(rec.id)}`, changes, { 'if-match': `"${String(rec.version)}"` });
}

export const isDone = (task: Rec) => task.status === DONE_STATUS;
export const completion = (done: boolean): Rec => ({ status: done ? DONE_STATUS : OPEN_STATUSES[0] });

/**
 * Whether the caller may see anyone else's records of an entity (a manager's
 * team, an admin's everyone): the list API scopes by role, so one probe row
 * answers it without the client knowing the role's rules.
 */
export async function seesOthers(api: Api, ws: string, entity: string): Promise<boolean> {
  const page = await api.get<{ data: Rec[] }>(`/api/w/${ws}/records/${entity}?${listQuery({ filter: { '!=': [{ var: 'owner_id' }, { var: '$user.id' }] }, limit: 1, fields: [] })}`);
  return page.data.length > 0;
}
