import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { parseSearchParams, rankGroups, subtitleOf } from './query.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'none';
};

describe('global search query', () => {
  it('trims q, counts characters not bytes, defaults the limit to 5', () => {
    expect(parseSearchParams({ q: '  星辰  ' })).toEqual({ q: '星辰', limit: 5 });
    expect(parseSearchParams({ q: '星'.repeat(100), limit: '20' })).toEqual({ q: '星'.repeat(100), limit: 20 });
    expect(parseSearchParams({ q: 'x', limit: '1' }).limit).toBe(1);
  });

  it('refuses empty, blank, too long or NUL queries, limits outside 1..20 and other parameters', () => {
    for (const q of [undefined, '', '   ', '星'.repeat(101), 'a\u0000b', ['a', 'b']]) expect(code(() => parseSearchParams({ q })), String(q)).toBe('CRM_ERR_SEARCH_QUERY');
    for (const limit of ['0', '21', 'x', '1.5', '-1', '', '0001']) expect(code(() => parseSearchParams({ q: 'a', limit })), limit).toBe('CRM_ERR_BAD_REQUEST');
    expect(code(() => parseSearchParams({ q: 'a', entity: 'accounts' }))).toBe('CRM_ERR_BAD_REQUEST');
  });

  it('shows under a title the searchable value that matched, else the first other one', () => {
    expect(subtitleOf({ name: '赵磊', company: '星辰科技', phone: '138' }, '赵磊', '星辰')).toBe('星辰科技');
    expect(subtitleOf({ name: '星辰科技', phone: '021-1' }, '星辰科技', '星辰')).toBe('021-1');
    expect(subtitleOf({ name: '星辰科技', phone: null }, '星辰科技', '星辰')).toBeUndefined();
    expect(subtitleOf({ name: 'ACME', code: 'acme-01' }, 'ACME', 'ACME')).toBe('acme-01');
  });

  it('orders groups: exact title match, then leads, accounts, contacts, opportunities, then metadata order', () => {
    const g = (entity: string, position: number, exact = false) => ({ entity, position, exact });
    const ranked = rankGroups([g('tasks', 0), g('products', 1), g('opportunities', 2), g('accounts', 3), g('leads', 4), g('contacts', 5, true)]);
    expect(ranked.map((x) => x.entity)).toEqual(['contacts', 'leads', 'accounts', 'opportunities', 'tasks', 'products']);
  });
});
