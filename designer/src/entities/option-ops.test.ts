import { describe, expect, it } from 'vitest';
import { addOption, moveOption, optionKeyFor, removeOption } from './option-ops.js';

const opts = [
  { id: 'o1', key: 'high', label: { 'zh-CN': '高' }, active: true },
  { id: 'o2', key: 'low', label: { 'zh-CN': '低' }, active: true },
];

describe('select options', () => {
  it('adds with a free key, reorders by id, keeps ids', () => {
    const added = addOption([...opts, { id: 'o3', key: 'option_3', label: {} }], 'zh-CN');
    expect(added.at(-1)!.key).toBe('option_4');
    expect(moveOption(opts, 'o2', 'o1').map((o) => o.id)).toEqual(['o2', 'o1']);
  });

  it('deactivates a published option instead of deleting it', () => {
    expect(removeOption(opts, 'o1', true)).toEqual([{ ...opts[0], active: false }, opts[1]]);
    expect(removeOption(opts, 'o1', false).map((o) => o.id)).toEqual(['o2']);
  });

  it('proposes a pinyin key from a Chinese label', () => {
    expect(optionKeyFor('重点客户', opts[0]!)).toBe('zhong_dian_ke_hu');
    expect(optionKeyFor('  ', opts[0]!)).toBe('high');
  });
});
