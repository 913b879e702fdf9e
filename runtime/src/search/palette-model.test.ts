import { describe, expect, it } from 'vitest';
import { flatten, highlight, move, opensPalette, queryOf } from './palette-model.js';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; typing: boolean }> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, typing: false, ...mods });

describe('palette model', () => {
  it('numbers hits across groups in screen order', () => {
    const items = flatten([
      { entity: 'accounts', label: { 'zh-CN': '客户' }, records: [{ id: 'a1', title: '星辰科技' }, { id: 'a2', title: '星辰贸易' }] },
      { entity: 'contacts', label: { 'zh-CN': '联系人' }, records: [{ id: 'c1', title: '陈星辰' }] },
    ]);
    expect(items.map((i) => [i.entity, i.hit.id, i.index])).toEqual([['accounts', 'a1', 0], ['accounts', 'a2', 1], ['contacts', 'c1', 2]]);
    expect(flatten([])).toEqual([]);
  });

  it('moves up and down with wrap-around, starting from nothing active', () => {
    expect(move(-1, 1, 3)).toBe(0);
    expect(move(-1, -1, 3)).toBe(2);
    expect(move(0, 1, 3)).toBe(1);
    expect(move(2, 1, 3)).toBe(0);
    expect(move(0, -1, 3)).toBe(2);
    expect(move(0, 1, 0)).toBe(-1);
  });

  it('cuts a title into plain and matching parts, case-insensitively, every occurrence', () => {
    expect(highlight('上海星辰科技', '星辰')).toEqual([{ text: '上海', match: false }, { text: '星辰', match: true }, { text: '科技', match: false }]);
    expect(highlight('CRM 项目 crm', 'crm')).toEqual([{ text: 'CRM', match: true }, { text: ' 项目 ', match: false }, { text: 'crm', match: true }]);
    expect(highlight('<b>x</b>', 'x')).toEqual([{ text: '<b>', match: false }, { text: 'x', match: true }, { text: '</b>', match: false }]);
    expect(highlight('张伟科技', 'zwkj')).toEqual([{ text: '张伟科技', match: false }]);
    expect(highlight('abc', '  ')).toEqual([{ text: 'abc', match: false }]);
  });

  it('opens on Ctrl+K and Cmd+K anywhere, on "/" only outside text fields', () => {
    expect(opensPalette(key('k', { ctrlKey: true }))).toBe(true);
    expect(opensPalette(key('K', { metaKey: true, typing: true }))).toBe(true);
    expect(opensPalette(key('/'))).toBe(true);
    expect(opensPalette(key('/', { typing: true }))).toBe(false);
    expect(opensPalette(key('k'))).toBe(false);
    expect(opensPalette(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('sends trimmed queries of 1 to 100 characters only', () => {
    expect(queryOf('  星辰 ')).toBe('星辰');
    expect(queryOf('   ')).toBeNull();
    expect(queryOf('星'.repeat(100))).toHaveLength(100);
    expect(queryOf('星'.repeat(101))).toBeNull();
  });
});
