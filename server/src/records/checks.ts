import { evaluate, type EvalContext } from '@crm/rules';
import type { ErrorDetail } from '../errors/app-error.js';
import { recordMessages } from '../errors/details.js';
import { format, type Lang } from '../errors/i18n.js';
import { isEmpty, type Wire } from './values.js';
import type { EntityModel, PipelineModel } from './model.js';

/**
 * Server-side rules of an entity on the state a write would produce: required
 * fields, requiredIf / readOnlyIf / visibleIf, validation rules, select options
 * still active, pipeline transitions and stage gates. Returns every problem,
 * addressed by field; the records service refuses the write with 422 if any.
 */
export function checkRecord(model: EntityModel, before: Wire | null, after: Wire, changed: ReadonlySet<string>, ctx: EvalContext): ErrorDetail[] {
  return checkRecordRaw(model, before, after, changed, ctx).map((d) => withLabels(model, d));
}

/**
 * Params stay keys (for programs); the message names fields, stages and
 * options by their labels in each language (for people).
 */
function withLabels(model: EntityModel, d: ErrorDetail): ErrorDetail {
  const template = recordMessages[d.code as keyof typeof recordMessages];
  if (!template || d.message || !d.params) return d;
  const field = (k: unknown, lang: Lang) => {
    const l = model.fields.get(String(k))?.label as { 'zh-CN'?: string; en?: string } | undefined;
    return (l && (lang === 'en' ? l.en ?? l['zh-CN'] : l['zh-CN'] ?? l.en)) || String(k);
  };
  const stage = (k: unknown, lang: Lang) => {
    const pipelineField = model.pipelines[0] && model.fields.get(model.pipelines[0].field);
    const o = (pipelineField?.options as { key: string; label: { 'zh-CN'?: string; en?: string } }[] | undefined)?.find((x) => x.key === k);
    return (o && (lang === 'en' ? o.label.en ?? o.label['zh-CN'] : o.label['zh-CN'] ?? o.label.en)) || String(k);
  };
  const sep = { 'zh-CN': '、', en: ', ' } as const;
  const render = (lang: Lang) => format(template[lang], {
    ...d.params,
    ...(d.params!.field !== undefined ? { field: field(d.params!.field, lang) } : {}),
    ...(Array.isArray(d.params!.missing) ? { missing: (d.params!.missing as string[]).map((k) => field(k, lang)).join(sep[lang]) } : {}),
    ...(d.params!.stage !== undefined ? { stage: stage(d.params!.stage, lang) } : {}),
    ...(d.params!.from !== undefined ? { from: stage(d.params!.from, lang) } : {}),
    ...(d.params!.to !== undefined ? { to: stage(d.params!.to, lang) } : {}),
  });
  return { ...d, message: { 'zh-CN': render('zh-CN'), en: render('en') } };
}

function checkRecordRaw(model: EntityModel, before: Wire | null, after: Wire, changed: ReadonlySet<string>, ctx: EvalContext): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const schema = model.ruleSchema;
  const when = (rule: unknown, state: Wire) => evaluate(rule, schema, state, ctx);

  for (const [key, f] of model.fields) {
    if (f.required && model.writable.has(key) && isEmpty(after[key]) && (before === null || changed.has(key) || !isEmpty(before[key]))) {
      details.push({ pointer: `/${key}`, code: 'RECORD_REQUIRED', params: { field: key } });
    }
    if ((f.type === 'select' || f.type === 'multiselect') && changed.has(key)) {
      const inactive = new Set(((f.options ?? []) as { key: string; active?: boolean }[]).filter((o) => o.active === false).map((o) => o.key));
      const was = new Set(([] as unknown[]).concat(before?.[key] ?? []));
      for (const v of ([] as unknown[]).concat(after[key] ?? [])) {
        if (inactive.has(v as string) && !was.has(v)) details.push({ pointer: `/${key}`, code: 'RECORD_OPTION_INACTIVE', params: { field: key, option: v } });
      }
    }
  }

  for (const r of model.entity.rules) {
    if (r.kind === 'validation') {
      if ((!r.when || when(r.when, after)) && !when(r.assert, after)) {
        details.push({ pointer: '', code: 'RECORD_RULE_FAILED', params: { rule: r.id }, message: { 'zh-CN': r.message['zh-CN'] ?? r.message.en ?? r.id, en: r.message.en ?? r.message['zh-CN'] ?? r.id } });
      }
      continue;
    }
    const field = r.field;
    if (r.kind === 'requiredIf' && when(r.when, after) && isEmpty(after[field])) {
      details.push({ pointer: `/${field}`, code: 'RECORD_REQUIRED', params: { field } });
    }
    // A read-only or hidden field keeps its value: decided on the state before the write.
    const state = before ?? after;
    if ((r.kind === 'readOnlyIf' && changed.has(field) && when(r.when, state)) ||
        (r.kind === 'visibleIf' && changed.has(field) && !when(r.when, state) && !isEmpty(after[field]))) {
      details.push({ pointer: `/${field}`, code: 'RECORD_READ_ONLY', params: { field } });
    }
  }

  for (const p of model.pipelines) details.push(...checkStage(p, before, after, changed, when));
  return details;
}

function checkStage(p: PipelineModel, before: Wire | null, after: Wire, changed: ReadonlySet<string>, when: (rule: unknown, state: Wire) => boolean): ErrorDetail[] {
  if (!changed.has(p.field)) return [];
  const to = after[p.field] as string | null;
  if (to === null || to === undefined) return [];
  const from = (before?.[p.field] ?? null) as string | null;
  const out: ErrorDetail[] = [];
  const idx = (k: string | null) => p.stages.findIndex((s) => s.key === k);
  const target = p.stages[idx(to)];
  if (!target) return [];
  if (from !== null && from !== to && !transitionAllowed(p, from, to, idx)) {
    out.push({ pointer: `/${p.field}`, code: 'RECORD_STAGE_TRANSITION', params: { from, to } });
  }
  const missing = (target.gate?.requiredFields ?? []).filter((f) => isEmpty(after[f]));
  if (missing.length) out.push({ pointer: `/${p.field}`, code: 'RECORD_STAGE_GATE', params: { stage: to, missing } });
  if (target.gate?.rule && !when(target.gate.rule, after)) out.push({ pointer: `/${p.field}`, code: 'RECORD_STAGE_GATE_RULE', params: { stage: to } });
  return out;
}

function transitionAllowed(p: PipelineModel, from: string, to: string, idx: (k: string | null) => number): boolean {
  if (p.transitions === 'any') return true;
  if (p.transitions === 'forward-one-or-any-outcome') {
    const target = p.stages[idx(to)]!;
    if (target.outcome) return true;
    const a = idx(from);
    const b = idx(to);
    // Forward one stage, or back to any earlier open stage (reopening is a normal sales move).
    return a >= 0 && (b === a + 1 || (b < a && !p.stages[b]!.outcome));
  }
  return p.transitions.some((t) => t.from === from && t.to.includes(to));
}
