import type { Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import { detailMessages } from '../errors/details.js';
import type { Lang } from '../errors/i18n.js';
import type { Clock } from '../infra/clock.js';
import { isDatabaseUnavailable } from '../infra/db.js';
import type { Caller, RecordsService } from './service.js';
import { checkKeys, checkValues } from './values.js';

export type BulkAction = 'update' | 'assign' | 'delete';

export interface BulkInput {
  ids: string[];
  action: BulkAction;
  /** update: the fields to set on every record (wire format). */
  values?: Record<string, unknown>;
  /** assign: the new owner. */
  ownerId?: string;
}

export type BulkResult =
  | { id: string; ok: true; version: number }
  | { id: string; ok: false; code: string; message: string; details: unknown[]; [extra: string]: unknown };

export interface BulkDeps {
  records: RecordsService;
  db: Kysely<any>;
  clock: Clock;
  log: (err: unknown) => void;
}

export const BULK_MAX = 500;
/** Records written at once: each write is its own transaction on its own connection. */
const PARALLEL = 4;
/** A record changed by someone else between our read and our write is re-read this often before we report the conflict. */
const RETRIES = 2;

/**
 * Bulk update / assign / delete. Unlike the all-or-nothing batch create, each
 * record goes through the records service's normal write path on its own, in
 * its own transaction: permissions, validation, gates, audit and hooks apply
 * per record, and one refused record leaves the others written. The answer
 * says per record what happened, in the input's order.
 *
 * No If-Match per record: each write uses the version read just before it,
 * and the service compares that version under the row lock. If someone else
 * changed the record in between, the write is retried on the new version only
 * when their change touched none of the fields this bulk sets (nothing of
 * theirs is overwritten unseen); otherwise, and always for delete, the record
 * is reported as a conflict.
 *
 * Ids the caller cannot read come back as CRM_ERR_NOT_FOUND, exactly like ids
 * that do not exist.
 */
export async function runBulk(deps: BulkDeps, caller: Caller, entityKey: string, input: BulkInput, lang: Lang) {
  const { model } = await deps.records.readScope(caller, entityKey);
  const body = bodyOf(model, input);
  // Request-level mistakes (unknown fields, malformed values) are the same for every record: one 400/422 for the request.
  if (body) {
    const { details } = checkValues(model, checkKeys(model, body, { ownerAllowed: true }));
    if (details.length) throw new AppError('CRM_ERR_INVALID_RECORD', { count: details.length }, details);
  }
  const touched = new Set(Object.keys(body ?? {}));

  const writeOne = async (id: string): Promise<BulkResult> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await deps.records.get(caller, entityKey, id);
        const version = current.version as number;
        const written = input.action === 'delete'
          ? await deps.records.remove(caller, entityKey, id, version)
          : await deps.records.update(caller, entityKey, id, body, version);
        return { id, ok: true, version: written.version as number };
      } catch (err) {
        if (err instanceof AppError && err.code === 'CRM_ERR_VERSION_CONFLICT' && input.action !== 'delete' && attempt < RETRIES) {
          const theirs = (err.extra.changedFields as string[] | undefined) ?? [];
          if (!theirs.some((k) => touched.has(k))) continue;
        }
        const e = err instanceof AppError ? err : internal(deps, err);
        const { details, ...rest } = e.body(lang, detailMessages) as { code: string; message: string; details?: unknown[] };
        return { id, ok: false, ...rest, details: details ?? [] };
      }
    }
  };

  const results: BulkResult[] = new Array(input.ids.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(PARALLEL, input.ids.length) }, async () => {
    while (next < input.ids.length) {
      const i = next++;
      results[i] = await writeOne(input.ids[i]!);
    }
  }));

  const ok = results.filter((r) => r.ok).length;
  // Each written record has its own audit row from the service; this one says a bulk action happened,
  // and who was refused what (a denied mass change is worth knowing about).
  await deps.db.insertInto('crm.audit_log').values({
    workspace_id: caller.ws.id, at: deps.clock.now(), actor_id: caller.userId, ip: caller.ip ?? null, entity: model.table, record_id: null,
    action: 'records.bulk',
    changes: JSON.stringify({
      action: input.action, ...(body ? { fields: Object.keys(body) } : {}), requested: input.ids.length, ok,
      refused: results.filter((r): r is Extract<BulkResult, { ok: false }> => !r.ok).map((r) => ({ id: r.id, code: r.code })),
    }),
  }).execute();
  return { data: results, summary: { ok, failed: results.length - ok } };
}

function bodyOf(model: { entity: { ownership?: string } }, input: BulkInput): Record<string, unknown> | undefined {
  if (input.action === 'delete') return undefined;
  if (input.action === 'assign') {
    if (model.entity.ownership !== 'owned') throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'records of this entity have no owner' });
    if (!input.ownerId) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'assign needs ownerId' });
    return { owner_id: input.ownerId };
  }
  if (!input.values || !Object.keys(input.values).length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'update needs values' });
  return input.values;
}

function internal(deps: BulkDeps, err: unknown): AppError {
  if (isDatabaseUnavailable(err)) return new AppError('CRM_ERR_DB_UNAVAILABLE');
  deps.log(err);
  return new AppError('CRM_ERR_INTERNAL');
}
