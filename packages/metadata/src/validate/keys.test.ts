import { describe, expect, it } from 'vitest';
import { validate } from './index.js';
import { doc, field, smallCrm } from '../fixtures.test-data.js';
import { PG_RESERVED, SYSTEM_COLUMNS } from '../reserved.js';
import type { MetadataDocument } from '../schemas/documents.js';

const found = (docs: MetadataDocument[]) => validate(docs).map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`);
const mutated = (change: (docs: MetadataDocument[]) => void) => {
  const docs = smallCrm();
  change(docs);
  return found(docs);
};
const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
/** Renames a field nothing else refers to. */
const phoneKey = (key: string) => mutated((d) => { field(d, 'ent_account', 'employees').key = key; });

describe('keys', () => {
  it.each([
    ['nаme', 'Cyrillic а'], ['ｎame', 'full-width ｎ'], ['naмe', 'Cyrillic м'], ['name\u200b', 'zero-width space'], ['客户', 'Chinese'],
    ['Name', 'capital'], ['1st', 'leading digit'], ['_name', 'leading underscore'], ['__proto__', '__proto__'], ['a'.repeat(41), '41 characters'],
    ['first-name', 'hyphen'], ['', 'empty'], ['name\n', 'trailing newline'],
  ])('refuses the key %j (%s) as not plain ASCII', (key) => {
    expect(phoneKey(key)).toContain('META_KEY_FORMAT entity/ent_account/fields/8/key');
  });

  it('accepts a key of 40 characters', () => {
    expect(phoneKey('a'.repeat(40))).toEqual([]);
  });

  it('refuses every PostgreSQL reserved word, for fields, entities and roles', () => {
    expect(PG_RESERVED.size).toBe(78);
    for (const word of PG_RESERVED) expect(phoneKey(word), word).toContain('META_KEY_RESERVED entity/ent_account/fields/8/key');
    expect(mutated((d) => { doc(d, 'ent_account').key = 'user'; })).toContain('META_KEY_RESERVED entity/ent_account/key');
    expect(mutated((d) => { doc(d, 'rol_rep').key = 'table'; })).toContain('META_KEY_RESERVED role/rol_rep/key');
  });

  it('accepts words PostgreSQL does not reserve', () => {
    for (const word of ['headcount', 'type', 'status', 'grade', 'value', 'left', 'join', 'year', 'comment']) expect(phoneKey(word), word).toEqual([]);
  });

  it('refuses system column names as field keys, but not as entity keys', () => {
    for (const col of SYSTEM_COLUMNS) expect(phoneKey(col), col).toContain('META_KEY_SYSTEM entity/ent_account/fields/8/key');
    expect(mutated((d) => { doc(d, 'ent_account').key = 'version'; })).not.toContain('META_KEY_SYSTEM entity/ent_account/key');
  });

  it('refuses names that reach JavaScript object internals', () => {
    expect(phoneKey('constructor')).toContain('META_KEY_FORBIDDEN entity/ent_account/fields/8/key');
    expect(phoneKey('prototype')).toContain('META_KEY_FORBIDDEN entity/ent_account/fields/8/key');
    expect(mutated((d) => { field(d, 'ent_account', 'level').options[0].key = 'constructor'; })).toContain('META_KEY_FORBIDDEN entity/ent_account/fields/5/options/0/key');
  });
});

describe('duplicates', () => {
  it('refuses field keys used twice, archived fields included', () => {
    expect(mutated((d) => { field(d, 'ent_account', 'phone').key = 'name'; })).toContain('META_DUPLICATE_KEY entity/ent_account/fields/2/key');
    const archived = validate((() => {
      const d = smallCrm();
      doc(d, 'ent_account').fields.push({ id: 'fld_fax2', key: 'fax', type: 'text', label: L('传真', 'Fax') });
      return d;
    })());
    expect(archived).toEqual([expect.objectContaining({ code: 'META_DUPLICATE_KEY_ARCHIVED', pointer: '/fields/12/key', params: { key: 'fax', other: 'fld_acc_fax' } })]);
  });

  it('refuses physical column collisions after expansion, whichever field comes first', () => {
    const city = { id: 'fld_city', key: 'address_city', type: 'text', label: L('城市', 'City') };
    expect(mutated((d) => { doc(d, 'ent_account').fields.push(city); })).toEqual(['META_DUPLICATE_COLUMN entity/ent_account/fields/12/key']);
    expect(mutated((d) => { doc(d, 'ent_account').fields.unshift(city); })).toEqual(['META_DUPLICATE_COLUMN entity/ent_account/fields/5/key']);
    // An archived field keeps its columns.
    expect(mutated((d) => {
      field(d, 'ent_account', 'address').archived = true;
      doc(d, 'ent_account').fields.push(city);
    })).toEqual(['META_DUPLICATE_COLUMN entity/ent_account/fields/12/key']);
    // Two address fields whose parts do not meet are fine.
    expect(mutated((d) => { doc(d, 'ent_account').fields.push({ id: 'fld_ship', key: 'shipping', type: 'address', label: L('收货地址', 'Shipping') }); })).toEqual([]);
  });

  it('refuses entity keys and role keys used twice in the workspace', () => {
    expect(mutated((d) => { doc(d, 'ent_quote').key = 'accounts'; })).toContain('META_DUPLICATE_KEY entity/ent_quote/key');
    expect(mutated((d) => { doc(d, 'rol_manager').key = 'sales_rep'; })).toContain('META_DUPLICATE_KEY role/rol_manager/key');
  });

  it('refuses a document id used twice within a kind, but not across kinds', () => {
    expect(mutated((d) => { d.push(structuredClone(d.find((x) => x.id === 'vw_my_opps')!)); })).toEqual(['META_DUPLICATE_DOCUMENT view/vw_my_opps/id']);
    expect(mutated((d) => {
      const v = d.find((x) => x.id === 'vw_my_opps')!;
      v.id = 'lay_quote';
      v.body.id = 'lay_quote';
    })).toEqual([]);
  });

  it('refuses element ids used twice in a document: fields, options, rules, tabs, sections, stages', () => {
    expect(mutated((d) => { field(d, 'ent_account', 'phone').id = 'fld_acc_name'; })).toContain('META_DUPLICATE_ID entity/ent_account/fields/2/id');
    expect(mutated((d) => { field(d, 'ent_account', 'tags').options[0].id = 'opt_lv_a'; })).toContain('META_DUPLICATE_ID entity/ent_account/fields/6/options/0/id');
    expect(mutated((d) => { doc(d, 'ent_opportunity').rules[1].id = 'rul_loss'; })).toContain('META_DUPLICATE_ID entity/ent_opportunity/rules/1/id');
    expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[1].id = 'tab_main'; })).toContain('META_DUPLICATE_ID layout/lay_opportunity/tabs/1/id');
    expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[1].sections[0].id = 'sec_main'; })).toContain('META_DUPLICATE_ID layout/lay_opportunity/tabs/1/sections/0/id');
  });

  it('refuses option keys used twice in a field, and the same field twice on a layout or in a view', () => {
    expect(mutated((d) => { field(d, 'ent_account', 'level').options[1].key = 'a'; })).toContain('META_DUPLICATE_OPTION entity/ent_account/fields/5/options/1/key');
    expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[0].sections[1].items.push({ kind: 'field', field: 'name' }); }))
      .toContain('META_DUPLICATE_ITEM layout/lay_opportunity/tabs/0/sections/1/items/1/field');
    expect(mutated((d) => { doc(d, 'vw_my_opps').sort.push({ field: 'expected_close', direction: 'desc' }); })).toContain('META_DUPLICATE_ITEM view/vw_my_opps/sort/2/field');
  });
});
