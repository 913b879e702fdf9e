import type { EntityBody, FieldBody, OptionBody, PipelineBody } from '../model.js';

/**
 * Pure edits of a pipeline and of the select field it runs over. A stage IS
 * an option of that field (same id, same key; the validator refuses any
 * drift), so every operation that adds, moves or removes a stage returns the
 * entity and the pipeline together.
 */

export type Stage = PipelineBody['stages'][number];
export type Gate = NonNullable<Stage['gate']>;
export type Transitions = PipelineBody['transitions'];
export type ExplicitTransition = Extract<Transitions, readonly unknown[]>[number];
export type TransitionMode = 'any' | 'forward-one-or-any-outcome' | 'explicit';
type LabelText = { 'zh-CN'?: string; en?: string };

export interface Pair { entity: EntityBody; pipeline: PipelineBody }

/** The select field whose options are the pipeline's stages. */
export const stageField = (e: EntityBody, p: Pick<PipelineBody, 'field'>): FieldBody | undefined =>
  (e.fields as FieldBody[]).find((f) => f.key === p.field && f.type === 'select');

/** Select fields that could carry a new pipeline: live, with two options or more, not already a pipeline's. */
export const pipelineCandidates = (e: EntityBody, taken: readonly string[]): FieldBody[] =>
  (e.fields as FieldBody[]).filter((f) => f.type === 'select' && !f.archived && (f.options?.length ?? 0) >= 2 && !taken.includes(f.key));

/** `n` probabilities spread evenly from 10 to 90 (a first guess the designer then adjusts). */
export function spreadProbabilities(n: number): number[] {
  if (n <= 0) return [];
  if (n === 1) return [50];
  return Array.from({ length: n }, (_, i) => Math.round(10 + (80 * i) / (n - 1)));
}

function withField(e: EntityBody, key: string, fn: (f: FieldBody) => FieldBody): EntityBody {
  return { ...e, fields: (e.fields as FieldBody[]).map((f) => (f.key === key ? fn(f) : f)) } as EntityBody;
}
const optionsOf = (e: EntityBody, p: Pick<PipelineBody, 'field'>): OptionBody[] => stageField(e, p)?.options ?? [];

/**
 * A pipeline over a select field: one stage per option, in option order, with
 * the same id and key. Inactive options become stages too, because the
 * validator wants every option of the field to be a stage (records may still
 * hold them). The field learns which pipeline it carries; options without a
 * colour take the next one of `palette` (on the option and the stage alike).
 */
export function createPipeline(e: EntityBody, fieldKey: string, id: string, palette: readonly string[] = []): Pair {
  const field = (e.fields as FieldBody[]).find((f) => f.key === fieldKey);
  if (!field || field.type !== 'select') throw new Error(`${fieldKey} is not a select field`);
  const options = (field.options ?? []).map((o, i) => (o.color || !palette.length ? o : { ...o, color: palette[i % palette.length]! }));
  const active = options.filter((o) => o.active !== false);
  const probs = spreadProbabilities(active.length);
  const stages: Stage[] = options.map((o) => {
    const i = active.indexOf(o);
    return { id: o.id, key: o.key, probability: i >= 0 ? probs[i]! : 0, ...(o.color ? { color: o.color } : {}) };
  });
  return {
    entity: withField(e, fieldKey, (f) => ({ ...f, options, pipeline: id })),
    pipeline: { id, entity: e.key, field: fieldKey, schemaVersion: 1, stages, transitions: 'forward-one-or-any-outcome' },
  };
}

/** Puts the options that are stages in stage order, leaving any other option where it was. */
export function syncOptionOrder(options: readonly OptionBody[], stages: readonly Pick<Stage, 'id'>[]): OptionBody[] {
  const isStage = new Set(stages.map((s) => s.id));
  const queue = stages.map((s) => options.find((o) => o.id === s.id)).filter((o): o is OptionBody => !!o);
  return options.map((o) => (isStage.has(o.id) ? queue.shift()! : o));
}

/** A key unique among the field's options: `key`, else `key_2`, `key_3`... */
export function uniqueKey(key: string, taken: readonly string[]): string {
  if (!taken.includes(key)) return key;
  for (let i = 2; ; i++) {
    const k = `${key.slice(0, 36)}_${i}`;
    if (!taken.includes(k)) return k;
  }
}

/**
 * A new stage and its option, placed before the first outcome stage (won /
 * lost stay last), with a probability halfway between the previous stage's and 100.
 */
export function addStage(pair: Pair, s: { id: string; key: string; label: LabelText; color?: string }): Pair {
  const { pipeline } = pair;
  const key = uniqueKey(s.key, optionsOf(pair.entity, pipeline).map((o) => o.key));
  const at = (() => { const i = pipeline.stages.findIndex((x) => x.outcome); return i < 0 ? pipeline.stages.length : i; })();
  // Only outcomes follow the new stage, so it sits between the last open stage and a sure win.
  const prev = pipeline.stages[at - 1]?.probability ?? 0;
  const stage: Stage = { id: s.id, key, probability: Math.round((prev + 100) / 2), ...(s.color ? { color: s.color } : {}) };
  const stages = [...pipeline.stages.slice(0, at), stage, ...pipeline.stages.slice(at)];
  const option: OptionBody = { id: s.id, key, label: s.label, active: true, ...(s.color ? { color: s.color } : {}) };
  return {
    pipeline: { ...pipeline, stages },
    entity: withField(pair.entity, pipeline.field, (f) => ({ ...f, options: syncOptionOrder([...(f.options ?? []), option], stages) })),
  };
}

/** Moves a stage and its option together. */
export function moveStage(pair: Pair, from: number, to: number): Pair {
  const n = pair.pipeline.stages.length;
  if (from === to || from < 0 || to < 0 || from >= n || to >= n) return pair;
  const stages = [...pair.pipeline.stages];
  const [s] = stages.splice(from, 1);
  stages.splice(to, 0, s!);
  return {
    pipeline: { ...pair.pipeline, stages },
    entity: withField(pair.entity, pair.pipeline.field, (f) => ({ ...f, options: syncOptionOrder(f.options ?? [], stages) })),
  };
}

/** Whether the stage can be taken out: published ones are only deactivated, and a pipeline keeps two stages. */
export const canDeleteStage = (p: PipelineBody, stageId: string, published: ReadonlySet<string>): boolean =>
  published.has(stageId) || p.stages.length > 2;

/**
 * "Removes" a stage. A published option may be stored in records, so it is
 * deactivated (the stage stays, as the validator wants); an unpublished one
 * goes away with its stage and every explicit transition naming it.
 */
export function removeStage(pair: Pair, stageId: string, published: ReadonlySet<string>): Pair {
  const stage = pair.pipeline.stages.find((s) => s.id === stageId);
  if (!stage || !canDeleteStage(pair.pipeline, stageId, published)) return pair;
  if (published.has(stageId)) return setOptionActive(pair, stageId, false);
  const stages = pair.pipeline.stages.filter((s) => s.id !== stageId);
  const transitions = Array.isArray(pair.pipeline.transitions)
    ? pair.pipeline.transitions.filter((t) => t.from !== stage.key)
      .map((t) => ({ ...t, to: t.to.filter((k) => k !== stage.key) })).filter((t) => t.to.length)
    : pair.pipeline.transitions;
  return {
    pipeline: { ...pair.pipeline, stages, transitions },
    entity: withField(pair.entity, pair.pipeline.field, (f) => ({ ...f, options: (f.options ?? []).filter((o) => o.id !== stageId) })),
  };
}

export const setOptionActive = (pair: Pair, stageId: string, active: boolean): Pair => ({
  pipeline: pair.pipeline,
  entity: withField(pair.entity, pair.pipeline.field, (f) => ({ ...f, options: (f.options ?? []).map((o) => (o.id === stageId ? { ...o, active } : o)) })),
});

/** Renames an unpublished stage's key everywhere it appears (option, stage, explicit transitions). */
export function renameStageKey(pair: Pair, stageId: string, key: string): Pair {
  const old = pair.pipeline.stages.find((s) => s.id === stageId)?.key;
  if (!old || old === key) return pair;
  const swap = (k: string) => (k === old ? key : k);
  const transitions = Array.isArray(pair.pipeline.transitions)
    ? pair.pipeline.transitions.map((t) => ({ from: swap(t.from), to: t.to.map(swap) }))
    : pair.pipeline.transitions;
  return {
    pipeline: { ...pair.pipeline, transitions, stages: pair.pipeline.stages.map((s) => (s.id === stageId ? { ...s, key } : s)) },
    entity: withField(pair.entity, pair.pipeline.field, (f) => ({ ...f, options: (f.options ?? []).map((o) => (o.id === stageId ? { ...o, key } : o)) })),
  };
}

export function setStageLabel(pair: Pair, stageId: string, lang: 'zh-CN' | 'en', text: string): Pair {
  return {
    pipeline: pair.pipeline,
    entity: withField(pair.entity, pair.pipeline.field, (f) => ({
      ...f,
      options: (f.options ?? []).map((o) => {
        if (o.id !== stageId) return o;
        const label: LabelText = { ...o.label };
        if (text.trim()) label[lang] = text;
        else delete label[lang];
        return { ...o, label };
      }),
    })),
  };
}

/** The colour lives on the stage (the path) and on the option (tags in lists and forms): both change. */
export function setStageColor(pair: Pair, stageId: string, color: string | undefined): Pair {
  const paint = <T extends { id: string; color?: string }>(x: T): T => {
    if (x.id !== stageId) return x;
    const { color: _c, ...rest } = x;
    return (color ? { ...rest, color } : rest) as T;
  };
  return {
    pipeline: { ...pair.pipeline, stages: pair.pipeline.stages.map(paint) },
    entity: withField(pair.entity, pair.pipeline.field, (f) => ({ ...f, options: (f.options ?? []).map(paint) })),
  };
}

/** Probability (clamped to 0..100, whole numbers) and outcome of one stage. */
export function setStage(p: PipelineBody, stageId: string, patch: { probability?: number; outcome?: 'won' | 'lost' | null }): PipelineBody {
  return {
    ...p,
    stages: p.stages.map((s) => {
      if (s.id !== stageId) return s;
      let next: Stage = { ...s };
      if (patch.probability !== undefined) next.probability = Math.min(100, Math.max(0, Math.round(patch.probability)));
      if (patch.outcome !== undefined) {
        const { outcome: _o, ...rest } = next;
        next = patch.outcome ? { ...rest, outcome: patch.outcome } : rest;
      }
      return next;
    }),
  };
}

/**
 * Sets a stage's gate. `undefined` is "no gate"; an empty rule is dropped;
 * a gate with nothing left keeps an empty required list so that a gate the
 * designer just switched on stays on (the schema wants one property).
 */
export function setGate(p: PipelineBody, stageId: string, gate: { requiredFields?: readonly string[]; rule?: unknown } | undefined): PipelineBody {
  return {
    ...p,
    stages: p.stages.map((s) => {
      if (s.id !== stageId) return s;
      const { gate: _g, ...rest } = s;
      if (!gate) return rest;
      const out: Gate = {};
      if (gate.requiredFields?.length) out.requiredFields = [...new Set(gate.requiredFields)];
      if (gate.rule !== undefined && gate.rule !== null) out.rule = gate.rule as Gate['rule'];
      return { ...rest, gate: Object.keys(out).length ? out : { requiredFields: [] } };
    }),
  };
}

export const transitionMode = (t: Transitions): TransitionMode => (Array.isArray(t) ? 'explicit' : (t as 'any' | 'forward-one-or-any-outcome'));

/** `from -> set of to` stage keys. */
export type Matrix = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The moves a pipeline allows, as the records service checks them
 * (server/src/records/checks.ts): `any`; or forward one stage, back to any
 * earlier open stage, and straight to an outcome; or the explicit list.
 */
export function allowedMoves(p: Pick<PipelineBody, 'stages' | 'transitions'>): Matrix {
  const out = new Map<string, Set<string>>();
  const keys = p.stages.map((s) => s.key);
  for (const k of keys) out.set(k, new Set());
  if (Array.isArray(p.transitions)) {
    for (const t of p.transitions) for (const to of t.to) if (out.has(t.from) && to !== t.from) out.get(t.from)!.add(to);
    return out;
  }
  p.stages.forEach((from, a) => {
    p.stages.forEach((to, b) => {
      if (a === b) return;
      const ok = p.transitions === 'any' || !!to.outcome || b === a + 1 || (b < a && !to.outcome);
      if (ok) out.get(from.key)!.add(to.key);
    });
  });
  return out;
}

/** The explicit list of a matrix, in stage order; stages with no way out have no entry. */
export function matrixToList(stages: readonly Pick<Stage, 'key'>[], m: Matrix): ExplicitTransition[] {
  return stages.flatMap((from) => {
    const to = stages.map((s) => s.key).filter((k) => k !== from.key && m.get(from.key)?.has(k));
    return to.length ? [{ from: from.key, to }] : [];
  });
}

/** Switching to explicit starts from what the current preset allows, so nothing changes until the designer edits. */
export function setTransitionMode(p: PipelineBody, mode: TransitionMode): PipelineBody {
  if (mode === transitionMode(p.transitions)) return p;
  return { ...p, transitions: mode === 'explicit' ? matrixToList(p.stages, allowedMoves(p)) : mode };
}

export function toggleTransition(p: PipelineBody, from: string, to: string): PipelineBody {
  if (!Array.isArray(p.transitions) || from === to) return p;
  const m = new Map([...allowedMoves(p)].map(([k, v]) => [k, new Set(v)]));
  const row = m.get(from);
  if (!row) return p;
  if (row.has(to)) row.delete(to);
  else row.add(to);
  return { ...p, transitions: matrixToList(p.stages, m) };
}
