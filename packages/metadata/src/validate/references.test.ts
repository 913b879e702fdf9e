import { describe, expect, it } from 'vitest';
import { validate } from './index.js';
import { doc, field, smallCrm } from '../fixtures.test-data.js';
import type { MetadataDocument } from '../schemas/documents.js';

const found = (docs: MetadataDocument[]) => validate(docs).map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`);
const mutated = (change: (docs: MetadataDocument[]) => void) => {
  const docs = smallCrm();
  change(docs);
  return found(docs);
};
const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

describe('references between documents', () => {
  it('refuses relations to missing or archived entities, but not from archived fields', () => {
    expect(mutated((d) => { field(d, 'ent_opportunity', 'account').target = 'companies'; })).toEqual(['META_UNKNOWN_ENTITY entity/ent_opportunity/fields/1/target']);
    expect(mutated((d) => { doc(d, 'ent_account').archived = true; })).toEqual(expect.arrayContaining([
      'META_ENTITY_ARCHIVED entity/ent_contact/fields/1/target',
      'META_ENTITY_ARCHIVED entity/ent_opportunity/fields/1/target',
      'META_ENTITY_ARCHIVED role/rol_rep/permissions/accounts',
      'META_ENTITY_ARCHIVED role/rol_rep/pool/0',
    ]));
    expect(mutated((d) => {
      field(d, 'ent_contact', 'account').target = 'companies';
      field(d, 'ent_contact', 'account').archived = true;
      field(d, 'ent_contact', 'account').required = false;
    })).toEqual([]);
  });

  it('wants a title field that exists, is live and can name a record', () => {
    expect(mutated((d) => { doc(d, 'ent_account').titleField = 'title'; })).toEqual(['META_UNKNOWN_FIELD entity/ent_account/titleField']);
    expect(mutated((d) => { doc(d, 'ent_account').titleField = 'fax'; })).toEqual(['META_FIELD_ARCHIVED entity/ent_account/titleField']);
    for (const key of ['tags', 'address', 'attachments', 'notes', 'account_manager']) {
      expect(mutated((d) => { doc(d, 'ent_account').titleField = key; }), key).toEqual(['META_TITLE_FIELD entity/ent_account/titleField']);
    }
    expect(mutated((d) => { doc(d, 'ent_account').titleField = 'credit_code'; })).toEqual([]);
    expect(mutated((d) => { doc(d, 'ent_quote').titleField = 'total'; })).toEqual([]);
  });

  it('wants a parent field that is a relation and parents that never loop', () => {
    expect(mutated((d) => { doc(d, 'ent_quote_line').parentField = 'product'; })).toEqual(['META_FIELD_WRONG_TYPE entity/ent_quote_line/parentField']);
    expect(mutated((d) => { doc(d, 'ent_quote_line').parentField = 'nope'; })).toContain('META_UNKNOWN_FIELD entity/ent_quote_line/parentField');
    const loop = validate((() => {
      const d = smallCrm();
      doc(d, 'ent_quote').parentField = 'opportunity';
      doc(d, 'ent_opportunity').fields.push({ id: 'fld_opp_main_quote', key: 'main_quote', type: 'relation', target: 'quotes', onDelete: 'keep', label: L('主报价', 'Main quote') });
      doc(d, 'ent_opportunity').parentField = 'main_quote';
      return d;
    })());
    expect(loop.filter((i) => i.code === 'META_PARENT_CYCLE').map((i) => [i.id, i.params.path])).toEqual([
      ['ent_opportunity', 'opportunities → quotes → opportunities'],
      ['ent_quote', 'quotes → opportunities → quotes'],
    ]);
  });

  it('checks lookups: a live relation of the entity, then a stored field of its target', () => {
    expect(mutated((d) => { field(d, 'ent_opportunity', 'account_level').field = 'tier'; })).toEqual(['META_UNKNOWN_FIELD entity/ent_opportunity/fields/9/field']);
    expect(mutated((d) => { field(d, 'ent_opportunity', 'account_level').through = 'name'; })).toEqual(['META_FIELD_WRONG_TYPE entity/ent_opportunity/fields/9/through']);
    expect(mutated((d) => { field(d, 'ent_opportunity', 'account_level').field = 'fax'; })).toEqual(['META_FIELD_ARCHIVED entity/ent_opportunity/fields/9/field']);
    expect(mutated((d) => {
      doc(d, 'ent_quote').fields.push({ id: 'fld_q_acc_lvl', key: 'account_level', type: 'lookup', through: 'opportunity', field: 'account_level', label: L('等级', 'Level') });
    })).toEqual(['META_FIELD_WRONG_TYPE entity/ent_quote/fields/7/field']);
  });

  it('checks rollups: the child, its relation back here, a field that adds up, a result that fits', () => {
    expect(mutated((d) => { field(d, 'ent_quote', 'subtotal').child = 'order_lines'; })).toEqual(['META_UNKNOWN_ENTITY entity/ent_quote/fields/3/child']);
    expect(mutated((d) => { field(d, 'ent_quote', 'subtotal').via = 'product'; })).toEqual(['META_RELATION_TARGET entity/ent_quote/fields/3/via']);
    expect(mutated((d) => { field(d, 'ent_quote', 'subtotal').field = 'product'; })).toEqual(['META_ROLLUP_FIELD entity/ent_quote/fields/3/field']);
    expect(mutated((d) => { delete field(d, 'ent_quote', 'subtotal').field; })).toEqual(['META_REQUIRED entity/ent_quote/fields/3/field']);
    expect(mutated((d) => { field(d, 'ent_quote', 'subtotal').resultType = 'integer'; })).toEqual(['META_RESULT_TYPE entity/ent_quote/fields/3/resultType']);
    expect(mutated((d) => { field(d, 'ent_quote', 'line_count').resultType = 'date'; })).toEqual(['META_RESULT_TYPE entity/ent_quote/fields/4/resultType']);
    expect(mutated((d) => { Object.assign(field(d, 'ent_quote', 'subtotal'), { aggregate: 'max', field: 'quantity', resultType: 'integer' }); })).toEqual([]);
  });

  it('checks formulas over the own fields, their result type and their dependency cycles', () => {
    expect(mutated((d) => { field(d, 'ent_opportunity', 'weighted').expression = { '*': [{ var: 'amount' }, { var: 'chance' }] }; }))
      .toEqual(['META_UNKNOWN_FIELD entity/ent_opportunity/fields/7/expression/*/1/var']);
    const cycle = validate((() => {
      const d = smallCrm();
      field(d, 'ent_quote_line', 'line_total').expression = { '*': [{ var: 'quantity' }, { var: 'line_net' }] };
      doc(d, 'ent_quote_line').fields.push({ id: 'fld_ql_net', key: 'line_net', type: 'formula', resultType: 'decimal', expression: { '-': [{ var: 'line_total' }, 1] }, label: L('净额', 'Net') });
      return d;
    })());
    expect(cycle.map((i) => [i.code, i.pointer, i.params.path])).toEqual([
      ['META_FORMULA_CYCLE', '/fields/5/expression', 'line_total → line_net → line_total'],
      ['META_FORMULA_CYCLE', '/fields/6/expression', 'line_net → line_total → line_net'],
    ]);
  });

  it('checks field settings against the type: support, computed fields, defaults', () => {
    expect(mutated((d) => { field(d, 'ent_opportunity', 'loss_reason').unique = true; })).toEqual(['META_SETTING_NOT_SUPPORTED entity/ent_opportunity/fields/6/unique']);
    expect(mutated((d) => { field(d, 'ent_account', 'address').indexed = true; })).toEqual(['META_SETTING_NOT_SUPPORTED entity/ent_account/fields/4/indexed']);
    expect(mutated((d) => { field(d, 'ent_quote', 'total').defaultValue = '0'; })).toEqual(['META_COMPUTED_FIELD entity/ent_quote/fields/6/defaultValue']);
    expect(mutated((d) => { field(d, 'ent_account', 'level').defaultValue = 'c'; })).toEqual(['META_BAD_DEFAULT entity/ent_account/fields/5/defaultValue']);
    expect(mutated((d) => { field(d, 'ent_quote', 'tax_rate').defaultValue = 13; })).toEqual(['META_BAD_DEFAULT entity/ent_quote/fields/5/defaultValue']);
    expect(mutated((d) => { field(d, 'ent_account', 'tags').defaultValue = ['hot', 'cold']; })).toEqual(['META_BAD_DEFAULT entity/ent_account/fields/6/defaultValue']);
    expect(mutated((d) => { field(d, 'ent_account', 'employees').max = -1; })).toEqual(['META_OUT_OF_RANGE entity/ent_account/fields/8/max']);
    expect(mutated((d) => { doc(d, 'ent_opportunity').rules[1].field = 'weighted'; })).toEqual(['META_COMPUTED_FIELD entity/ent_opportunity/rules/1/field']);
  });

  it('checks layouts: entity, fields, spans, related lists, required fields', () => {
    expect(mutated((d) => { doc(d, 'lay_quote').entity = 'offers'; })).toEqual(['META_UNKNOWN_ENTITY layout/lay_quote/entity']);
    expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[0].sections[0].items[0].field = 'nom'; })).toEqual(expect.arrayContaining([
      'META_UNKNOWN_FIELD layout/lay_opportunity/tabs/0/sections/0/items/0/field',
      'META_LAYOUT_MISSING_REQUIRED layout/lay_opportunity/tabs',
    ]));
    expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[0].sections[1].items[0].span = 2; })).toEqual(['META_OUT_OF_RANGE layout/lay_opportunity/tabs/0/sections/1/items/0/span']);
    expect(mutated((d) => { doc(d, 'lay_quote').tabs[0].sections[1].items[0] = { kind: 'relatedList', entity: 'contacts', field: 'account' }; }))
      .toEqual(['META_RELATION_TARGET layout/lay_quote/tabs/0/sections/1/items/0/field']);
    // A required field with a default value need not be on the form.
    expect(mutated((d) => { Object.assign(field(d, 'ent_opportunity', 'probability'), { required: true, defaultValue: '10' }); })).toEqual([]);
  });

  it('checks views: fields, sortable columns, kanban grouping, roles', () => {
    expect(mutated((d) => { doc(d, 'vw_opp_board').columns.push('fax'); })).toEqual(['META_UNKNOWN_FIELD view/vw_opp_board/columns/4']);
    expect(mutated((d) => { field(d, 'ent_opportunity', 'amount').archived = true; })).toEqual(expect.arrayContaining([
      'META_FIELD_ARCHIVED view/vw_opp_board/columns/2',
      'META_FIELD_ARCHIVED view/vw_opp_board/sort/0/field',
      'META_FIELD_ARCHIVED view/vw_opp_board/cardFields/1',
      'META_FIELD_ARCHIVED pipeline/pl_sales/stages/1/gate/requiredFields/0',
    ]));
    expect(mutated((d) => { doc(d, 'vw_my_opps').sort[0].field = 'account_level'; })).toEqual(['META_NOT_SORTABLE view/vw_my_opps/sort/0/field']);
    expect(mutated((d) => { doc(d, 'vw_my_opps').sort[0].field = 'last_activity_at'; })).toEqual([]);
    expect(mutated((d) => { doc(d, 'ent_opportunity').hasActivities = false; })).toEqual([]);
    expect(mutated((d) => {
      doc(d, 'ent_opportunity').hasActivities = false;
      doc(d, 'vw_my_opps').sort[0].field = 'last_activity_at';
    })).toEqual(['META_UNKNOWN_FIELD view/vw_my_opps/sort/0/field']);
    expect(mutated((d) => { delete doc(d, 'vw_opp_board').groupBy; })).toEqual(['META_REQUIRED view/vw_opp_board/groupBy']);
    expect(mutated((d) => { doc(d, 'vw_opp_board').groupBy = 'amount'; })).toEqual(['META_FIELD_WRONG_TYPE view/vw_opp_board/groupBy']);
    expect(mutated((d) => { doc(d, 'vw_my_opps').roles = ['sales_manager', 'ceo']; })).toEqual(['META_UNKNOWN_ROLE view/vw_my_opps/roles/1']);
  });

  it('keeps a pipeline and its select field in step, stage by stage', () => {
    expect(mutated((d) => { doc(d, 'pl_sales').stages[1].id = 'opt_quoted'; })).toEqual(expect.arrayContaining([
      'META_STAGE_NOT_OPTION pipeline/pl_sales/stages/1',
      'META_OPTION_NOT_STAGE pipeline/pl_sales/stages',
    ]));
    // A deactivated option keeps its stage: records may still sit there.
    expect(mutated((d) => { field(d, 'ent_opportunity', 'stage').options[2].active = false; })).toEqual([]);
    expect(mutated((d) => {
      field(d, 'ent_opportunity', 'stage').options.push({ id: 'opt_paused', key: 'paused', label: L('暂停', 'Paused'), active: false });
    })).toEqual(['META_OPTION_NOT_STAGE pipeline/pl_sales/stages']);
    expect(mutated((d) => { doc(d, 'pl_sales').field = 'name'; })).toEqual(expect.arrayContaining(['META_FIELD_WRONG_TYPE pipeline/pl_sales/field', 'META_UNKNOWN_PIPELINE entity/ent_opportunity/fields/3/pipeline']));
    expect(mutated((d) => { doc(d, 'pl_sales').entity = 'deals'; })).toEqual(expect.arrayContaining(['META_UNKNOWN_ENTITY pipeline/pl_sales/entity']));
    expect(mutated((d) => { doc(d, 'pl_sales').stages[1].gate.requiredFields.push('budget'); })).toEqual(['META_UNKNOWN_FIELD pipeline/pl_sales/stages/1/gate/requiredFields/2']);
    expect(mutated((d) => { doc(d, 'pl_sales').stages[3].key = 'proposal'; })).toEqual(expect.arrayContaining(['META_DUPLICATE_KEY pipeline/pl_sales/stages/3/key']));
    expect(mutated((d) => { doc(d, 'pl_sales').transitions = [{ from: 'initiall', to: ['proposal'] }]; })).toEqual(['META_UNKNOWN_STAGE pipeline/pl_sales/transitions/0/from']);
  });

  it('checks roles: live entities, scopes that make sense, pools of owned entities', () => {
    expect(mutated((d) => { doc(d, 'rol_rep').permissions.leads = { create: true, read: 'own', update: 'own', delete: 'none' }; })).toEqual(['META_UNKNOWN_ENTITY role/rol_rep/permissions/leads']);
    expect(mutated((d) => { doc(d, 'rol_manager').permissions.quotes.delete = 'all'; })).toEqual(['META_SCOPE_WIDER_THAN_READ role/rol_manager/permissions/quotes/delete']);
    expect(mutated((d) => { doc(d, 'rol_rep').pool = ['accounts', 'accounts']; })).toEqual(['META_DUPLICATE_ITEM role/rol_rep/pool/1']);
    // Child records without an owner take their scope from the parent.
    expect(mutated((d) => { delete doc(d, 'ent_quote_line').parentField; })).toEqual(expect.arrayContaining([
      'META_SCOPE_NO_OWNER role/rol_rep/permissions/quote_lines/read',
      'META_SCOPE_NO_OWNER role/rol_manager/permissions/quote_lines/read',
    ]));
  });

  it('checks the manifest: semver version and ranges', () => {
    expect(mutated((d) => { doc(d, 'small_crm').requires.platform = 'latest'; })).toEqual(['META_BAD_FORMAT manifest/small_crm/requires/platform']);
    expect(mutated((d) => { doc(d, 'small_crm').requires.templates.base_pack = 'any'; })).toEqual(['META_BAD_FORMAT manifest/small_crm/requires/templates/base_pack']);
  });

  it('marks problems that point into other documents, so a draft may hold them for a while', () => {
    const issues = validate((() => {
      const d = smallCrm();
      field(d, 'ent_opportunity', 'account').target = 'companies';
      field(d, 'ent_opportunity', 'name').key = 'select';
      return d;
    })());
    const flag = (code: string, pointer: string) => issues.find((i) => i.code === code && i.pointer === pointer)?.reference;
    expect(flag('META_UNKNOWN_ENTITY', '/fields/1/target')).toBe(true);
    expect(flag('META_KEY_RESERVED', '/fields/0/key')).toBe(false);
    expect(flag('META_UNKNOWN_FIELD', '/titleField')).toBe(false);
    expect(flag('META_UNKNOWN_FIELD', '/tabs/0/sections/0/items/0/field')).toBe(true);
  });
});
