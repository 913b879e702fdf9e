import type { Pipeline } from '../schemas/pipeline.js';
import { checkKey, checkRule, checkUnique, liveEntity, liveField, type Ctx } from './context.js';
import { ptr, type Sinks } from './issue.js';

/**
 * Stages are unique and are exactly the options of the pipeline's select
 * field (same id and key, every option a stage); transitions name stages;
 * gates name live fields and hold valid rules.
 */
export function checkPipeline(p: Pipeline, sinks: Sinks, ctx: Ctx): void {
  const { own, ref } = sinks;
  const keys = new Map<string, string>();
  const ids = new Set<string>();
  p.stages.forEach((s, i) => {
    checkKey(s.key, ptr('stages', i, 'key'), own, { sql: false });
    if (keys.has(s.key)) own(ptr('stages', i, 'key'), 'META_DUPLICATE_KEY', { key: s.key, other: keys.get(s.key) });
    else keys.set(s.key, s.id);
    if (ids.has(s.id)) own(ptr('stages', i, 'id'), 'META_DUPLICATE_ID', { id: s.id });
    ids.add(s.id);
    checkUnique(s.gate?.requiredFields ?? [], (j) => ptr('stages', i, 'gate', 'requiredFields', j), own);
  });
  if (Array.isArray(p.transitions)) {
    checkUnique(p.transitions.map((t) => t.from), (i) => ptr('transitions', i, 'from'), own);
    p.transitions.forEach((t, i) => {
      if (!keys.has(t.from)) own(ptr('transitions', i, 'from'), 'META_UNKNOWN_STAGE', { stage: t.from });
      t.to.forEach((to, j) => {
        if (!keys.has(to)) own(ptr('transitions', i, 'to', j), 'META_UNKNOWN_STAGE', { stage: to });
      });
    });
  }

  const e = liveEntity(ctx, p.entity, '/entity', ref);
  if (!e) return;
  const field = liveField(e, p.field, '/field', ref);
  if (field && field.type !== 'select') ref('/field', 'META_FIELD_WRONG_TYPE', { field: field.key, expected: 'select' });
  else if (field) {
    const options = (Array.isArray(field.options) ? field.options : []) as { id: string; key: string }[];
    p.stages.forEach((s, i) => {
      if (!options.some((o) => o.id === s.id && o.key === s.key)) ref(ptr('stages', i), 'META_STAGE_NOT_OPTION', { stage: s.key, field: field.key });
    });
    for (const o of options) {
      if (!p.stages.some((s) => s.id === o.id && s.key === o.key)) ref('/stages', 'META_OPTION_NOT_STAGE', { option: o.key, pipeline: p.id });
    }
  }
  p.stages.forEach((s, i) => {
    (s.gate?.requiredFields ?? []).forEach((k, j) => liveField(e, k, ptr('stages', i, 'gate', 'requiredFields', j), ref));
    if (s.gate?.rule) checkRule(s.gate.rule, e, `${ptr('stages', i, 'gate', 'rule')}`, sinks, false);
  });
}
