import type { Trigger } from '@crm/metadata';
import { cronWords } from './cron-schedule.js';

type Lang = 'zh-CN' | 'en';
type L = { 'zh-CN'?: string; en?: string } | undefined;
interface FieldLike { key: string; label: L; options?: { key: string; label: L }[] }
export interface EntityLike { key: string; label: L; fields: readonly FieldLike[] }

const name = (l: L, lang: Lang, fallback: string): string => (lang === 'en' ? l?.en ?? l?.['zh-CN'] : l?.['zh-CN'] ?? l?.en) ?? fallback;

const EVENTS: Record<string, [string, string]> = { created: ['新建', 'created'], updated: ['修改', 'updated'], deleted: ['删除', 'deleted'], restored: ['恢复', 'restored'] };
const SYSTEM_FIELDS: Record<string, [string, string]> = {
  created_at: ['创建时间', 'Created at'], updated_at: ['更新时间', 'Updated at'], owner_assigned_at: ['分配负责人时间', 'Owner assigned at'],
};
const UNITS: Record<string, [string, string, string]> = { minutes: ['分钟', 'minute', 'minutes'], hours: ['小时', 'hour', 'hours'], days: ['天', 'day', 'days'] };

/** "3 days" / "3 天" (the sign is told apart by before/after). */
export function durationText(d: { amount: number; unit: string }, lang: Lang): string {
  const n = Math.abs(d.amount);
  const u = UNITS[d.unit] ?? [d.unit, d.unit, d.unit];
  return lang === 'en' ? `${n} ${n === 1 ? u[1] : u[2]}` : `${n} ${u[0]}`;
}

/**
 * A trigger in one sentence, for the flow list and the canvas:
 * "线索新建时" / "When a Lead is created",
 * "商机的「销售阶段」从 需求确认 变为 方案报价 时" ...
 */
export function triggerSummary(t: Trigger, entities: readonly EntityLike[], lang: Lang): string {
  const en = lang === 'en';
  const entity = 'entity' in t && t.entity ? entities.find((e) => e.key === t.entity) : undefined;
  const ent = 'entity' in t && t.entity ? name(entity?.label, lang, t.entity) : '';
  const a = /^[aeiou]/i.test(ent) ? 'an' : 'a';
  const field = (key: string) => {
    const f = entity?.fields.find((x) => x.key === key);
    return f ? name(f.label, lang, key) : SYSTEM_FIELDS[key] ? SYSTEM_FIELDS[key]![en ? 1 : 0] : key;
  };
  const values = (key: string, list: readonly unknown[]) => {
    const f = entity?.fields.find((x) => x.key === key);
    const names = list.map((v) => (v === null ? (en ? 'empty' : '空') : name(f?.options?.find((o) => o.key === v)?.label, lang, String(v))));
    return en ? names.join(' or ') : names.map((n) => `「${n}」`).join('或');
  };
  const when = (text: string) => (t.kind !== 'schedule' && t.kind !== 'webhook' && 'condition' in t && t.condition ? `${text}${en ? ', if the condition holds' : '，且满足条件'}` : text);
  switch (t.kind) {
    case 'record': {
      const on = t.on.map((e) => EVENTS[e]?.[en ? 1 : 0] ?? e).join(en ? ' or ' : '或');
      const fields = t.on.includes('updated') && t.fields?.length ? (en ? ` (${t.fields.map(field).join(', ')} changed)` : `（${t.fields.map(field).join('、')}变化）`) : '';
      return when(en ? `When ${a} ${ent} is ${on}${fields}` : `${ent}${on}时${fields}`);
    }
    case 'field_changed': {
      const from = t.from?.length ? values(t.field, t.from) : '';
      const to = t.to?.length ? values(t.field, t.to) : '';
      if (en) return when(`When ${field(t.field)} of ${a} ${ent} changes${from ? ` from ${from}` : ''}${to ? ` to ${to}` : ''}`);
      return when(`${ent}的「${field(t.field)}」${from ? `从${from}` : ''}${to ? `变为${to}时` : from ? '变为其他值时' : '变化时'}`);
    }
    case 'time': {
      const after = t.offset.amount >= 0;
      const span = durationText(t.offset, lang);
      const quiet = t.unlessActivitySince ? (en ? ', unless there was activity since' : '，期间无跟进活动') : '';
      return when(en ? `${span} ${after ? 'after' : 'before'} ${field(t.field)} of ${a} ${ent}${quiet}` : `${ent}「${field(t.field)}」${after ? '之后' : '之前'} ${span}${quiet}`);
    }
    case 'schedule':
      return cronWords(t.cron, lang);
    case 'manual':
      return when(en ? `Button "${name(t.button, lang, '…')}" on ${a} ${ent}` : `${ent}上的按钮「${name(t.button, lang, '…')}」`);
    case 'webhook':
      return entity || ('entity' in t && t.entity) ? (en ? `When a webhook call arrives (${ent})` : `收到 Webhook 调用时（${ent}）`) : (en ? 'When a webhook call arrives' : '收到 Webhook 调用时');
  }
}
