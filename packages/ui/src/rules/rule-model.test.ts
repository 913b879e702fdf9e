import { describe, expect, it } from 'vitest';
import { builderOps, fromLogic, toLogic, updateAt, type GroupNode } from './rule-model.js';

const roundTrip = (x: unknown) => toLogic(fromLogic(x));

describe('rule builder <-> condition language', () => {
  it.each([
    ['equality', { '==': [{ var: 'stage' }, 'lost'] }],
    ['and of comparisons', { and: [{ '>=': [{ var: 'amount' }, '100000'] }, { '!=': [{ var: 'stage' }, 'won'] }] }],
    ['or with a nested and', { or: [{ in: [{ var: 'level' }, ['a', 'b']] }, { and: [{ isEmpty: [{ var: 'phone' }] }, { startsWith: [{ var: 'name' }, '张'] }] }] }],
    ['negations the builder names', { and: [{ '!': { isEmpty: [{ var: 'email' }] } }, { '!': { in: [{ var: 'level' }, ['c']] } }, { '!': { contains: [{ var: 'tags' }, 'vip'] } }] }],
    ['relative dates and the current user', { and: [{ '<': [{ var: 'expected_close' }, { daysFromNow: 30 }] }, { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }] }],
    ['a negated group', { '!': { or: [{ '==': [{ var: 'a' }, 1] }, { '==': [{ var: 'b' }, true] }] } }],
  ])('%s survives a round trip unchanged', (_name, rule) => {
    expect(roundTrip(rule)).toEqual(rule);
  });

  it('keeps what it cannot show as rows verbatim', () => {
    const odd = { '==': [{ daysAgo: 3 }, { var: 'due' }] };
    const tree = fromLogic({ and: [odd, { '!': { '==': [{ var: 'a' }, 1] } }] });
    expect(tree.children.map((c) => c.type)).toEqual(['raw', 'raw']);
    expect(toLogic(tree)).toEqual({ and: [odd, { '!': { '==': [{ var: 'a' }, 1] } }] });
  });

  it('reads the rows it shows', () => {
    const tree = fromLogic({ and: [{ '!': { isEmpty: [{ var: 'email' }] } }, { '>': [{ var: 'created_at' }, { daysAgo: 7 }] }] });
    expect(tree.children).toEqual([
      { type: 'cond', field: 'email', op: 'notEmpty' },
      { type: 'cond', field: 'created_at', op: '>', operand: { kind: 'daysAgo', days: 7 } },
    ]);
  });

  it('an empty builder is no rule, and a single row needs no and', () => {
    expect(toLogic(fromLogic(undefined))).toBeUndefined();
    const one: GroupNode = { type: 'group', combinator: 'and', children: [{ type: 'cond', field: 'a', op: '==', operand: { kind: 'value', value: 1 } }] };
    expect(toLogic(one)).toEqual({ '==': [{ var: 'a' }, 1] });
  });

  it('edits by path: change a nested row, remove a row', () => {
    const tree = fromLogic({ or: [{ '==': [{ var: 'a' }, 1] }, { and: [{ '==': [{ var: 'b' }, 2] }, { '==': [{ var: 'c' }, 3] }] }] });
    const changed = updateAt(tree, [1, 0], (n) => (n.type === 'cond' ? { ...n, operand: { kind: 'value', value: 20 } } : n));
    expect(toLogic(changed)).toEqual({ or: [{ '==': [{ var: 'a' }, 1] }, { and: [{ '==': [{ var: 'b' }, 20] }, { '==': [{ var: 'c' }, 3] }] }] });
    // One child left: the group is that child.
    expect(toLogic(updateAt(tree, [0], () => null))).toEqual({ and: [{ '==': [{ var: 'b' }, 2] }, { '==': [{ var: 'c' }, 3] }] });
    expect(tree.children.length).toBe(2);
  });

  it('offers negated forms next to the operators a field type allows', () => {
    expect(builderOps(['==', 'in', 'isEmpty'])).toEqual(['==', 'in', 'notIn', 'isEmpty', 'notEmpty']);
  });
});
