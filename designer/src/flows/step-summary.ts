import type { Step, StepKind } from '@crm/metadata';
import { CHOICE_LABELS } from './config-form.js';
import { durationText } from './trigger-summary.js';

type Lang = 'zh-CN' | 'en';
type L = { 'zh-CN'?: string; en?: string } | undefined;
interface FieldLike { key: string; label: L; options?: { key: string; label: L }[] }
interface EntityLike { key: string; label: L; fields: readonly FieldLike[] }

export interface SummaryContext {
  lang: Lang;
  entities: readonly EntityLike[];
  /** The trigger's entity (steps that name no entity act on it). */
  entity?: EntityLike;
  /** Member names by id, and flow labels by id, where known. */
  members?: Record<string, string>;
  flows?: Record<string, L>;
}

const name = (l: L, lang: Lang, fallback: string): string => (lang === 'en' ? l?.en ?? l?.['zh-CN'] : l?.['zh-CN'] ?? l?.en) ?? fallback;
const tr = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
const list = (lang: Lang, xs: string[]) => xs.join(lang === 'en' ? ', ' : '、');
const colon = (lang: Lang) => (lang === 'en' ? ': ' : '：');

const SYSTEM: Record<string, [string, string]> = {
  id: ['记录 ID', 'record id'], owner_id: ['负责人', 'owner'], created_at: ['创建时间', 'created at'], updated_at: ['更新时间', 'updated at'],
};

/** A variable by the name people know it by: 「姓名」, 「变化前的状态」, 「s1.id」. */
export function varText(v: string, c: SummaryContext): string {
  const m = /^(record|previous|trigger)\.(.+)$/.exec(v);
  let text = v;
  if (v === '$user.id') text = tr(c.lang, '触发的成员', 'who triggered it');
  else if (m && m[1] !== 'trigger') {
    const f = c.entity?.fields.find((x) => x.key === m[2]);
    const field = f ? name(f.label, c.lang, m[2]!) : SYSTEM[m[2]!] ? tr(c.lang, ...SYSTEM[m[2]!]!) : m[2]!;
    text = m[1] === 'previous' ? tr(c.lang, `变化前的${field}`, `previous ${field}`) : field;
  } else if (m) text = m[2]!;
  else if (v.startsWith('steps.')) text = v.slice(6);
  return c.lang === 'en' ? `[${text}]` : `「${text}」`;
}

/** A template with its placeholders named as people know them. */
export const templateText = (t: string, c: SummaryContext): string => t.replace(/\{\{([^{}]*)\}\}/g, (_, v: string) => varText(v.trim(), c));

/** A value expression in a few words: a literal (option names for selects), 「a variable」, a template, "now + 1 day". */
export function valueText(v: unknown, c: SummaryContext, field?: FieldLike): string {
  if (v === null || v === undefined || v === '') return tr(c.lang, '空', 'empty');
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.var === 'string') return varText(o.var, c);
    if (typeof o.template === 'string') return templateText(o.template, c);
    if (o.now && typeof o.now === 'object') {
      const d = o.now as { amount: number; unit: string };
      return d.amount === 0 ? tr(c.lang, '现在', 'now') : `${tr(c.lang, '现在', 'now')} ${d.amount < 0 ? '−' : '+'} ${durationText(d, c.lang)}`;
    }
  }
  if (Array.isArray(v)) return list(c.lang, v.map((x) => valueText(x, c, field)));
  if (typeof v === 'boolean') return v ? tr(c.lang, '是', 'yes') : tr(c.lang, '否', 'no');
  const opt = field?.options?.find((o) => o.key === v);
  return opt ? name(opt.label, c.lang, String(v)) : String(v);
}

const RECIPIENT: Record<string, [string, string]> = { owner: ['负责人', 'owner'], owner_manager: ['负责人的上级', "owner's manager"], trigger_user: ['触发的成员', 'who triggered it'] };

export function recipientText(r: unknown, c: SummaryContext): string {
  if (typeof r === 'string') return RECIPIENT[r] ? tr(c.lang, ...RECIPIENT[r]!) : r;
  const o = (r ?? {}) as Record<string, string>;
  if (o.user) return c.members?.[o.user] ?? tr(c.lang, '成员', 'a member');
  if (o.email) return o.email;
  if (o.var) return varText(o.var, c);
  return '?';
}

const entityOf = (c: SummaryContext, key: unknown): EntityLike | undefined => (typeof key === 'string' ? c.entities.find((e) => e.key === key) : c.entity);
const entityName = (c: SummaryContext, key: unknown) => {
  const e = entityOf(c, key);
  return e ? name(e.label, c.lang, e.key) : String(key ?? '');
};
const fieldName = (e: EntityLike | undefined, key: string, lang: Lang) => name(e?.fields.find((f) => f.key === key)?.label, lang, key);

function valuesText(values: unknown, e: EntityLike | undefined, c: SummaryContext): string {
  const entries = values && typeof values === 'object' && !Array.isArray(values) ? Object.entries(values as Record<string, unknown>) : [];
  if (!entries.length) return tr(c.lang, '（还没有设置字段）', '(no fields set yet)');
  return entries.map(([k, v]) => `${fieldName(e, k, c.lang)} = ${valueText(v, c, e?.fields.find((f) => f.key === k))}`).join(c.lang === 'en' ? '; ' : '；');
}

type Cfg = Record<string, any>;
/** What each kind of step does, in one line for its card. Exhaustive over the kinds. */
const SUMMARIES: Record<StepKind, (cfg: Cfg, c: SummaryContext, s: Step) => string> = {
  condition: () => '',
  branch: (_cfg, c, s) => tr(c.lang, `${s.branches?.length ?? 0} 个分支，第一个满足条件的执行`, `${s.branches?.length ?? 0} branches; the first that matches runs`),
  loop: (cfg, c) => tr(c.lang, `对每条${entityName(c, cfg.entity)}（最多 ${cfg.max} 条）`, `For each ${entityName(c, cfg.entity)} (at most ${cfg.max})`),
  call_flow: (cfg, c) => name(c.flows?.[cfg.flow], c.lang, String(cfg.flow ?? '')),
  update_record: (cfg, c) => {
    const e = entityOf(c, cfg.entity);
    const which = cfg.record?.var ? `${varText(cfg.record.var, c)} ` : '';
    return which + valuesText(cfg.values, e, c);
  },
  create_record: (cfg, c) => `${entityName(c, cfg.entity)}${colon(c.lang)}${valuesText(cfg.values, entityOf(c, cfg.entity), c)}`,
  create_task: (cfg, c) => `${templateText(String(cfg.title ?? ''), c)} → ${recipientText(cfg.assignee, c)}`,
  create_activity: (cfg, c) => templateText(String(cfg.subject ?? ''), c),
  assign_owner: (cfg, c) => {
    const how = CHOICE_LABELS[cfg.strategy] ? tr(c.lang, ...CHOICE_LABELS[cfg.strategy]!) : String(cfg.strategy);
    if (cfg.strategy === 'field_map') return `${how}${colon(c.lang)}${fieldName(c.entity, String(cfg.field ?? ''), c.lang)}`;
    return cfg.team ? `${how}${colon(c.lang)}${cfg.team}` : how;
  },
  find_duplicate: (cfg, c) => tr(c.lang, `按${list(c.lang, (cfg.fields ?? []).map((k: string) => fieldName(c.entity, k, c.lang)))}查重`, `Match on ${list(c.lang, (cfg.fields ?? []).map((k: string) => fieldName(c.entity, k, c.lang)))}`),
  move_to_pool: (cfg, c) => name(cfg.reason, c.lang, ''),
  send_email: (cfg, c) => `${list(c.lang, (cfg.to ?? []).map((r: unknown) => recipientText(r, c)))}${colon(c.lang)}${templateText(String(cfg.subject ?? ''), c)}`,
  notify: (cfg, c) => `${list(c.lang, (cfg.to ?? []).map((r: unknown) => recipientText(r, c)))}${colon(c.lang)}${templateText(String(cfg.title ?? ''), c)}`,
  http_request: (cfg, c) => `${cfg.method ?? ''} ${templateText(String(cfg.url ?? ''), c)}`,
  delay: (cfg, c) => (cfg.for ? tr(c.lang, `等待 ${durationText(cfg.for, c.lang)}`, `Wait ${durationText(cfg.for, c.lang)}`) : ''),
  wait_until: (cfg, c) => tr(c.lang, `等到 ${valueText(cfg.at, c)}`, `Until ${valueText(cfg.at, c)}`),
  wait_for: (cfg, c) => (cfg.timeout ? tr(c.lang, `最长等待 ${durationText(cfg.timeout, c.lang)}`, `At most ${durationText(cfg.timeout, c.lang)}`) : ''),
};

/** One line saying what the step does (its config in words). */
export function stepSummary(s: Step, c: SummaryContext): string {
  try {
    return SUMMARIES[s.kind]?.((s.config ?? {}) as Cfg, c, s) ?? '';
  } catch {
    // A config the server has yet to refuse may have any shape: the card just says less.
    return '';
  }
}
