import type { MetadataDocument } from './schemas/documents.js';

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** A small but realistic CRM: it must validate with zero issues. Tests mutate copies of it. */
export function smallCrm(): MetadataDocument[] {
  const stageOptions = [
    { id: 'opt_initial', key: 'initial', label: L('初步接触', 'Initial contact'), active: true },
    { id: 'opt_proposal', key: 'proposal', label: L('方案报价', 'Proposal'), active: true },
    { id: 'opt_won', key: 'won', label: L('赢单', 'Won'), active: true },
    { id: 'opt_lost', key: 'lost', label: L('输单', 'Lost'), active: true },
  ];
  return [
    { kind: 'entity', id: 'ent_account', body: {
      id: 'ent_account', key: 'accounts', schemaVersion: 1, label: L('客户', 'Account'), titleField: 'name', ownership: 'owned', hasActivities: true,
      fields: [
        { id: 'fld_acc_name', key: 'name', type: 'text', label: L('客户名称', 'Name'), required: true, searchable: true },
        { id: 'fld_acc_phone', key: 'phone', type: 'phone', label: L('电话', 'Phone') },
        { id: 'fld_acc_addr', key: 'address', type: 'address', label: L('地址', 'Address') },
        { id: 'fld_acc_level', key: 'level', type: 'select', label: L('等级', 'Level'), options: [
          { id: 'opt_lv_a', key: 'a', label: L('A', 'A'), active: true }, { id: 'opt_lv_b', key: 'b', label: L('B', 'B'), active: true },
        ] },
        { id: 'fld_acc_tags', key: 'tags', type: 'multiselect', label: L('标签', 'Tags'), options: [{ id: 'opt_tag_hot', key: 'hot', label: L('热', 'Hot'), active: true }] },
      ],
      rules: [{ id: 'rul_acc_phone', kind: 'requiredIf', field: 'phone', when: { '==': [{ var: 'level' }, 'a'] } }],
    } },
    { kind: 'entity', id: 'ent_opportunity', body: {
      id: 'ent_opportunity', key: 'opportunities', schemaVersion: 1, label: L('商机', 'Opportunity'), titleField: 'name', ownership: 'owned',
      fields: [
        { id: 'fld_opp_name', key: 'name', type: 'text', label: L('商机名称', 'Name'), required: true },
        { id: 'fld_opp_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'restrict', label: L('客户', 'Account') },
        { id: 'fld_opp_amount', key: 'amount', type: 'currency', scale: 2, label: L('金额', 'Amount') },
        { id: 'fld_opp_stage', key: 'stage', type: 'select', pipeline: 'pl_sales', label: L('阶段', 'Stage'), options: stageOptions },
        { id: 'fld_opp_close', key: 'expected_close', type: 'date', label: L('预计成交日期', 'Expected close') },
        { id: 'fld_opp_loss', key: 'loss_reason', type: 'textarea', label: L('输单原因', 'Loss reason') },
        { id: 'fld_opp_weighted', key: 'weighted', type: 'formula', resultType: 'decimal', expression: { '*': [{ var: 'amount' }, 0.5] }, label: L('加权金额', 'Weighted') },
        { id: 'fld_opp_owner_name', key: 'account_level', type: 'lookup', through: 'account', field: 'level', label: L('客户等级', 'Account level') },
      ],
      rules: [
        { id: 'rul_loss', kind: 'requiredIf', field: 'loss_reason', when: { '==': [{ var: 'stage' }, 'lost'] } },
        { id: 'rul_amount', kind: 'validation', assert: { '>=': [{ var: 'amount' }, '0'] }, message: L('金额不能为负', 'Amount cannot be negative') },
      ],
    } },
    { kind: 'entity', id: 'ent_quote', body: {
      id: 'ent_quote', key: 'quotes', schemaVersion: 1, label: L('报价单', 'Quote'), titleField: 'number', ownership: 'owned',
      fields: [
        { id: 'fld_q_number', key: 'number', type: 'autonumber', pattern: 'QT-{YYYY}-{0000}', label: L('编号', 'Number') },
        { id: 'fld_q_opp', key: 'opportunity', type: 'relation', target: 'opportunities', onDelete: 'cascade', label: L('商机', 'Opportunity') },
        { id: 'fld_q_total', key: 'total', type: 'rollup', child: 'quote_lines', via: 'quote', aggregate: 'sum', field: 'line_total', resultType: 'decimal', label: L('总额', 'Total') },
      ],
      rules: [],
    } },
    { kind: 'entity', id: 'ent_quote_line', body: {
      id: 'ent_quote_line', key: 'quote_lines', schemaVersion: 1, label: L('报价明细', 'Quote line'), titleField: 'product', ownership: 'none', parentField: 'quote',
      fields: [
        { id: 'fld_ql_quote', key: 'quote', type: 'relation', target: 'quotes', onDelete: 'cascade', label: L('报价单', 'Quote') },
        { id: 'fld_ql_product', key: 'product', type: 'text', label: L('产品', 'Product') },
        { id: 'fld_ql_qty', key: 'quantity', type: 'integer', label: L('数量', 'Quantity') },
        { id: 'fld_ql_price', key: 'unit_price', type: 'currency', label: L('单价', 'Unit price') },
        { id: 'fld_ql_disc', key: 'discount', type: 'percent', label: L('折扣', 'Discount') },
        { id: 'fld_ql_total', key: 'line_total', type: 'formula', resultType: 'decimal', expression: { '*': [{ var: 'quantity' }, { var: 'unit_price' }] }, label: L('小计', 'Line total') },
      ],
      rules: [],
    } },
    { kind: 'pipeline', id: 'pl_sales', body: {
      id: 'pl_sales', entity: 'opportunities', field: 'stage', schemaVersion: 1, transitions: 'forward-one-or-any-outcome',
      stages: [
        { id: 'opt_initial', key: 'initial', probability: 10 },
        { id: 'opt_proposal', key: 'proposal', probability: 50, gate: { requiredFields: ['amount', 'expected_close'] } },
        { id: 'opt_won', key: 'won', probability: 100, outcome: 'won' },
        { id: 'opt_lost', key: 'lost', probability: 0, outcome: 'lost', gate: { rule: { '!': { isEmpty: [{ var: 'loss_reason' }] } } } },
      ],
    } },
    { kind: 'layout', id: 'lay_opportunity', body: {
      id: 'lay_opportunity', entity: 'opportunities', schemaVersion: 1, label: L('商机表单', 'Opportunity form'),
      tabs: [{ id: 'tab_main', label: L('基本信息', 'Details'), sections: [
        { id: 'sec_main', columns: 2, items: [{ kind: 'field', field: 'name' }, { kind: 'field', field: 'account' }, { kind: 'field', field: 'amount' }, { kind: 'help', text: L('金额含税', 'Amount includes tax') }] },
        { id: 'sec_quotes', columns: 1, items: [{ kind: 'relatedList', entity: 'quotes', field: 'opportunity' }] },
      ] }],
    } },
    { kind: 'view', id: 'vw_open_opps', body: {
      id: 'vw_open_opps', entity: 'opportunities', schemaVersion: 1, label: L('进行中的商机', 'Open opportunities'), type: 'kanban', groupBy: 'stage',
      columns: ['name', 'account', 'amount'], sort: [{ field: 'amount', direction: 'desc' }], cardFields: ['amount'],
      filter: { '!': { in: [{ var: 'stage' }, ['won', 'lost']] } },
    } },
    { kind: 'role', id: 'rol_rep', body: {
      id: 'rol_rep', key: 'sales_rep', schemaVersion: 1, label: L('销售代表', 'Sales rep'),
      permissions: { accounts: { create: true, read: 'own', update: 'own', delete: 'none' }, opportunities: { create: true, read: 'team', update: 'own', delete: 'none' } },
      pool: ['accounts'],
    } },
    { kind: 'manifest', id: 'default_crm', body: { id: 'default_crm', schemaVersion: 1, name: L('默认 CRM', 'Default CRM'), version: '1.0.0', requires: { platform: '>=0.1.0' } } },
  ];
}
