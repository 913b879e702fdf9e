import { describe, expect, it } from 'vitest';
import type { EntityBody, OptionBody, PipelineBody } from '../model.js';
import {
  addStage, allowedMoves, createPipeline, matrixToList, moveStage, pipelineCandidates, removeStage, renameStageKey, setGate, setStage,
  setStageColor, setStageLabel, setTransitionMode, spreadProbabilities, stageField, syncOptionOrder, toggleTransition, type Pair,
} from './pipeline-ops.js';

const opt = (key: string, active = true): OptionBody => ({ id: `opt_${key}`, key, label: { 'zh-CN': key }, active });
const entity = (stageOptions = [opt('initial'), opt('proposal'), opt('won'), opt('lost')]): EntityBody => ({
  id: 'ent_opp', key: 'opportunities', schemaVersion: 1, label: { 'zh-CN': '商机' }, titleField: 'name', ownership: 'owned',
  fields: [
    { id: 'fld_name', key: 'name', type: 'text', label: { 'zh-CN': '名称' } },
    { id: 'fld_stage', key: 'stage', type: 'select', label: { 'zh-CN': '阶段' }, options: stageOptions },
    { id: 'fld_region', key: 'region', type: 'select', label: { 'zh-CN': '区域' }, options: [opt('east')] },
  ],
} as EntityBody);

const pair = (): Pair => {
  const p = createPipeline(entity(), 'stage', 'pl_sales');
  p.pipeline.stages[2]!.outcome = 'won';
  p.pipeline.stages[3]!.outcome = 'lost';
  return p;
};
const keys = (p: Pair) => p.pipeline.stages.map((s) => s.key);
const optionKeys = (p: Pair) => stageField(p.entity, p.pipeline)!.options!.map((o) => o.key);
/** What the validator checks: the stages are exactly the options, same id and key, in the same order. */
const inStep = (p: Pair) => expect(stageField(p.entity, p.pipeline)!.options!.map((o) => `${o.id}:${o.key}`)).toEqual(p.pipeline.stages.map((s) => `${s.id}:${s.key}`));

describe('creating a pipeline over a select field', () => {
  it('spreads probabilities from 10 to 90', () => {
    expect(spreadProbabilities(5)).toEqual([10, 30, 50, 70, 90]);
    expect(spreadProbabilities(2)).toEqual([10, 90]);
  });

  it('makes one stage per option with the same id and key and marks the field', () => {
    const p = createPipeline(entity(), 'stage', 'pl_new');
    inStep(p);
    expect(p.pipeline).toMatchObject({ entity: 'opportunities', field: 'stage', transitions: 'forward-one-or-any-outcome' });
    expect(p.pipeline.stages.map((s) => s.probability)).toEqual([10, 37, 63, 90]);
    expect(stageField(p.entity, p.pipeline)!.pipeline).toBe('pl_new');
  });

  it('keeps inactive options as stages (records may hold them) and spreads over the active ones', () => {
    const p = createPipeline(entity([opt('a'), opt('old', false), opt('b')]), 'stage', 'pl_x');
    inStep(p);
    expect(p.pipeline.stages.map((s) => s.probability)).toEqual([10, 0, 90]);
  });

  it('colours options that have none, on the option and the stage alike', () => {
    const e = entity([{ ...opt('a'), color: '#000000' }, opt('b'), opt('c')]);
    const p = createPipeline(e, 'stage', 'pl_c', ['#111111', '#222222']);
    expect(stageField(p.entity, p.pipeline)!.options!.map((o) => o.color)).toEqual(['#000000', '#222222', '#111111']);
    expect(p.pipeline.stages.map((s) => s.color)).toEqual(['#000000', '#222222', '#111111']);
    expect(createPipeline(e, 'stage', 'pl_d').pipeline.stages[1]).not.toHaveProperty('color');
  });

  it('offers only select fields with two options that carry no pipeline yet', () => {
    expect(pipelineCandidates(entity(), []).map((f) => f.key)).toEqual(['stage']);
    expect(pipelineCandidates(entity(), ['stage'])).toEqual([]);
  });
});

describe('stages and options stay in step', () => {
  it('adds a stage before the outcomes, with its option', () => {
    const p = addStage(pair(), { id: 'opt_nego', key: 'negotiation', label: { 'zh-CN': '谈判' } });
    inStep(p);
    expect(keys(p)).toEqual(['initial', 'proposal', 'negotiation', 'won', 'lost']);
    expect(p.pipeline.stages[2]!.probability).toBe(Math.round((37 + 100) / 2));
    expect(stageField(p.entity, p.pipeline)!.options![2]).toEqual({ id: 'opt_nego', key: 'negotiation', label: { 'zh-CN': '谈判' }, active: true });
  });

  it('never reuses a key', () => {
    const p = addStage(pair(), { id: 'opt_p2', key: 'proposal', label: { en: 'Proposal' } });
    expect(keys(p)).toContain('proposal_2');
    inStep(p);
  });

  it('reorders stages and options together', () => {
    const p = moveStage(pair(), 0, 1);
    expect(keys(p)).toEqual(['proposal', 'initial', 'won', 'lost']);
    inStep(p);
    expect(moveStage(pair(), 0, 9)).toEqual(pair());
  });

  it('keeps options that are not stages where they were', () => {
    const o = [opt('a'), opt('x'), opt('b')];
    expect(syncOptionOrder(o, [{ id: 'opt_b' }, { id: 'opt_a' }]).map((x) => x.key)).toEqual(['b', 'x', 'a']);
  });

  it('deactivates a published stage instead of removing it', () => {
    const p = removeStage(pair(), 'opt_proposal', new Set(['opt_proposal']));
    expect(keys(p)).toEqual(keys(pair()));
    expect(stageField(p.entity, p.pipeline)!.options!.find((o) => o.key === 'proposal')!.active).toBe(false);
  });

  it('removes an unpublished stage, its option and the transitions naming it', () => {
    let p: Pair = { ...pair(), pipeline: { ...pair().pipeline, transitions: [{ from: 'initial', to: ['proposal', 'won'] }, { from: 'proposal', to: ['won'] }] } };
    p = removeStage(p, 'opt_proposal', new Set());
    expect(keys(p)).toEqual(['initial', 'won', 'lost']);
    expect(optionKeys(p)).toEqual(['initial', 'won', 'lost']);
    expect(p.pipeline.transitions).toEqual([{ from: 'initial', to: ['won'] }]);
  });

  it('keeps two stages at least', () => {
    const two = createPipeline(entity([opt('a'), opt('b')]), 'stage', 'pl_two');
    expect(removeStage(two, 'opt_a', new Set())).toBe(two);
  });

  it('renames an unpublished key in option, stage and transitions', () => {
    let p: Pair = { ...pair(), pipeline: { ...pair().pipeline, transitions: [{ from: 'initial', to: ['proposal'] }] } };
    p = renameStageKey(p, 'opt_proposal', 'quote');
    inStep(p);
    expect(p.pipeline.transitions).toEqual([{ from: 'initial', to: ['quote'] }]);
  });

  it('writes labels on the option and colours on both', () => {
    let p = setStageLabel(pair(), 'opt_initial', 'en', 'First call');
    p = setStageColor(p, 'opt_initial', '#123456');
    const o = stageField(p.entity, p.pipeline)!.options![0]!;
    expect(o).toMatchObject({ label: { 'zh-CN': 'initial', en: 'First call' }, color: '#123456' });
    expect(p.pipeline.stages[0]!.color).toBe('#123456');
    expect(setStageColor(p, 'opt_initial', undefined).pipeline.stages[0]).not.toHaveProperty('color');
  });
});

describe('stage settings', () => {
  it('clamps probability and clears the outcome', () => {
    let p = setStage(pair().pipeline, 'opt_initial', { probability: 140 });
    expect(p.stages[0]!.probability).toBe(100);
    p = setStage(p, 'opt_won', { outcome: null });
    expect(p.stages[2]).not.toHaveProperty('outcome');
  });

  it('sets, trims and removes a gate', () => {
    const rule = { '!': { isEmpty: [{ var: 'name' }] } };
    let p = setGate(pair().pipeline, 'opt_proposal', { requiredFields: ['name', 'name'], rule });
    expect(p.stages[1]!.gate).toEqual({ requiredFields: ['name'], rule });
    p = setGate(p, 'opt_proposal', { requiredFields: [], rule: undefined });
    expect(p.stages[1]!.gate).toEqual({ requiredFields: [] });
    p = setGate(p, 'opt_proposal', undefined);
    expect(p.stages[1]).not.toHaveProperty('gate');
  });
});

describe('transitions', () => {
  const p = (): PipelineBody => pair().pipeline;

  it('reads the preset as the records service enforces it', () => {
    const m = allowedMoves(p());
    expect([...m.get('initial')!]).toEqual(['proposal', 'won', 'lost']);
    expect([...m.get('proposal')!]).toEqual(['initial', 'won', 'lost']);
    expect([...m.get('won')!]).toEqual(['initial', 'proposal', 'lost']);
    expect([...allowedMoves({ ...p(), transitions: 'any' }).get('initial')!]).toEqual(['proposal', 'won', 'lost']);
  });

  it('turns a preset into the same moves, written out', () => {
    const explicit = setTransitionMode(p(), 'explicit');
    expect(explicit.transitions).toEqual(matrixToList(p().stages, allowedMoves(p())));
    expect(allowedMoves(explicit)).toEqual(allowedMoves(p()));
    expect(setTransitionMode(explicit, 'any').transitions).toBe('any');
  });

  it('toggles one cell and drops rows left empty', () => {
    let x: PipelineBody = { ...p(), transitions: [{ from: 'initial', to: ['proposal'] }] };
    x = toggleTransition(x, 'initial', 'won');
    expect(x.transitions).toEqual([{ from: 'initial', to: ['proposal', 'won'] }]);
    x = toggleTransition(toggleTransition(x, 'initial', 'won'), 'initial', 'proposal');
    expect(x.transitions).toEqual([]);
    expect(toggleTransition(x, 'won', 'won')).toBe(x);
  });

  it('ignores transitions to or from unknown stages when reading the matrix', () => {
    const m = allowedMoves({ ...p(), transitions: [{ from: 'ghost', to: ['won'] }, { from: 'initial', to: ['ghost', 'won'] }] });
    expect(matrixToList(p().stages, m)).toEqual([{ from: 'initial', to: ['won'] }]);
  });
});

it('finds the stage field only when the key names a select', () => {
  expect(stageField(entity(), { field: 'stage' })?.id).toBe('fld_stage');
  expect(stageField(entity(), { field: 'name' })).toBeUndefined();
});
