import { describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { compileList, decodeCursor, encodeCursor, likeLiteral, pinyinLetters, searchPredicate, type SortKey } from './records.js';

const db = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const sort: SortKey[] = [{ column: 'amount', direction: 'desc', kind: 'decimal' }];

describe('compileList', () => {
  it('compiles filter, permission, sort and keyset into one bound query', () => {
    const q = compileList(db, {
      schema: 'ws_1', table: 'deals', columns: ['id', 'amount'], permission: sql`"owner_id" = ${'u1'}`, filter: sql`"region" = ${'east'}`,
      sort, after: ['100.00', '0190a1b2-0000-7000-8000-000000000001'], limit: 51,
    }).compile(db);
    expect(q.sql.replace(/\s+/g, ' ')).toBe(
      'select "id", "amount" from "ws_1"."deals" where "deleted_at" is null and ("owner_id" = $1) and ("region" = $2) and ' +
      '(("amount" < $3::numeric) or ("amount" = $4::numeric and ("id" > $5::uuid or "id" is null))) ' +
      'order by "amount" desc, "id" asc limit $6');
    expect(q.parameters).toEqual(['u1', 'east', '100.00', '100.00', '0190a1b2-0000-7000-8000-000000000001', 51]);
  });

  it('refuses identifiers that are not plain keys', () => {
    expect(() => compileList(db, { schema: 'ws_1', table: 'deals; drop', columns: ['id'], permission: sql`true`, sort: [], limit: 1 })).toThrow(/refusing identifier/);
  });
});

describe('search', () => {
  it('uses the grams index for 1–2 characters and escapes LIKE wildcards', () => {
    const two = searchPredicate(['name'], '销售').compile(db);
    expect(two.sql).toBe('(("name" ilike $1 and crm.search_grams("name") @> array[lower($2::text)]))');
    expect(two.parameters).toEqual(['%销售%', '销售']);
    const long = searchPredicate(['name', 'code'], '100%_x').compile(db);
    expect(long.sql).toBe('("name" ilike $1 or "code" ilike $2)');
    expect(long.parameters[0]).toBe('%100\\%\\_x%');
    expect(likeLiteral('a\\b')).toBe('a\\\\b');
  });

  it('also searches the pinyin column when the query is pinyin letters, with the same index choice', () => {
    const three = searchPredicate(['name'], 'Zhang Wei', 'search_pinyin').compile(db);
    expect(three.sql).toBe('("name" ilike $1 or "search_pinyin" ilike $2)');
    expect(three.parameters).toEqual(['%Zhang Wei%', '%zhangwei%']);
    const two = searchPredicate(['name'], 'zw', 'search_pinyin').compile(db);
    expect(two.sql).toBe('(("name" ilike $1 and crm.search_grams("name") @> array[lower($2::text)]) or ("search_pinyin" ilike $3 and crm.search_grams("search_pinyin") @> array[lower($4::text)]))');
    // Not letters (Chinese, digits, one letter), or no pinyin column: the plain search only.
    for (const q of ['张伟', '138', 'z', "x'", 'a_b']) expect(searchPredicate(['name'], q, 'search_pinyin').compile(db).sql).not.toContain('search_pinyin');
    expect(searchPredicate(['name'], 'zwkj').compile(db).sql).toBe('("name" ilike $1)');
    expect(pinyinLetters("Xi'an")).toBe('xian');
    expect(pinyinLetters(' zhang  wei ')).toBe('zhangwei');
  });
});

describe('cursors', () => {
  it('round-trip and refuse values that do not fit the sort', () => {
    const c = encodeCursor(['12.50', '0190a1b2-0000-7000-8000-000000000001']);
    expect(decodeCursor(c, sort)).toEqual(['12.50', '0190a1b2-0000-7000-8000-000000000001']);
    expect(decodeCursor(encodeCursor(["1; drop table x", '0190a1b2-0000-7000-8000-000000000001']), sort)).toBeUndefined();
    expect(decodeCursor(encodeCursor(['1']), sort)).toBeUndefined();
    expect(decodeCursor('%%%', sort)).toBeUndefined();
  });
});
