import type { RECORD_EVENTS } from '@crm/metadata';

type Label = { 'zh-CN'?: string; en?: string };

/** `POST /api/w/:ws/automation/dry-run`: a record (or values) and what happened to it; `flow` limits the run to one flow. */
export interface DryRunRequest {
  entity: string;
  recordId?: string;
  event?: (typeof RECORD_EVENTS)[number];
  values?: Record<string, unknown>;
  flow?: string;
}

export interface DryRunWrite { entity: string; id: string; action: 'create' | 'update'; changes: Record<string, { from: unknown; to: unknown }> }
export interface DryRunStep {
  key: string;
  kind: string;
  status: 'done' | 'stopped' | 'failed' | 'skipped_wait';
  output: Record<string, unknown>;
  error?: Record<string, unknown>;
  writes: DryRunWrite[];
  mails: { to: string[]; subject: string; text: string }[];
  requests: { method: string; url: string; headers: Record<string, string>; body?: string }[];
  notifications: { users: string[]; title: string; body?: string | null }[];
  /** A wait that was skipped: as the contract names it, or in milliseconds as the server reports it. */
  delayed?: { amount: number; unit: string };
  delayedMs?: number;
}
export interface DryRunRun {
  flow: string;
  label: Label | null;
  /** 0 for the flows the dry run itself started; 1, 2 ... for flows started by their writes. */
  depth: number;
  recordId?: string | null;
  status: 'completed' | 'stopped' | 'failed' | 'waiting';
  error?: { code: string; message: string };
  steps: DryRunStep[];
}
export interface DryRunResult {
  runs: DryRunRun[];
  totals: { runs: number; steps: number; writes: number; mails: number; requests: number; notifications?: number };
}

/**
 * The request for a record and an optional change: with a change it is the
 * update of that field (the flows' `$previous` is the record as it is);
 * without one, `event` as given (the record as if just created, updated ...).
 */
export function dryRunRequest(p: { entity: string; recordId?: string; change?: { field: string; value: unknown }; flow?: string; event?: DryRunRequest['event'] }): DryRunRequest {
  // The server applies values only to an update: a change makes it one.
  const event = p.change ? 'updated' : p.event ?? 'updated';
  return {
    entity: p.entity,
    ...(p.recordId ? { recordId: p.recordId } : {}),
    event,
    ...(p.change ? { values: { [p.change.field]: p.change.value } } : {}),
    ...(p.flow ? { flow: p.flow } : {}),
  };
}

/** The field changes of a write as rows (the record's version counter is not a change anyone made). */
export const changeRows = (w: DryRunWrite): { field: string; from: unknown; to: unknown }[] =>
  Object.entries(w.changes ?? {}).filter(([field]) => field !== 'version').map(([field, c]) => ({ field, from: c?.from ?? null, to: c?.to ?? null }));

/** A skipped wait as a duration in the largest whole unit ("3 days"), whichever way the server reported it. */
export function skippedWait(s: Pick<DryRunStep, 'delayed' | 'delayedMs'>): { amount: number; unit: 'minutes' | 'hours' | 'days' } | null {
  if (s.delayed) return { amount: s.delayed.amount, unit: s.delayed.unit as 'minutes' };
  if (typeof s.delayedMs !== 'number') return null;
  const min = Math.round(s.delayedMs / 60_000);
  if (min % 1440 === 0) return { amount: min / 1440, unit: 'days' };
  if (min % 60 === 0) return { amount: min / 60, unit: 'hours' };
  return { amount: min, unit: 'minutes' };
}

/**
 * A 404 from the dry run: the endpoint is not on this server yet (it is new),
 * or the record is gone; the server says both with CRM_ERR_NOT_FOUND.
 */
export const isNotFound = (err: unknown): boolean => (err as { status?: number } | null)?.status === 404;
