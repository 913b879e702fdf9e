import { describe, expect, it } from 'vitest';
import { boardFilter, columnFilter, columnOf, formatDecimal, gateProblem, moveBody, placeCard, replaceCard, sumFieldOf, type Detail } from './board-model.js';

describe('kanban board model', () => {
  const writable = new Set(['name', 'amount', 'expected_close', 'loss_reason', 'stage']);

  it('asks each column for its key within the board filter', () => {
    const open = { '!': { in: [{ var: 'stage' }, ['won', 'lost']] } };
    expect(boardFilter(undefined, undefined)).toBeUndefined();
    expect(boardFilter(open, undefined)).toBe(open);
    expect(boardFilter(open, { '==': [{ var: 'region' }, 'east'] })).toEqual({ and: [open, { '==': [{ var: 'region' }, 'east'] }] });
    expect(columnFilter('stage', 'proposal', undefined)).toEqual({ '==': [{ var: 'stage' }, 'proposal'] });
    expect(columnFilter('stage', 'proposal', open)).toEqual({ and: [{ '==': [{ var: 'stage' }, 'proposal'] }, open] });
  });

  it('moves a card to the top of its new column and nowhere else', () => {
    const cols = { a: [{ id: '1', v: 1 }, { id: '2' }], b: [{ id: '3' }] };
    const moved = placeCard(cols, { id: '1', v: 2 }, 'b');
    expect(moved).toEqual({ a: [{ id: '2' }], b: [{ id: '1', v: 2 }, { id: '3' }] });
    expect(cols.a).toHaveLength(2); // the old state stays as it was (a failed move restores it)
    expect(columnOf(moved, '1')).toBe('b');
    expect(replaceCard(moved, { id: '3', v: 9 }).b![1]).toEqual({ id: '3', v: 9 });
  });

  it('turns a stage gate refusal into the fields to ask for', () => {
    const gate: Detail[] = [{ pointer: '/stage', code: 'RECORD_STAGE_GATE', message: '进入阶段「方案报价」前需要填写：金额、预计成交日期', params: { stage: 'proposal', missing: ['amount', 'expected_close'] } }];
    expect(gateProblem(422, gate, 'stage', 'proposal', writable)).toEqual({ stage: 'proposal', fields: ['amount', 'expected_close'], rule: false, messages: [gate[0]!.message] });
    // A rule on the gate: nothing to list, the reason is shown.
    const rule: Detail[] = [{ pointer: '/stage', code: 'RECORD_STAGE_GATE_RULE', message: '不满足条件', params: { stage: 'proposal' } }];
    expect(gateProblem(422, rule, 'stage', 'proposal', writable)).toMatchObject({ fields: [], rule: true });
    // A field the move made required (lost needs a loss reason) is asked for like a gate field.
    const lost: Detail[] = [{ pointer: '/loss_reason', code: 'RECORD_REQUIRED', message: '「输单原因」为必填', params: { field: 'loss_reason' } }];
    expect(gateProblem(422, lost, 'stage', 'lost', writable)?.fields).toEqual(['loss_reason']);
  });

  it('does not offer a dialog for what fields cannot fix', () => {
    const transition: Detail[] = [{ pointer: '/stage', code: 'RECORD_STAGE_TRANSITION', message: 'no', params: { from: 'initial', to: 'won' } }];
    expect(gateProblem(422, transition, 'stage', 'won', writable)).toBeUndefined();
    expect(gateProblem(422, [...transition, { pointer: '/stage', code: 'RECORD_STAGE_GATE', message: 'x', params: { missing: ['amount'] } }], 'stage', 'won', writable)).toBeUndefined();
    expect(gateProblem(422, [{ pointer: '/secret', code: 'RECORD_REQUIRED', message: 'x' }], 'stage', 'won', writable)).toBeUndefined();
    expect(gateProblem(403, [], 'stage', 'won', writable)).toBeUndefined();
    expect(gateProblem(409, [], 'stage', 'won', writable)).toBeUndefined();
  });

  it('sends the stage with the filled fields in one body', () => {
    expect(moveBody('stage', 'proposal', { amount: '50000', expected_close: null, note: '' })).toEqual({ amount: '50000', stage: 'proposal' });
  });

  it('adds up the money field the cards show', () => {
    const fields = [{ key: 'name', type: 'text' }, { key: 'budget', type: 'currency' }, { key: 'amount', type: 'currency' }, { key: 'qty', type: 'integer' }];
    expect(sumFieldOf(fields, ['account', 'amount'])).toBe('amount');
    expect(sumFieldOf(fields, [])).toBe('budget');
    expect(sumFieldOf(fields, [], 'qty')).toBe('qty');
    expect(sumFieldOf(fields, [], 'name')).toBe('budget');
    expect(sumFieldOf([{ key: 'name', type: 'text' }], [])).toBeUndefined();
  });

  it('groups decimal strings without floating point', () => {
    expect(formatDecimal('12345678901234.56')).toBe('12,345,678,901,234.56');
    expect(formatDecimal('-1500.00')).toBe('-1,500');
    expect(formatDecimal('100000.25')).toBe('100,000.25');
    expect(formatDecimal('0.50')).toBe('0.5');
    expect(formatDecimal(null)).toBe('—');
    expect(formatDecimal('abc')).toBe('—');
  });
});
