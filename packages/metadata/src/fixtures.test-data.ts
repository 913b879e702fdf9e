import type { MetadataDocument } from './schemas/documents.js';

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/**
 * A small but realistic CRM that must validate with zero issues: accounts,
 * contacts, opportunities with a sales pipeline, quotes and quote lines with
 * rollups and formulas, layouts, views, roles and a manifest. Tests mutate
 * copies of it (every call returns a fresh one).
 */
export function smallCrm(): MetadataDocument[] {
  const stageOptions = [
    { id: 'opt_initial', key: 'initial', label: L('初步接触', 'Initial contact'), active: true, color: '#8c8c8c' },
    { id: 'opt_proposal', key: 'proposal', label: L('方案报价', 'Proposal'), active: true },
    { id: 'opt_negotiation', key: 'negotiation', label: L('商务谈判', 'Negotiation'), active: true },
    { id: 'opt_won', key: 'won', label: L('赢单', 'Won'), active: true },
    { id: 'opt_lost', key: 'lost', label: L('输单', 'Lost'), active: true },
  ];
  return [
    { kind: 'entity', id: 'ent_account', body: {
      id: 'ent_account', key: 'accounts', schemaVersion: 1, label: L('客户', 'Account'), pluralLabel: L('客户', 'Accounts'),
      titleField: 'name', ownership: 'owned', hasActivities: true, icon: 'building',
      fields: [
        { id: 'fld_acc_name', key: 'name', type: 'text', label: L('客户名称', 'Name'), required: true, searchable: true, maxLength: 200 },
        { id: 'fld_acc_code', key: 'credit_code', type: 'text', label: L('统一社会信用代码', 'Credit code'), unique: true },
        { id: 'fld_acc_phone', key: 'phone', type: 'phone', label: L('电话', 'Phone'), searchable: true },
        { id: 'fld_acc_web', key: 'website', type: 'url', label: L('网站', 'Website') },
        { id: 'fld_acc_addr', key: 'address', type: 'address', label: L('地址', 'Address') },
        { id: 'fld_acc_level', key: 'level', type: 'select', label: L('客户等级', 'Level'), indexed: true, defaultValue: 'b', options: [
          { id: 'opt_lv_a', key: 'a', label: L('A 类', 'A'), active: true },
          { id: 'opt_lv_b', key: 'b', label: L('B 类', 'B'), active: true },
          { id: 'opt_lv_c', key: 'c', label: L('C 类（停用）', 'C (retired)'), active: false },
        ] },
        { id: 'fld_acc_tags', key: 'tags', type: 'multiselect', label: L('标签', 'Tags'), options: [
          { id: 'opt_tag_hot', key: 'hot', label: L('重点', 'Key'), active: true },
          { id: 'opt_tag_gov', key: 'government', label: L('政企', 'Government'), active: true },
        ] },
        { id: 'fld_acc_manager', key: 'account_manager', type: 'user', label: L('客户经理', 'Account manager'), indexed: true },
        { id: 'fld_acc_employees', key: 'employees', type: 'integer', label: L('员工人数', 'Employees'), min: 0 },
        { id: 'fld_acc_files', key: 'attachments', type: 'file', label: L('附件', 'Attachments'), maxFiles: 10 },
        { id: 'fld_acc_notes', key: 'notes', type: 'richtext', label: L('备注', 'Notes') },
        { id: 'fld_acc_fax', key: 'fax', type: 'text', label: L('传真', 'Fax'), archived: true },
      ],
      rules: [{ id: 'rul_acc_phone', kind: 'requiredIf', field: 'phone', when: { '==': [{ var: 'level' }, 'a'] } }],
    } },
    { kind: 'entity', id: 'ent_contact', body: {
      id: 'ent_contact', key: 'contacts', schemaVersion: 1, label: L('联系人', 'Contact'), titleField: 'name', ownership: 'owned', hasActivities: true,
      fields: [
        { id: 'fld_ct_name', key: 'name', type: 'text', label: L('姓名', 'Name'), required: true, searchable: true },
        { id: 'fld_ct_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'keep', label: L('客户', 'Account'), required: true },
        { id: 'fld_ct_email', key: 'email', type: 'email', label: L('邮箱', 'Email'), unique: true },
        { id: 'fld_ct_mobile', key: 'mobile', type: 'phone', label: L('手机', 'Mobile'), defaultRegion: 'CN' },
        { id: 'fld_ct_birthday', key: 'birthday', type: 'date', label: L('生日', 'Birthday') },
        { id: 'fld_ct_primary', key: 'is_primary', type: 'boolean', label: L('主要联系人', 'Primary'), defaultValue: false },
      ],
      rules: [{
        id: 'rul_ct_reach', kind: 'validation', assert: { or: [{ '!': { isEmpty: [{ var: 'email' }] } }, { '!': { isEmpty: [{ var: 'mobile' }] } }] },
        message: L('邮箱和手机至少填写一个', 'Give an email or a mobile number'),
      }],
    } },
    { kind: 'entity', id: 'ent_opportunity', body: {
      id: 'ent_opportunity', key: 'opportunities', schemaVersion: 1, label: L('商机', 'Opportunity'), titleField: 'name', ownership: 'owned', hasActivities: true,
      fields: [
        { id: 'fld_opp_name', key: 'name', type: 'text', label: L('商机名称', 'Name'), required: true, searchable: true },
        { id: 'fld_opp_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'restrict', label: L('客户', 'Account'), required: true },
        { id: 'fld_opp_amount', key: 'amount', type: 'currency', scale: 2, currency: 'CNY', label: L('金额', 'Amount'), indexed: true },
        { id: 'fld_opp_stage', key: 'stage', type: 'select', pipeline: 'pl_sales', label: L('阶段', 'Stage'), options: stageOptions, defaultValue: 'initial', indexed: true },
        { id: 'fld_opp_prob', key: 'probability', type: 'percent', label: L('赢率', 'Probability') },
        { id: 'fld_opp_close', key: 'expected_close', type: 'date', label: L('预计成交日期', 'Expected close'), indexed: true },
        { id: 'fld_opp_loss', key: 'loss_reason', type: 'textarea', label: L('输单原因', 'Loss reason') },
        { id: 'fld_opp_weighted', key: 'weighted', type: 'formula', resultType: 'decimal',
          expression: { round: [{ '/': [{ '*': [{ var: 'amount' }, { var: 'probability' }] }, 100] }, 2] }, label: L('加权金额', 'Weighted amount') },
        { id: 'fld_opp_big', key: 'size_label', type: 'formula', resultType: 'text',
          expression: { if: [{ '>=': [{ var: 'amount' }, 1000000] }, '大单', '常规'] }, label: L('规模', 'Size') },
        { id: 'fld_opp_acc_level', key: 'account_level', type: 'lookup', through: 'account', field: 'level', label: L('客户等级', 'Account level') },
      ],
      rules: [
        { id: 'rul_loss', kind: 'requiredIf', field: 'loss_reason', when: { '==': [{ var: 'stage' }, 'lost'] } },
        { id: 'rul_closed_ro', kind: 'readOnlyIf', field: 'amount', when: { in: [{ var: 'stage' }, ['won', 'lost']] } },
        { id: 'rul_amount', kind: 'validation', when: { '!': { isEmpty: [{ var: 'amount' }] } }, assert: { '>=': [{ var: 'amount' }, '0'] },
          message: L('金额不能为负', 'The amount cannot be negative') },
      ],
    } },
    { kind: 'entity', id: 'ent_quote', body: {
      id: 'ent_quote', key: 'quotes', schemaVersion: 1, label: L('报价单', 'Quote'), titleField: 'number', ownership: 'owned',
      fields: [
        { id: 'fld_q_number', key: 'number', type: 'autonumber', pattern: 'QT-{YYYY}{MM}-{0000}', label: L('编号', 'Number') },
        { id: 'fld_q_opp', key: 'opportunity', type: 'relation', target: 'opportunities', onDelete: 'cascade', label: L('商机', 'Opportunity'), required: true },
        { id: 'fld_q_valid', key: 'valid_until', type: 'date', label: L('有效期至', 'Valid until') },
        { id: 'fld_q_subtotal', key: 'subtotal', type: 'rollup', child: 'quote_lines', via: 'quote', aggregate: 'sum', field: 'line_total', resultType: 'decimal', label: L('不含税金额', 'Subtotal') },
        { id: 'fld_q_lines', key: 'line_count', type: 'rollup', child: 'quote_lines', via: 'quote', aggregate: 'count', resultType: 'integer', label: L('行数', 'Lines') },
        { id: 'fld_q_tax_rate', key: 'tax_rate', type: 'percent', label: L('税率', 'Tax rate'), defaultValue: '13.00' },
        { id: 'fld_q_total', key: 'total', type: 'formula', resultType: 'decimal',
          expression: { round: [{ '*': [{ var: 'subtotal' }, { '+': [1, { '/': [{ var: 'tax_rate' }, 100] }] }] }, 2] }, label: L('含税总额', 'Total') },
      ],
      rules: [],
    } },
    { kind: 'entity', id: 'ent_quote_line', body: {
      id: 'ent_quote_line', key: 'quote_lines', schemaVersion: 1, label: L('报价明细', 'Quote line'), titleField: 'product', ownership: 'none', parentField: 'quote',
      fields: [
        { id: 'fld_ql_quote', key: 'quote', type: 'relation', target: 'quotes', onDelete: 'cascade', label: L('报价单', 'Quote'), required: true },
        { id: 'fld_ql_product', key: 'product', type: 'text', label: L('产品', 'Product'), required: true },
        { id: 'fld_ql_qty', key: 'quantity', type: 'integer', label: L('数量', 'Quantity'), min: 1, defaultValue: 1 },
        { id: 'fld_ql_price', key: 'unit_price', type: 'currency', label: L('单价', 'Unit price') },
        { id: 'fld_ql_disc', key: 'discount', type: 'percent', label: L('折扣', 'Discount'), defaultValue: '0' },
        { id: 'fld_ql_total', key: 'line_total', type: 'formula', resultType: 'decimal',
          expression: { round: [{ '*': [{ var: 'quantity' }, { var: 'unit_price' }, { '-': [1, { '/': [{ var: 'discount' }, 100] }] }] }, 2] }, label: L('小计', 'Line total') },
      ],
      rules: [],
    } },
    { kind: 'pipeline', id: 'pl_sales', body: {
      id: 'pl_sales', entity: 'opportunities', field: 'stage', schemaVersion: 1, label: L('销售流程', 'Sales pipeline'), transitions: 'forward-one-or-any-outcome',
      stages: [
        { id: 'opt_initial', key: 'initial', probability: 10 },
        { id: 'opt_proposal', key: 'proposal', probability: 50, gate: { requiredFields: ['amount', 'expected_close'] } },
        { id: 'opt_negotiation', key: 'negotiation', probability: 75, gate: { rule: { '>': [{ var: 'amount' }, '0'] } } },
        { id: 'opt_won', key: 'won', probability: 100, outcome: 'won' },
        { id: 'opt_lost', key: 'lost', probability: 0, outcome: 'lost', gate: { rule: { '!': { isEmpty: [{ var: 'loss_reason' }] } } } },
      ],
    } },
    { kind: 'layout', id: 'lay_opportunity', body: {
      id: 'lay_opportunity', entity: 'opportunities', schemaVersion: 1, label: L('商机表单', 'Opportunity form'),
      tabs: [
        { id: 'tab_main', label: L('基本信息', 'Details'), sections: [
          { id: 'sec_main', columns: 2, items: [
            { kind: 'field', field: 'name', span: 2 }, { kind: 'field', field: 'account' }, { kind: 'field', field: 'amount' },
            { kind: 'field', field: 'stage' }, { kind: 'field', field: 'expected_close' }, { kind: 'field', field: 'weighted' },
            { kind: 'help', text: L('金额含税', 'Amounts include tax') },
          ] },
          { id: 'sec_loss', label: L('输单', 'Loss'), columns: 1, items: [{ kind: 'field', field: 'loss_reason' }] },
        ] },
        { id: 'tab_quotes', label: L('报价', 'Quotes'), sections: [
          { id: 'sec_quotes', columns: 1, items: [{ kind: 'relatedList', entity: 'quotes', field: 'opportunity' }] },
        ] },
      ],
    } },
    { kind: 'layout', id: 'lay_quote', body: {
      id: 'lay_quote', entity: 'quotes', schemaVersion: 1, label: L('报价单表单', 'Quote form'),
      tabs: [{ id: 'tab_main', label: L('基本信息', 'Details'), sections: [
        { id: 'sec_main', columns: 3, items: [
          { kind: 'field', field: 'number' }, { kind: 'field', field: 'opportunity' }, { kind: 'field', field: 'valid_until' },
          { kind: 'field', field: 'subtotal' }, { kind: 'field', field: 'tax_rate' }, { kind: 'field', field: 'total' },
        ] },
        { id: 'sec_lines', columns: 1, items: [{ kind: 'relatedList', entity: 'quote_lines', field: 'quote' }] },
      ] }],
    } },
    { kind: 'view', id: 'vw_opp_board', body: {
      id: 'vw_opp_board', entity: 'opportunities', schemaVersion: 1, label: L('商机看板', 'Opportunity board'), type: 'kanban', groupBy: 'stage',
      columns: ['name', 'account', 'amount', 'expected_close'], sort: [{ field: 'amount', direction: 'desc' }], cardFields: ['account', 'amount'],
      filter: { '!': { in: [{ var: 'stage' }, ['won', 'lost']] } },
    } },
    { kind: 'view', id: 'vw_my_opps', body: {
      id: 'vw_my_opps', entity: 'opportunities', schemaVersion: 1, label: L('我的商机', 'My opportunities'), type: 'list',
      columns: ['name', 'account', 'stage', 'amount'], sort: [{ field: 'expected_close', direction: 'asc' }, { field: 'created_at', direction: 'desc' }],
      filter: { '==': [{ var: 'owner_id' }, { var: '$user.id' }] }, roles: ['sales_rep'],
    } },
    { kind: 'role', id: 'rol_rep', body: {
      id: 'rol_rep', key: 'sales_rep', schemaVersion: 1, label: L('销售代表', 'Sales rep'),
      permissions: {
        accounts: { create: true, read: 'own', update: 'own', delete: 'none' },
        contacts: { create: true, read: 'own', update: 'own', delete: 'own' },
        opportunities: { create: true, read: 'team', update: 'own', delete: 'none' },
        quotes: { create: true, read: 'own', update: 'own', delete: 'own' },
        quote_lines: { create: true, read: 'own', update: 'own', delete: 'own' },
      },
      pool: ['accounts'],
    } },
    { kind: 'role', id: 'rol_manager', body: {
      id: 'rol_manager', key: 'sales_manager', schemaVersion: 1, label: L('销售经理', 'Sales manager'),
      permissions: {
        accounts: { create: true, read: 'teamTree', update: 'teamTree', delete: 'team' },
        opportunities: { create: true, read: 'teamTree', update: 'teamTree', delete: 'team' },
        quotes: { create: true, read: 'teamTree', update: 'teamTree', delete: 'team' },
        quote_lines: { create: true, read: 'teamTree', update: 'teamTree', delete: 'team' },
      },
    } },
    { kind: 'flow', id: 'flw_big_deal', body: {
      id: 'flw_big_deal', schemaVersion: 1, label: L('大单跟进', 'Big deal follow-up'), enabled: true,
      trigger: {
        kind: 'field_changed', entity: 'opportunities', field: 'stage', from: ['initial', null], to: ['proposal', 'negotiation'],
        condition: { '>=': [{ var: 'amount' }, '100000'] },
      },
      steps: [
        { id: 's_moved', kind: 'condition', config: { rule: { '!=': [{ var: 'stage' }, { var: '$previous.stage' }] } } },
        { id: 's_quote', kind: 'create_record', config: {
          entity: 'quotes', values: { opportunity: { var: 'record.id' }, valid_until: { now: { amount: 30, unit: 'days' } }, tax_rate: '13.00' },
        } },
        { id: 's_split', kind: 'branch', config: {}, branches: [
          { id: 'b_huge', label: L('超大单', 'Huge'), rule: { '>=': [{ var: 'amount' }, '1000000'] }, steps: [
            { id: 's_assign', kind: 'assign_owner', config: { strategy: 'round_robin', team: 'key_accounts' } },
            { id: 's_notify', kind: 'notify', config: { to: ['owner_manager', { var: 'record.created_by' }], title: '大单：{{record.name}}（报价 {{ steps.s_quote.id }}）' } },
          ] },
          { id: 'b_other', steps: [
            { id: 's_task', kind: 'create_task', config: { title: '跟进 {{record.name}}', assignee: 'owner', due: { amount: 2, unit: 'days' } } },
          ] },
        ] },
        { id: 's_wait', kind: 'wait_for', config: { rule: { '==': [{ var: 'stage' }, 'won'] }, timeout: { amount: 30, unit: 'days' } } },
        { id: 's_won', kind: 'update_record', config: { values: { probability: '100', loss_reason: null } } },
        { id: 's_quotes', kind: 'loop', config: { entity: 'quotes', field: 'opportunity', max: 50, filter: { '!': { isEmpty: [{ var: 'valid_until' }] } } }, branches: [
          { id: 'b_each', steps: [
            { id: 's_extend', kind: 'update_record', config: { record: { var: 'steps.s_quotes.item' }, entity: 'quotes', values: { valid_until: { now: { amount: 90, unit: 'days' } } } } },
          ] },
        ] },
        { id: 's_mail', kind: 'send_email', config: {
          to: ['owner', { email: 'sales@example.com' }], subject: '赢单：{{record.name}}', body: '金额 {{record.amount}}，报价 {{steps.s_quote.id}}',
        } },
        { id: 's_report', kind: 'call_flow', config: { flow: 'flw_daily' } },
      ],
    } },
    { kind: 'flow', id: 'flw_daily', body: {
      id: 'flw_daily', schemaVersion: 1, label: L('每日推送', 'Daily push'), enabled: false,
      trigger: { kind: 'schedule', cron: '0 9 * * MON-FRI' },
      steps: [
        { id: 's_push', kind: 'http_request', config: {
          method: 'POST', url: 'https://example.com/crm/daily', headers: { 'X-Source': 'crm' }, body: { at: { now: { amount: 0, unit: 'minutes' } } }, sign: true,
        } },
      ],
    } },
    { kind: 'manifest', id: 'small_crm', body: {
      id: 'small_crm', schemaVersion: 1, name: L('小型 CRM', 'Small CRM'), version: '1.2.0',
      description: L('测试用的小型销售 CRM', 'A small sales CRM for tests'), requires: { platform: '>=0.1.0 <2', templates: { base_pack: '^1.0.0' } },
    } },
  ];
}

// Helpers for tests that mutate the fixture.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;

/** The body of the document with this id. */
export const doc = (docs: MetadataDocument[], id: string): Body => {
  const d = docs.find((x) => x.id === id);
  if (!d) throw new Error(`no document ${id}`);
  return d.body as Body;
};

/** The field with this key of the entity document with this id. */
export const field = (docs: MetadataDocument[], entityId: string, key: string): Body => {
  const f = (doc(docs, entityId).fields as Body[]).find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key} in ${entityId}`);
  return f;
};

/** The index of a field in its entity (for expected pointers). */
export const fieldIndex = (docs: MetadataDocument[], entityId: string, key: string): number =>
  (doc(docs, entityId).fields as Body[]).findIndex((x) => x.key === key);
