import { describe, expect, it } from 'vitest';
import { validate, validateDocument } from './index.js';
import { smallCrm } from '../fixtures.test-data.js';
import { metadataMessages } from '../messages.js';
import type { MetadataDocument } from '../schemas/documents.js';

type Body = Record<string, any>;
const doc = (docs: MetadataDocument[], id: string) => docs.find((d) => d.id === id)!.body as Body;
const field = (docs: MetadataDocument[], entity: string, key: string) => doc(docs, entity).fields.find((f: Body) => f.key === key);
const found = (docs: MetadataDocument[]) => validate(docs).map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`);

function mutated(change: (docs: MetadataDocument[]) => void) {
  const docs = structuredClone(smallCrm());
  change(docs);
  return found(docs);
}

describe('validate', () => {
  it('finds nothing wrong with a realistic CRM', () => {
    expect(validate(smallCrm())).toEqual([]);
  });

  it('gives every issue a pointer and a message in both languages', () => {
    const issues = validate(structuredClone(smallCrm()).map((d) => (d.id === 'ent_account' ? { ...d, body: { ...d.body, key: 'select', titleField: 'nope' } } : d)));
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) {
      expect(i.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(i.message.en).not.toMatch(/\{\w+\}/);
    }
  });

  describe('structure', () => {
    it('reports missing, unknown and mistyped properties', () => {
      const issues = mutated((d) => {
        delete doc(d, 'ent_account').titleField;
        doc(d, 'ent_account').colour = 'red';
        doc(d, 'ent_account').fields[0].required = 'yes';
      });
      expect(issues).toEqual(expect.arrayContaining([
        'META_REQUIRED entity/ent_account/titleField',
        'META_UNKNOWN_PROPERTY entity/ent_account/colour',
        'META_WRONG_TYPE entity/ent_account/fields/0/required',
      ]));
    });

    it('checks each field against its own type, naming the right setting', () => {
      const issues = mutated((d) => {
        field(d, 'ent_opportunity', 'amount').scale = 9;
        field(d, 'ent_opportunity', 'account').onDelete = 'explode';
        field(d, 'ent_opportunity', 'name').options = [];
      });
      expect(issues).toEqual(expect.arrayContaining([
        'META_OUT_OF_RANGE entity/ent_opportunity/fields/2/scale',
        'META_NOT_ALLOWED_VALUE entity/ent_opportunity/fields/1/onDelete',
        'META_UNKNOWN_PROPERTY entity/ent_opportunity/fields/0/options',
      ]));
    });

    it('refuses an unknown field type and a non-object document', () => {
      expect(mutated((d) => { field(d, 'ent_account', 'phone').type = 'hologram'; })).toContain('META_NOT_ALLOWED_VALUE entity/ent_account/fields/1/type');
      expect(validateDocument('entity', [1, 2]).map((i) => i.code)).toEqual(['META_NOT_OBJECT']);
    });

    it('checks formats: autonumber pattern, semver, colours', () => {
      const issues = mutated((d) => {
        field(d, 'ent_quote', 'number').pattern = 'QT-{YYYY}';
        doc(d, 'default_crm').version = '1.0';
      });
      expect(issues).toEqual(expect.arrayContaining(['META_BAD_FORMAT entity/ent_quote/fields/0/pattern', 'META_BAD_FORMAT manifest/default_crm/version']));
    });
  });

  describe('keys', () => {
    it.each([
      ['select', 'META_KEY_RESERVED'],
      ['user', 'META_KEY_RESERVED'],
      ['owner_id', 'META_KEY_SYSTEM'],
      ['deleted_at', 'META_KEY_SYSTEM'],
      ['constructor', 'META_KEY_FORBIDDEN'],
      ['__proto__', 'META_KEY_FORMAT'],
      ['nаme', 'META_KEY_FORMAT'], // Cyrillic а
      ['ｎame', 'META_KEY_FORMAT'], // full-width n
      ['Name', 'META_KEY_FORMAT'],
      ['客户', 'META_KEY_FORMAT'],
      ['a'.repeat(41), 'META_KEY_FORMAT'],
      ['1st', 'META_KEY_FORMAT'],
    ])('refuses the field key %j with %s', (key, code) => {
      expect(mutated((d) => { field(d, 'ent_account', 'phone').key = key; })).toContain(`${code} entity/ent_account/fields/1/key`);
    });

    it('refuses duplicate keys, archived fields included', () => {
      expect(mutated((d) => { field(d, 'ent_account', 'phone').key = 'name'; })).toContain('META_DUPLICATE_KEY entity/ent_account/fields/1/key');
      expect(mutated((d) => {
        field(d, 'ent_account', 'phone').archived = true;
        doc(d, 'ent_account').fields.push({ id: 'fld_new_phone', key: 'phone', type: 'text', label: { en: 'Phone 2' } });
      })).toContain('META_DUPLICATE_KEY entity/ent_account/fields/5/key');
    });

    it('refuses a field whose column collides with an address part', () => {
      expect(mutated((d) => {
        doc(d, 'ent_account').fields.push({ id: 'fld_city', key: 'address_city', type: 'text', label: { en: 'City' } });
      })).toContain('META_DUPLICATE_COLUMN entity/ent_account/fields/5/key');
    });

    it('refuses duplicate entity keys, element ids and option keys', () => {
      expect(mutated((d) => { doc(d, 'ent_quote').key = 'accounts'; })).toContain('META_DUPLICATE_KEY entity/ent_quote/key');
      expect(mutated((d) => { field(d, 'ent_account', 'phone').id = 'fld_acc_name'; })).toContain('META_DUPLICATE_ID entity/ent_account/fields/1/id');
      expect(mutated((d) => { field(d, 'ent_account', 'level').options[1].key = 'a'; })).toContain('META_DUPLICATE_OPTION entity/ent_account/fields/3/options/1/key');
      expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[0].sections[1].id = 'sec_main'; })).toContain('META_DUPLICATE_ID layout/lay_opportunity/tabs/0/sections/1/id');
    });

    it('refuses reserved entity and role keys', () => {
      expect(mutated((d) => { doc(d, 'rol_rep').key = 'table'; })).toContain('META_KEY_RESERVED role/rol_rep/key');
    });
  });

  describe('references', () => {
    it('refuses a relation to a missing or archived entity', () => {
      expect(mutated((d) => { field(d, 'ent_opportunity', 'account').target = 'companies'; })).toContain('META_UNKNOWN_ENTITY entity/ent_opportunity/fields/1/target');
      expect(mutated((d) => { doc(d, 'ent_account').archived = true; })).toContain('META_ENTITY_ARCHIVED entity/ent_opportunity/fields/1/target');
    });

    it('refuses a title field that does not exist', () => {
      expect(mutated((d) => { doc(d, 'ent_account').titleField = 'title'; })).toContain('META_UNKNOWN_FIELD entity/ent_account/titleField');
    });

    it('refuses layouts and views naming missing or archived fields', () => {
      expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[0].sections[0].items[0].field = 'nom'; })).toContain('META_UNKNOWN_FIELD layout/lay_opportunity/tabs/0/sections/0/items/0/field');
      expect(mutated((d) => { field(d, 'ent_opportunity', 'amount').archived = true; })).toEqual(expect.arrayContaining([
        'META_FIELD_ARCHIVED layout/lay_opportunity/tabs/0/sections/0/items/2/field',
        'META_FIELD_ARCHIVED view/vw_open_opps/columns/2',
        'META_FIELD_ARCHIVED view/vw_open_opps/sort/0/field',
        'META_FIELD_ARCHIVED pipeline/pl_sales/stages/1/gate/requiredFields/0',
      ]));
      expect(mutated((d) => { doc(d, 'vw_open_opps').groupBy = 'amount'; })).toContain('META_FIELD_WRONG_TYPE view/vw_open_opps/groupBy');
      expect(mutated((d) => { doc(d, 'lay_opportunity').tabs[0].sections[1].items[0].field = 'number'; })).toContain('META_FIELD_WRONG_TYPE layout/lay_opportunity/tabs/0/sections/1/items/0/field');
    });

    it('keeps pipeline stages and select options in step', () => {
      expect(mutated((d) => { doc(d, 'pl_sales').stages[1].key = 'quoted'; })).toEqual(expect.arrayContaining([
        'META_STAGE_NOT_OPTION pipeline/pl_sales/stages/1',
        'META_OPTION_NOT_STAGE pipeline/pl_sales/stages',
      ]));
      expect(mutated((d) => { doc(d, 'pl_sales').transitions = [{ from: 'initial', to: ['closing'] }]; })).toContain('META_UNKNOWN_STAGE pipeline/pl_sales/transitions/0/to/0');
      expect(mutated((d) => { doc(d, 'pl_sales').field = 'name'; })).toContain('META_FIELD_WRONG_TYPE pipeline/pl_sales/field');
    });

    it('checks roles, lookups, rollups, formulas and parent fields', () => {
      expect(mutated((d) => { doc(d, 'rol_rep').permissions.leads = { create: true, read: 'own', update: 'own', delete: 'none' }; })).toContain('META_UNKNOWN_ENTITY role/rol_rep/permissions/leads');
      expect(mutated((d) => { field(d, 'ent_opportunity', 'account_level').field = 'tier'; })).toContain('META_UNKNOWN_FIELD entity/ent_opportunity/fields/7/field');
      expect(mutated((d) => { field(d, 'ent_quote', 'total').via = 'product'; })).toContain('META_FIELD_WRONG_TYPE entity/ent_quote/fields/2/via');
      expect(mutated((d) => { field(d, 'ent_quote', 'total').field = 'product'; })).toContain('META_ROLLUP_FIELD entity/ent_quote/fields/2/field');
      expect(mutated((d) => { field(d, 'ent_opportunity', 'weighted').expression = { '*': [{ var: 'amount' }, { var: 'probability' }] }; })).toContain('META_UNKNOWN_FIELD entity/ent_opportunity/fields/6/expression/*/1/var');
      expect(mutated((d) => { field(d, 'ent_opportunity', 'weighted').expression = { method: ['amount', 'toFixed'] }; })).toContain('META_FORMULA_OPERATOR entity/ent_opportunity/fields/6/expression/method');
      expect(mutated((d) => { doc(d, 'ent_quote_line').parentField = 'product'; })).toContain('META_FIELD_WRONG_TYPE entity/ent_quote_line/parentField');
    });
  });

  describe('rules inside documents', () => {
    it('checks entity rules, view filters and gate rules against the entity fields', () => {
      const issues = mutated((d) => {
        doc(d, 'ent_opportunity').rules[0].when = { '==': [{ var: 'stagee' }, 'lost'] };
        doc(d, 'vw_open_opps').filter = { method: [{ var: 'name' }, 'constructor'] };
        doc(d, 'pl_sales').stages[3].gate.rule = { '==': [{ var: 'stage' }, 'abandoned'] };
        doc(d, 'ent_opportunity').rules[1].assert = { '>=': [{ var: 'name' }, 3] };
      });
      expect(issues).toEqual(expect.arrayContaining([
        'RULE_UNKNOWN_VAR entity/ent_opportunity/rules/0/when/==/0/var',
        'RULE_UNKNOWN_OPERATOR view/vw_open_opps/filter/method',
        'RULE_UNKNOWN_OPTION pipeline/pl_sales/stages/3/gate/rule/==/1',
        'RULE_OPERATOR_NOT_FOR_TYPE entity/ent_opportunity/rules/1/assert/>=',
      ]));
    });

    it('does not let rules read archived fields', () => {
      expect(mutated((d) => { field(d, 'ent_account', 'level').archived = true; })).toContain('RULE_UNKNOWN_VAR entity/ent_account/rules/0/when/==/0/var');
    });
  });

  it('has a message for every metadata code in both languages', () => {
    for (const m of Object.values(metadataMessages)) {
      expect(m['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en.length).toBeGreaterThan(3);
    }
  });
});
