import { describe, expect, it } from 'vitest';
import { groupIssues, issuesText, messageIn } from './issues.js';

describe('validator findings', () => {
  it('reads plain messages and per-language ones, falling back to the other language', () => {
    expect(messageIn('对象不存在', 'en')).toBe('对象不存在');
    expect(messageIn({ 'zh-CN': '对象不存在', en: 'No such entity' }, 'en')).toBe('No such entity');
    expect(messageIn({ 'zh-CN': '对象不存在', en: 'No such entity' }, 'zh-CN')).toBe('对象不存在');
    expect(messageIn({ en: 'No such entity' }, 'zh-CN')).toBe('No such entity');
  });

  it('groups server details by document, pointers relative to the body', () => {
    const grouped = groupIssues([{ pointer: '/entity/ent_a/fields/0/key', message: 'x' }, { pointer: '/bad', message: 'y' }], 'layout/l');
    expect(grouped).toEqual({ 'entity/ent_a': [{ pointer: '/fields/0/key', message: 'x' }], 'layout/l': [{ pointer: '/bad', message: 'y' }] });
    expect(issuesText([{ pointer: '', message: 'a' }, { pointer: '', message: 'b' }])).toBe('a；b');
  });
});
