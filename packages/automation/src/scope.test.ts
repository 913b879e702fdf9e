import { describe, expect, it } from 'vitest';
import { placeholders, render, resolve, type Scope } from './scope.js';

const scope: Scope = {
  record: { name: '张伟科技', amount: '5000', tags: ['a', 'b'], account: { id: 'a1', title: '远航物流' } },
  previous: { stage: 'initial' }, trigger: { email: 'x@example.com' }, steps: { s1: { id: 'r9' } }, userId: 'u1', now: new Date('2026-11-23T02:00:00Z'),
};

describe('values and templates', () => {
  it('reads only the documented variables, never code', () => {
    expect(resolve({ var: 'record.name' }, scope)).toBe('张伟科技');
    expect(resolve({ var: 'previous.stage' }, scope)).toBe('initial');
    expect(resolve({ var: 'trigger.email' }, scope)).toBe('x@example.com');
    expect(resolve({ var: 'steps.s1.id' }, scope)).toBe('r9');
    expect(resolve({ var: '$user.id' }, scope)).toBe('u1');
    expect(resolve({ var: 'record.__proto__' }, scope)).toBeNull();
    expect(resolve({ var: 'record.constructor' }, scope)).toBeNull();
    expect(resolve({ now: { amount: 3, unit: 'days' } }, scope)).toBe('2026-11-26T02:00:00.000Z');
    expect(resolve('literal', scope)).toBe('literal');
  });

  it('fills placeholders as text, escaping them in HTML, and leaves template syntax it does not know as it is', () => {
    expect(render('跟进 {{record.name}}（{{record.account}}）{{ record.tags }}', scope)).toBe('跟进 张伟科技（远航物流）a、b');
    expect(render('<p>{{record.name}}</p>', { ...scope, record: { name: '<img src=x onerror=alert(1)>' } }, { html: true })).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(render('{{constructor.constructor("return 1")()}} {{record.missing}}!', scope)).toBe('{{constructor.constructor("return 1")()}} !');
    expect(placeholders('{{record.a}} and {{steps.s1.id}}')).toEqual(['record.a', 'steps.s1.id']);
  });
});
