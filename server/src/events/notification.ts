import { isUuid } from '../infra/ids.js';
/**
 * The `crm_records` notification the audit-log trigger sends (migration
 * 2026-11-23-0007): one per statement and (workspace, entity, action).
 * Parsed defensively: anything malformed is dropped, never half-trusted.
 */
export const RECORDS_CHANNEL = 'crm_records';

export const ACTIONS = ['create', 'update', 'delete', 'restore'] as const;
export type ChangeAction = (typeof ACTIONS)[number];

export interface RecordsNotification {
  /** Workspace id. */
  w: string;
  /** Entity key (= its table). */
  e: string;
  a: ChangeAction;
  /** The statement's audit rows lie between these ids. */
  lo: number;
  hi: number;
  /** The changed record ids; null when there were too many for one payload (read them from the audit rows). */
  ids: string[] | null;
}

/** A NOTIFY payload is trusted no more than a request body: anything but a JSON object is dropped. */
function parseObject(payload: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(payload);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
const KEY = /^[a-z][a-z0-9_]{0,39}$/;

export function parseRecordsNotification(payload: string): RecordsNotification | undefined {
  const o = parseObject(payload);
  if (!o) return undefined;
  if (!isUuid(o.w)) return undefined;
  if (typeof o.e !== 'string' || !KEY.test(o.e)) return undefined;
  if (!(ACTIONS as readonly unknown[]).includes(o.a)) return undefined;
  if (!Number.isSafeInteger(o.lo) || !Number.isSafeInteger(o.hi) || (o.lo as number) > (o.hi as number)) return undefined;
  let ids: string[] | null = null;
  if (o.ids !== null && o.ids !== undefined) {
    if (!Array.isArray(o.ids) || !o.ids.every((id) => isUuid(id))) return undefined;
    ids = o.ids as string[];
  }
  return { w: o.w, e: o.e, a: o.a as ChangeAction, lo: o.lo as number, hi: o.hi as number, ids };
}

/** Above this many ids a merged change carries none (the audit range has them all). */
export const MERGED_ID_LIMIT = 1000;

/**
 * Folds `next` into `into` (same workspace, entity and action): ids united,
 * audit ranges spanned. Notifications queued while a fan-out runs collapse
 * this way, so a burst of writes costs one permission check per user.
 */
export function mergeNotifications(into: RecordsNotification, next: RecordsNotification): RecordsNotification {
  const ids = into.ids && next.ids ? [...new Set([...into.ids, ...next.ids])] : null;
  return { ...into, lo: Math.min(into.lo, next.lo), hi: Math.max(into.hi, next.hi), ids: ids && ids.length <= MERGED_ID_LIMIT ? ids : null };
}

/**
 * The `crm_notifications` notification the trigger on crm.notifications sends
 * (migration 2026-11-23-0010): one per insert statement and workspace, naming
 * the users who got a notification. Parsed as defensively as the above.
 */
export const NOTIFICATIONS_CHANNEL = 'crm_notifications';

export interface UserNotification {
  /** Workspace id. */
  w: string;
  /** The users whose notifications changed. */
  u: string[];
}

export function parseUserNotification(payload: string): UserNotification | undefined {
  const o = parseObject(payload);
  if (!o) return undefined;
  if (!isUuid(o.w)) return undefined;
  if (!Array.isArray(o.u) || !o.u.every((id) => isUuid(id))) return undefined;
  return { w: o.w, u: o.u as string[] };
}
