import type { Transaction } from 'kysely';
import type { AssignPort, Row } from '@crm/automation';
import { AppError } from '../errors/app-error.js';
import type { Clock } from '../infra/clock.js';
import type { Caller, RecordsService } from '../records/service.js';
import { pickOwner } from '../assign/pick-owner.js';

/**
 * Owner assignment for `assign_owner` and the pool for `move_to_pool`: the
 * owner is chosen by the rule (round robin, least loaded, field map) and
 * written through the records service in the step's transaction, so the
 * write is validated, audited (with the reason, shown in the timeline),
 * notifies the new owner and may trigger further automations.
 */
export function assignPort(records: RecordsService, clock: Clock) {
  return (tx: Transaction<any>, caller: Caller): AssignPort => ({
    assign: async (entity, record, config) => {
      const picked = await pickOwner(tx, caller.ws, { key: entity, table: entity }, record, config as unknown as Parameters<typeof pickOwner>[4], clock.now());
      await write(records, tx, caller, entity, record, { owner_id: picked.ownerId }, picked.reason);
      return { ownerId: picked.ownerId, reason: picked.reason['zh-CN'] };
    },
    toPool: async (entity, record, reason) => {
      await write(records, tx, caller, entity, record, { owner_id: null }, reason ? { 'zh-CN': reason, en: reason } : { 'zh-CN': '自动化移入公海', en: 'Moved to the public pool by an automation' });
    },
  });
}

async function write(records: RecordsService, tx: Transaction<any>, caller: Caller, entity: string, record: Row, values: Row, reason: { 'zh-CN': string; en: string }) {
  const id = String(record.id);
  const current = (await records.get({ ...caller, tx }, entity, id)) as Row;
  if (!current) throw new AppError('CRM_ERR_NOT_FOUND');
  if ((current.owner_id ?? null) === (values.owner_id ?? null)) return;
  await records.update({ ...caller, tx, via: { ...caller.via!, reason } }, entity, id, values, current.version as number);
}
