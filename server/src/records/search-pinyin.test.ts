import { describe, expect, it } from 'vitest';
import { pinyinColumn, pinyinSources, pinyinText } from './search-pinyin.js';

describe('search pinyin', () => {
  it('writes initials and full pinyin of each value with Chinese, lower-case, letters and digits only', () => {
    expect(pinyinText(['张伟科技'])).toBe('zwkj zhangweikeji');
    expect(pinyinText(['星辰科技（苏州）有限公司'])).toBe('xckjszyxgs xingchenkejisuzhouyouxiangongsi');
    expect(pinyinText(['张伟', 'ACME Ltd', '绿色 2 号'])).toBe('zw zhangwei ls2h lvse2hao');
    expect(pinyinText(['ACME', null, 42, ''])).toBeNull();
    expect(pinyinText([])).toBeNull();
  });

  it('reads polyphones in context', () => {
    expect(pinyinText(['重庆银行'])).toBe('cqyh chongqingyinhang');
    expect(pinyinText(['长沙'])).toBe('cs changsha');
  });

  it('feeds the column from live searchable text fields only', () => {
    expect(pinyinSources([
      { key: 'name', type: 'text', searchable: true },
      { key: 'phone', type: 'phone', searchable: true },
      { key: 'notes', type: 'textarea', searchable: true },
      { key: 'old', type: 'text', searchable: true, archived: true },
      { key: 'code', type: 'text' },
      { key: 'company', type: 'text', searchable: true },
    ])).toEqual(['name', 'company']);
  });

  it('sets the column on a write only when a source changes, from the whole record after it', () => {
    expect(pinyinColumn([], { name: '张伟' })).toEqual({});
    expect(pinyinColumn(['name'], { name: '张伟' })).toEqual({ search_pinyin: 'zw zhangwei' });
    expect(pinyinColumn(['name', 'company'], { name: '张伟', company: '星辰' }, ['company'])).toEqual({ search_pinyin: 'zw zhangwei xc xingchen' });
    expect(pinyinColumn(['name', 'company'], { name: '张伟', industry: 'it' }, ['industry'])).toEqual({});
    expect(pinyinColumn(['name'], { name: 'ACME' }, ['name'])).toEqual({ search_pinyin: null });
  });
});
