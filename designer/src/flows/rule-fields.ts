import type { RuleField } from '@crm/ui';
import type { EntityBody } from '../model.js';

/**
 * The fields a flow's rules offer: the entity's own, and the system columns
 * automations test most (the owner, when a record was created or last
 * changed), which the rule language reads like fields.
 */
export function ruleFields(e: EntityBody): RuleField[] {
  const system: RuleField[] = [
    ...(e.ownership !== 'none' ? [{ key: 'owner_id', type: 'user', label: { 'zh-CN': '负责人', en: 'Owner' }, system: true }] : []),
    { key: 'created_at', type: 'datetime', label: { 'zh-CN': '创建时间', en: 'Created at' }, system: true },
    { key: 'updated_at', type: 'datetime', label: { 'zh-CN': '更新时间', en: 'Updated at' }, system: true },
  ];
  const own = e.fields as unknown as RuleField[];
  return [...own, ...system.filter((s) => !own.some((f) => f.key === s.key))];
}
