import { describe, expect, it } from 'vitest';
import type { Step } from '@crm/metadata';
import {
  addBranch, countSteps, findStep, getList, insertStep, moveStep, nextId, removeBranch, removeStep, shiftBranch, takenIds, updateBranch, updateStep,
} from './step-tree.js';

const s = (id: string, more: Partial<Step> = {}): Step => ({ id, kind: 'notify', config: {}, ...more });
/** s1, s2 (branch: b1 [s3, s4], b2 default [s5]), s6 (loop: b3 [s7]) */
const tree = (): Step[] => [
  s('s1'),
  s('s2', { kind: 'branch', branches: [{ id: 'b1', rule: { '==': [1, 1] }, steps: [s('s3'), s('s4')] }, { id: 'b2', steps: [s('s5')] }] }),
  s('s6', { kind: 'loop', branches: [{ id: 'b3', steps: [s('s7')] }] }),
];
/** The tree as ids, branches in brackets: "s1 s2[b1: s3 s4 | b2: s5] s6[b3: s7]". */
const shape = (steps: readonly Step[]): string => steps.map((x) => x.id + (x.branches ? `[${x.branches.map((b) => `${b.id}: ${shape(b.steps)}`).join(' | ')}]` : '')).join(' ');

describe('step tree: finding', () => {
  it('finds a step anywhere, with its list, index and JSON pointer', () => {
    const t = tree();
    expect(findStep(t, 's4')).toMatchObject({ list: { step: 's2', branch: 'b1' }, index: 1, pointer: '/steps/1/branches/0/steps/1' });
    expect(findStep(t, 's7')?.pointer).toBe('/steps/2/branches/0/steps/0');
    expect(findStep(t, 'nope')).toBeUndefined();
    expect(getList(t, { step: 's2', branch: 'b2' })!.map((x) => x.id)).toEqual(['s5']);
    expect(getList(t, { step: 's2', branch: 'zz' })).toBeUndefined();
    expect([...takenIds(t)].sort()).toEqual(['b1', 'b2', 'b3', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    expect(nextId('s', takenIds(t))).toBe('s8');
    expect(countSteps(t)).toBe(7);
  });
});

describe('step tree: insert, delete, update', () => {
  it('inserts at the top, between steps, at the end and into a branch (index clamped)', () => {
    const t = tree();
    expect(shape(insertStep(t, { list: null, index: 0 }, s('n')))).toBe('n s1 s2[b1: s3 s4 | b2: s5] s6[b3: s7]');
    expect(shape(insertStep(t, { list: null, index: 99 }, s('n')))).toBe('s1 s2[b1: s3 s4 | b2: s5] s6[b3: s7] n');
    expect(shape(insertStep(t, { list: { step: 's2', branch: 'b1' }, index: 1 }, s('n')))).toBe('s1 s2[b1: s3 n s4 | b2: s5] s6[b3: s7]');
    expect(shape(insertStep(t, { list: { step: 's6', branch: 'b3' }, index: 0 }, s('n')))).toBe('s1 s2[b1: s3 s4 | b2: s5] s6[b3: n s7]');
    expect(insertStep(t, { list: { step: 's1', branch: 'x' }, index: 0 }, s('n'))).toBe(t);
  });

  it('keeps untouched parts by reference', () => {
    const t = tree();
    const next = insertStep(t, { list: { step: 's2', branch: 'b1' }, index: 0 }, s('n'));
    expect(next[0]).toBe(t[0]);
    expect(next[2]).toBe(t[2]);
    expect(next[1]!.branches![1]).toBe(t[1]!.branches![1]);
    expect(t[1]!.branches![0]!.steps).toHaveLength(2);
  });

  it('deletes a step with its branches, anywhere', () => {
    expect(shape(removeStep(tree(), 's4'))).toBe('s1 s2[b1: s3 | b2: s5] s6[b3: s7]');
    expect(shape(removeStep(tree(), 's2'))).toBe('s1 s6[b3: s7]');
    const t = tree();
    expect(removeStep(t, 'nope')).toBe(t);
  });

  it('updates one step in place', () => {
    const t = updateStep(tree(), 's5', (x) => ({ ...x, config: { title: 'hi' } }));
    expect(findStep(t, 's5')!.step.config).toEqual({ title: 'hi' });
    const same = tree();
    expect(updateStep(same, 'nope', (x) => x)).toBe(same);
  });
});

describe('step tree: moves', () => {
  it('moves a step down and up in its own list (places are read before the move)', () => {
    expect(shape(moveStep(tree(), 's1', { list: null, index: 2 }))).toBe('s2[b1: s3 s4 | b2: s5] s1 s6[b3: s7]');
    expect(shape(moveStep(tree(), 's6', { list: null, index: 0 }))).toBe('s6[b3: s7] s1 s2[b1: s3 s4 | b2: s5]');
    expect(shape(moveStep(tree(), 's3', { list: { step: 's2', branch: 'b1' }, index: 2 }))).toBe('s1 s2[b1: s4 s3 | b2: s5] s6[b3: s7]');
  });

  it('changes nothing when dropped right above or below itself', () => {
    const t = tree();
    expect(moveStep(t, 's1', { list: null, index: 0 })).toBe(t);
    expect(moveStep(t, 's1', { list: null, index: 1 })).toBe(t);
  });

  it('moves a step into a branch, out of one, and across branches, with its own branches', () => {
    expect(shape(moveStep(tree(), 's1', { list: { step: 's2', branch: 'b2' }, index: 0 }))).toBe('s2[b1: s3 s4 | b2: s1 s5] s6[b3: s7]');
    expect(shape(moveStep(tree(), 's4', { list: null, index: 0 }))).toBe('s4 s1 s2[b1: s3 | b2: s5] s6[b3: s7]');
    expect(shape(moveStep(tree(), 's3', { list: { step: 's6', branch: 'b3' }, index: 1 }))).toBe('s1 s2[b1: s4 | b2: s5] s6[b3: s7 s3]');
    expect(shape(moveStep(tree(), 's2', { list: { step: 's6', branch: 'b3' }, index: 0 }))).toBe('s1 s6[b3: s2[b1: s3 s4 | b2: s5] s7]');
  });

  it('never moves a step into its own branches', () => {
    const t = tree();
    expect(moveStep(t, 's2', { list: { step: 's2', branch: 'b1' }, index: 0 })).toBe(t);
    const nested = insertStep(t, { list: { step: 's2', branch: 'b1' }, index: 0 }, s('s9', { kind: 'loop', branches: [{ id: 'b9', steps: [] }] }));
    expect(moveStep(nested, 's2', { list: { step: 's9', branch: 'b9' }, index: 0 })).toBe(nested);
  });
});

describe('step tree: branches', () => {
  it('adds a ruled branch before the default one, a default one last and only once', () => {
    const ruled = addBranch(tree(), 's2', { id: 'bx', rule: { '==': [1, 2] }, steps: [] });
    expect(findStep(ruled, 's2')!.step.branches!.map((b) => b.id)).toEqual(['b1', 'bx', 'b2']);
    const t = tree();
    expect(addBranch(t, 's2', { id: 'bd', steps: [] })).toBe(t);
    const noDefault = removeBranch(t, 's2', 'b2');
    expect(findStep(addBranch(noDefault, 's2', { id: 'bd', steps: [] }), 's2')!.step.branches!.map((b) => b.id)).toEqual(['b1', 'bd']);
    expect(findStep(addBranch(noDefault, 's2', { id: 'bx', rule: {}, steps: [] }), 's2')!.step.branches!.map((b) => b.id)).toEqual(['b1', 'bx']);
  });

  it('removes a branch with its steps, but never the last one', () => {
    expect(shape(removeBranch(tree(), 's2', 'b1'))).toBe('s1 s2[b2: s5] s6[b3: s7]');
    const t = tree();
    expect(removeBranch(t, 's6', 'b3')).toBe(t);
    expect(removeBranch(t, 's2', 'nope')).toBe(t);
  });

  it('reorders ruled branches; the default stays last', () => {
    const three = addBranch(tree(), 's2', { id: 'bx', rule: { '==': [1, 2] }, steps: [] });
    const ids = (t: Step[]) => findStep(t, 's2')!.step.branches!.map((b) => b.id);
    expect(ids(shiftBranch(three, 's2', 'bx', -1))).toEqual(['bx', 'b1', 'b2']);
    expect(ids(shiftBranch(three, 's2', 'b1', 1))).toEqual(['bx', 'b1', 'b2']);
    expect(shiftBranch(three, 's2', 'bx', 1)).toBe(three);
    expect(shiftBranch(three, 's2', 'b2', -1)).toBe(three);
    expect(shiftBranch(three, 's2', 'b1', -1)).toBe(three);
  });

  it('updates a branch (its rule, its label)', () => {
    const t = updateBranch(tree(), 's2', 'b1', (b) => ({ ...b, label: { 'zh-CN': '大单' } }));
    expect(findStep(t, 's2')!.step.branches![0]!.label).toEqual({ 'zh-CN': '大单' });
  });
});
