import { describe, expect, it } from 'vitest';
import { validate } from './index.js';
import { doc, field, smallCrm } from '../fixtures.test-data.js';
import { metadataMessages, type MetadataIssueCode } from '../messages.js';
import type { MetadataDocument } from '../schemas/documents.js';

/**
 * Every metadata issue code, with one change to the clean fixture that
 * produces it and where it must be reported. A code added to the catalogue
 * without an example here fails the type check of this table.
 */
const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
type Change = (docs: MetadataDocument[]) => unknown;
const nest = (depth: number): unknown => (depth === 0 ? { var: 'amount' } : { abs: nest(depth - 1) });
const delays = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s_d${i}`, kind: 'delay', config: { for: { amount: 1, unit: 'hours' } } }));
/** n branch steps, each inside the default branch of the one before. */
const chain = (n: number): unknown[] => (n === 0 ? [] : [{ id: `s_n${n}`, kind: 'branch', config: {}, branches: [{ id: `b_n${n}`, steps: chain(n - 1) }] }]);

const examples: Record<MetadataIssueCode, [Change, string]> = {
  META_NOT_OBJECT: [(d) => { d[0]!.body = [1, 2] as never; }, 'entity/ent_account'],
  META_UNKNOWN_KIND: [(d) => { d.push({ kind: 'widget' as never, id: 'wg_1', body: { id: 'wg_1' } }); }, 'widget/wg_1'],
  META_ID_MISMATCH: [(d) => { doc(d, 'ent_account').id = 'ent_acc'; }, 'entity/ent_account/id'],
  META_SCHEMA_VERSION: [(d) => { doc(d, 'ent_account').schemaVersion = 2; }, 'entity/ent_account/schemaVersion'],
  META_DUPLICATE_DOCUMENT: [(d) => { d.push(structuredClone(d[0]!)); }, 'entity/ent_account/id'],
  META_CHECK_FAILED: [(d) => { d[0]!.body = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } }); }, 'entity/ent_account'],
  META_REQUIRED: [(d) => { delete doc(d, 'ent_account').titleField; }, 'entity/ent_account/titleField'],
  META_UNKNOWN_PROPERTY: [(d) => { doc(d, 'ent_account').colour = 'red'; }, 'entity/ent_account/colour'],
  META_WRONG_TYPE: [(d) => { field(d, 'ent_account', 'name').required = 'yes'; }, 'entity/ent_account/fields/0/required'],
  META_NOT_ALLOWED_VALUE: [(d) => { field(d, 'ent_opportunity', 'account').onDelete = 'explode'; }, 'entity/ent_opportunity/fields/1/onDelete'],
  META_OUT_OF_RANGE: [(d) => { field(d, 'ent_opportunity', 'amount').scale = 9; }, 'entity/ent_opportunity/fields/2/scale'],
  META_TOO_SHORT: [(d) => { doc(d, 'ent_account').label = { 'zh-CN': '' }; }, 'entity/ent_account/label/zh-CN'],
  META_TOO_LONG: [(d) => { doc(d, 'ent_account').icon = 'x'.repeat(61); }, 'entity/ent_account/icon'],
  META_TOO_FEW: [(d) => { doc(d, 'pl_sales').stages.splice(1); }, 'pipeline/pl_sales/stages'],
  META_TOO_MANY: [(d) => { doc(d, 'vw_my_opps').sort = Array.from({ length: 6 }, () => ({ field: 'name', direction: 'asc' })); }, 'view/vw_my_opps/sort'],
  META_BAD_FORMAT: [(d) => { doc(d, 'small_crm').version = '1.0'; }, 'manifest/small_crm/version'],
  META_INVALID: [() => 'not an array', '/'],
  META_UNKNOWN_FIELD_TYPE: [(d) => { field(d, 'ent_account', 'phone').type = 'hologram'; }, 'entity/ent_account/fields/2/type'],
  META_KEY_FORMAT: [(d) => { field(d, 'ent_account', 'phone').key = 'Phone'; }, 'entity/ent_account/fields/2/key'],
  META_KEY_RESERVED: [(d) => { field(d, 'ent_account', 'phone').key = 'select'; }, 'entity/ent_account/fields/2/key'],
  META_KEY_SYSTEM: [(d) => { field(d, 'ent_account', 'phone').key = 'owner_id'; }, 'entity/ent_account/fields/2/key'],
  META_KEY_FORBIDDEN: [(d) => { field(d, 'ent_account', 'phone').key = 'constructor'; }, 'entity/ent_account/fields/2/key'],
  META_DUPLICATE_KEY: [(d) => { field(d, 'ent_account', 'phone').key = 'name'; }, 'entity/ent_account/fields/2/key'],
  META_DUPLICATE_KEY_ARCHIVED: [(d) => { doc(d, 'ent_account').fields.push({ id: 'fld_fax2', key: 'fax', type: 'text', label: L('传真', 'Fax') }); }, 'entity/ent_account/fields/12/key'],
  META_DUPLICATE_COLUMN: [(d) => { doc(d, 'ent_account').fields.push({ id: 'fld_city', key: 'address_city', type: 'text', label: L('城市', 'City') }); }, 'entity/ent_account/fields/12/key'],
  META_DUPLICATE_ID: [(d) => { field(d, 'ent_account', 'phone').id = 'fld_acc_name'; }, 'entity/ent_account/fields/2/id'],
  META_DUPLICATE_OPTION: [(d) => { field(d, 'ent_account', 'level').options[1].key = 'a'; }, 'entity/ent_account/fields/5/options/1/key'],
  META_DUPLICATE_ITEM: [(d) => { doc(d, 'vw_opp_board').columns[1] = 'name'; }, 'view/vw_opp_board/columns/1'],
  META_DUPLICATE_PIPELINE: [(d) => { d.push({ kind: 'pipeline', id: 'pl_sales2', body: { ...structuredClone(doc(d, 'pl_sales')), id: 'pl_sales2' } }); }, 'pipeline/pl_sales2/field'],
  META_UNKNOWN_ENTITY: [(d) => { field(d, 'ent_opportunity', 'account').target = 'companies'; }, 'entity/ent_opportunity/fields/1/target'],
  META_ENTITY_ARCHIVED: [(d) => { doc(d, 'ent_account').archived = true; }, 'entity/ent_opportunity/fields/1/target'],
  META_UNKNOWN_FIELD: [(d) => { doc(d, 'ent_account').titleField = 'title'; }, 'entity/ent_account/titleField'],
  META_FIELD_ARCHIVED: [(d) => { field(d, 'ent_opportunity', 'amount').archived = true; }, 'layout/lay_opportunity/tabs/0/sections/0/items/2/field'],
  META_FIELD_WRONG_TYPE: [(d) => { doc(d, 'vw_opp_board').groupBy = 'amount'; }, 'view/vw_opp_board/groupBy'],
  META_RELATION_TARGET: [(d) => { doc(d, 'lay_quote').tabs[0].sections[1].items[0].field = 'product'; }, 'layout/lay_quote/tabs/0/sections/1/items/0/field'],
  META_TITLE_FIELD: [(d) => { doc(d, 'ent_account').titleField = 'tags'; }, 'entity/ent_account/titleField'],
  META_LAYOUT_MISSING_REQUIRED: [(d) => { field(d, 'ent_opportunity', 'probability').required = true; }, 'layout/lay_opportunity/tabs'],
  META_NOT_SORTABLE: [(d) => { doc(d, 'vw_my_opps').sort[0].field = 'account'; }, 'view/vw_my_opps/sort/0/field'],
  META_PARENT_CYCLE: [(d) => {
    doc(d, 'ent_quote_line').fields.push({ id: 'fld_ql_parent', key: 'parent_line', type: 'relation', target: 'quote_lines', onDelete: 'cascade', label: L('上级', 'Parent') });
    doc(d, 'ent_quote_line').parentField = 'parent_line';
  }, 'entity/ent_quote_line/parentField'],
  META_UNKNOWN_OPTION: [(d) => {
    doc(d, 'ent_opportunity').conversion = {
      account: { name: 'name' }, contact: { name: 'name' },
      status: { field: 'stage', converted: 'converted', closed: [] }, links: { account: 'account', contact: 'account' },
    };
  }, 'entity/ent_opportunity/conversion/status/converted'],
  META_UNKNOWN_ROLE: [(d) => { doc(d, 'vw_my_opps').roles = ['sales_boss']; }, 'view/vw_my_opps/roles/0'],
  META_UNKNOWN_PIPELINE: [(d) => { field(d, 'ent_opportunity', 'stage').pipeline = 'pl_other'; }, 'entity/ent_opportunity/fields/3/pipeline'],
  META_SETTING_NOT_SUPPORTED: [(d) => { field(d, 'ent_account', 'tags').unique = true; }, 'entity/ent_account/fields/6/unique'],
  META_COMPUTED_FIELD: [(d) => { field(d, 'ent_opportunity', 'weighted').required = true; }, 'entity/ent_opportunity/fields/7/required'],
  META_BAD_DEFAULT: [(d) => { field(d, 'ent_account', 'level').defaultValue = 'z'; }, 'entity/ent_account/fields/5/defaultValue'],
  META_STAGE_NOT_OPTION: [(d) => { doc(d, 'pl_sales').stages[1].key = 'quoted'; }, 'pipeline/pl_sales/stages/1'],
  META_OPTION_NOT_STAGE: [(d) => { doc(d, 'pl_sales').stages.splice(2, 1); }, 'pipeline/pl_sales/stages'],
  META_UNKNOWN_STAGE: [(d) => { doc(d, 'pl_sales').transitions = [{ from: 'initial', to: ['closing'] }]; }, 'pipeline/pl_sales/transitions/0/to/0'],
  META_FORMULA_SYNTAX: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = { '+': [1], '-': [2] }; }, 'entity/ent_opportunity/fields/7/expression'],
  META_FORMULA_OPERATOR: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = { method: ['amount', 'toFixed'] }; }, 'entity/ent_opportunity/fields/7/expression/method'],
  META_FORMULA_ARITY: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = { '/': [1] }; }, 'entity/ent_opportunity/fields/7/expression/~1'],
  META_FORMULA_TYPE: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = { '*': [{ var: 'amount' }, 'x'] }; }, 'entity/ent_opportunity/fields/7/expression/*/1'],
  META_FORMULA_FIELD: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = { '*': [{ var: 'account_level' }, 1] }; }, 'entity/ent_opportunity/fields/7/expression/*/0/var'],
  META_FORMULA_CYCLE: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = { '+': [{ var: 'weighted' }, 1] }; }, 'entity/ent_opportunity/fields/7/expression'],
  META_FORMULA_TOO_DEEP: [(d) => { field(d, 'ent_opportunity', 'weighted').expression = nest(25); }, `entity/ent_opportunity/fields/7/expression${'/abs'.repeat(21)}`],
  META_FORMULA_TOO_LARGE: [(d) => { field(d, 'ent_opportunity', 'size_label').expression = { concat: ['x'.repeat(17_000)] }; }, 'entity/ent_opportunity/fields/8/expression'],
  META_RESULT_TYPE: [(d) => { field(d, 'ent_opportunity', 'size_label').resultType = 'integer'; }, 'entity/ent_opportunity/fields/8/resultType'],
  META_ROLLUP_FIELD: [(d) => { field(d, 'ent_quote', 'subtotal').field = 'product'; }, 'entity/ent_quote/fields/3/field'],
  META_SCOPE_WIDER_THAN_READ: [(d) => { doc(d, 'rol_rep').permissions.accounts.update = 'all'; }, 'role/rol_rep/permissions/accounts/update'],
  META_SCOPE_NO_OWNER: [(d) => { delete doc(d, 'ent_quote_line').parentField; }, 'role/rol_rep/permissions/quote_lines/read'],
  META_POOL_NOT_OWNED: [(d) => { doc(d, 'rol_rep').pool = ['quote_lines']; }, 'role/rol_rep/pool/0'],
  META_FLOW_TOO_MANY_STEPS: [(d) => { doc(d, 'flw_big_deal').steps[2].branches[1].steps = delays(190); }, 'flow/flw_big_deal/steps'],
  META_FLOW_TOO_DEEP: [(d) => { doc(d, 'flw_big_deal').steps[2].branches[1].steps = chain(8); }, `flow/flw_big_deal/steps/2/branches/1/steps/0${'/branches/0/steps/0'.repeat(7)}/branches`],
  META_FLOW_BRANCHES_NOT_ALLOWED: [(d) => { doc(d, 'flw_big_deal').steps[0].branches = [{ id: 'b_x', steps: [] }]; }, 'flow/flw_big_deal/steps/0/branches'],
  META_FLOW_DEFAULT_BRANCH: [(d) => { doc(d, 'flw_big_deal').steps[2].branches.reverse(); }, 'flow/flw_big_deal/steps/2/branches/0'],
  META_FLOW_LOOP_BODY: [(d) => { doc(d, 'flw_big_deal').steps[5].branches[0].rule = { isEmpty: [{ var: 'name' }] }; }, 'flow/flw_big_deal/steps/5/branches/0/rule'],
  META_FLOW_CRON: [(d) => { doc(d, 'flw_daily').trigger.cron = '0 25 * * *'; }, 'flow/flw_daily/trigger/cron'],
  META_FLOW_FIELD_NOT_WRITABLE: [(d) => { doc(d, 'flw_big_deal').steps[4].config.values.weighted = '1'; }, 'flow/flw_big_deal/steps/4/config/values/weighted'],
  META_FLOW_UNKNOWN_VAR: [(d) => { doc(d, 'flw_big_deal').steps[6].config.subject = '赢单：{{name}}'; }, 'flow/flw_big_deal/steps/6/config/subject'],
  META_FLOW_UNKNOWN_STEP: [(d) => { doc(d, 'flw_big_deal').steps[6].config.body = '{{steps.s_offer.id}}'; }, 'flow/flw_big_deal/steps/6/config/body'],
  META_FLOW_STEP_NOT_BEFORE: [(d) => { doc(d, 'flw_big_deal').steps[1].config.values.tax_rate = { var: 'steps.s_won.rate' }; }, 'flow/flw_big_deal/steps/1/config/values/tax_rate/var'],
  META_FLOW_NO_RECORD: [(d) => { doc(d, 'flw_daily').steps[0].config.url = 'https://example.com/{{record.id}}'; }, 'flow/flw_daily/steps/0/config/url'],
  META_FLOW_NOT_OWNED: [(d) => { doc(d, 'ent_opportunity').ownership = 'none'; }, 'flow/flw_big_deal/steps/2/branches/0/steps/0'],
  META_FLOW_UNKNOWN_FLOW: [(d) => { doc(d, 'flw_big_deal').steps[7].config.flow = 'flw_weekly'; }, 'flow/flw_big_deal/steps/7/config/flow'],
  META_FLOW_CALLS_ITSELF: [(d) => { doc(d, 'flw_big_deal').steps[7].config.flow = 'flw_big_deal'; }, 'flow/flw_big_deal/steps/7/config/flow'],
};

describe('every metadata issue code', () => {
  it.each(Object.entries(examples))('%s is reported where the problem is', (code, [change, where]) => {
    const docs = smallCrm();
    const replaced = change(docs);
    const issues = validate((replaced ?? docs) as MetadataDocument[]);
    const found = issues.filter((i) => i.code === code).map((i) => `${i.kind}/${i.id}${i.pointer}`);
    expect(found, JSON.stringify(issues.map((i) => `${i.code} ${i.kind}/${i.id}${i.pointer}`))).toContain(where);
    for (const i of issues) {
      expect(i.message['zh-CN'], i.code).not.toMatch(/\{\w+\}/);
      expect(i.message.en, i.code).not.toMatch(/\{\w+\}/);
    }
  });

  it('has an example for every code in the catalogue, and a message in both languages', () => {
    expect(Object.keys(examples).sort()).toEqual(Object.keys(metadataMessages).sort());
    for (const [code, m] of Object.entries(metadataMessages)) {
      expect(m['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en, code).toMatch(/^[\x20-\x7e…]+$/);
    }
  });
});
