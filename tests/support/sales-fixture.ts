import { createUser, addMember, uuidv7 } from '@crm/server';
import type { TestApp } from './app.js';

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** A compact sales workspace: accounts (with a public pool), contacts, opportunities with a pipeline, quotes with lines. */
export const salesDocuments = () => [
  { kind: 'entity', id: 'ent_account', body: {
    id: 'ent_account', key: 'accounts', schemaVersion: 1, label: L('客户', 'Account'), titleField: 'name', ownership: 'owned', hasActivities: true,
    fields: [
      { id: 'fld_acc_name', key: 'name', type: 'text', label: L('客户名称', 'Name'), required: true, searchable: true },
      { id: 'fld_acc_region', key: 'region', type: 'select', label: L('区域', 'Region'), indexed: true, options: [
        { id: 'opt_east', key: 'east', label: L('华东', 'East'), active: true },
        { id: 'opt_south', key: 'south', label: L('华南', 'South'), active: true },
        { id: 'opt_north', key: 'north', label: L('华北', 'North'), active: false },
      ] },
      { id: 'fld_acc_code', key: 'code', type: 'text', label: L('统一社会信用代码', 'Credit code'), unique: true },
      { id: 'fld_acc_email', key: 'email', type: 'email', label: L('邮箱', 'Email') },
      { id: 'fld_acc_budget', key: 'budget', type: 'currency', label: L('预算', 'Budget') },
      { id: 'fld_acc_addr', key: 'address', type: 'address', label: L('地址', 'Address') },
      { id: 'fld_acc_files', key: 'attachments', type: 'file', label: L('附件', 'Attachments') },
    ],
    rules: [],
  } },
  { kind: 'entity', id: 'ent_activity', body: {
    id: 'ent_activity', key: 'activities', schemaVersion: 1, label: L('活动', 'Activity'), titleField: 'subject', ownership: 'owned', isActivity: true,
    fields: [
      { id: 'fld_act_subject', key: 'subject', type: 'text', label: L('主题', 'Subject'), required: true },
      { id: 'fld_act_kind', key: 'kind', type: 'select', label: L('类型', 'Kind'), options: [
        { id: 'opt_call', key: 'call', label: L('电话', 'Call'), active: true }, { id: 'opt_visit', key: 'visit', label: L('拜访', 'Visit'), active: true },
      ] },
      { id: 'fld_act_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'keep', label: L('客户', 'Account') },
    ],
    rules: [],
  } },
  { kind: 'entity', id: 'ent_contact', body: {
    id: 'ent_contact', key: 'contacts', schemaVersion: 1, label: L('联系人', 'Contact'), titleField: 'name', ownership: 'owned',
    fields: [
      { id: 'fld_ct_name', key: 'name', type: 'text', label: L('姓名', 'Name'), required: true },
      { id: 'fld_ct_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'keep', label: L('客户', 'Account') },
    ],
    rules: [],
  } },
  { kind: 'entity', id: 'ent_opportunity', body: {
    id: 'ent_opportunity', key: 'opportunities', schemaVersion: 1, label: L('商机', 'Opportunity'), titleField: 'name', ownership: 'owned',
    fields: [
      { id: 'fld_opp_name', key: 'name', type: 'text', label: L('商机名称', 'Name'), required: true, searchable: true },
      { id: 'fld_opp_account', key: 'account', type: 'relation', target: 'accounts', onDelete: 'restrict', label: L('客户', 'Account') },
      { id: 'fld_opp_amount', key: 'amount', type: 'currency', label: L('金额', 'Amount'), indexed: true },
      { id: 'fld_opp_stage', key: 'stage', type: 'select', label: L('阶段', 'Stage'), options: [
        { id: 'opt_initial', key: 'initial', label: L('初步接触', 'Initial contact'), active: true },
        { id: 'opt_needs', key: 'needs_confirmed', label: L('需求确认', 'Needs confirmed'), active: true },
        { id: 'opt_proposal', key: 'proposal', label: L('方案报价', 'Proposal'), active: true },
        { id: 'opt_won', key: 'won', label: L('赢单', 'Won'), active: true },
        { id: 'opt_lost', key: 'lost', label: L('输单', 'Lost'), active: true },
      ] },
      { id: 'fld_opp_close', key: 'expected_close', type: 'date', label: L('预计成交日期', 'Expected close') },
      { id: 'fld_opp_loss', key: 'loss_reason', type: 'textarea', label: L('输单原因', 'Loss reason') },
      { id: 'fld_opp_region', key: 'region', type: 'text', label: L('区域', 'Region'), indexed: true },
    ],
    rules: [{ id: 'rul_loss', kind: 'requiredIf', field: 'loss_reason', when: { '==': [{ var: 'stage' }, 'lost'] } }],
  } },
  { kind: 'pipeline', id: 'pl_sales', body: {
    id: 'pl_sales', entity: 'opportunities', field: 'stage', schemaVersion: 1, transitions: 'forward-one-or-any-outcome',
    stages: [
      { id: 'opt_initial', key: 'initial', probability: 10 },
      { id: 'opt_needs', key: 'needs_confirmed', probability: 25 },
      { id: 'opt_proposal', key: 'proposal', probability: 50, gate: { requiredFields: ['amount', 'expected_close'] } },
      { id: 'opt_won', key: 'won', probability: 100, outcome: 'won' },
      { id: 'opt_lost', key: 'lost', probability: 0, outcome: 'lost' },
    ],
  } },
  { kind: 'entity', id: 'ent_quote', body: {
    id: 'ent_quote', key: 'quotes', schemaVersion: 1, label: L('报价单', 'Quote'), titleField: 'number', ownership: 'owned',
    fields: [
      { id: 'fld_q_number', key: 'number', type: 'autonumber', pattern: 'QT-{YYYY}-{0000}', label: L('编号', 'Number') },
      { id: 'fld_q_opp', key: 'opportunity', type: 'relation', target: 'opportunities', onDelete: 'cascade', label: L('商机', 'Opportunity') },
      { id: 'fld_q_total', key: 'total', type: 'rollup', child: 'quote_lines', via: 'quote', aggregate: 'sum', field: 'line_total', resultType: 'decimal', label: L('总额', 'Total') },
      { id: 'fld_q_lines', key: 'line_count', type: 'rollup', child: 'quote_lines', via: 'quote', aggregate: 'count', resultType: 'integer', label: L('行数', 'Lines') },
      { id: 'fld_q_gross', key: 'gross', type: 'formula', resultType: 'decimal', expression: { round: [{ '*': [{ var: 'total' }, 1.13] }, 2] }, label: L('含税总额', 'Gross') },
    ],
    rules: [],
  } },
  { kind: 'entity', id: 'ent_quote_line', body: {
    id: 'ent_quote_line', key: 'quote_lines', schemaVersion: 1, label: L('报价明细', 'Quote line'), titleField: 'product', ownership: 'none', parentField: 'quote',
    fields: [
      { id: 'fld_ql_quote', key: 'quote', type: 'relation', target: 'quotes', onDelete: 'cascade', label: L('报价单', 'Quote'), required: true },
      { id: 'fld_ql_product', key: 'product', type: 'text', label: L('产品', 'Product') },
      { id: 'fld_ql_qty', key: 'quantity', type: 'integer', label: L('数量', 'Quantity') },
      { id: 'fld_ql_price', key: 'unit_price', type: 'currency', label: L('单价', 'Unit price') },
      { id: 'fld_ql_total', key: 'line_total', type: 'formula', resultType: 'decimal', expression: { '*': [{ var: 'quantity' }, { var: 'unit_price' }] }, label: L('小计', 'Line total') },
    ],
    rules: [],
  } },
  { kind: 'role', id: 'rol_rep', body: {
    id: 'rol_rep', key: 'sales_rep', schemaVersion: 1, label: L('销售代表', 'Sales rep'),
    permissions: Object.fromEntries(['accounts', 'activities', 'contacts', 'opportunities', 'quotes', 'quote_lines'].map((e) => [e, { create: true, read: 'own', update: 'own', delete: 'own' }])),
    pool: ['accounts'],
  } },
  { kind: 'role', id: 'rol_manager', body: {
    id: 'rol_manager', key: 'sales_manager', schemaVersion: 1, label: L('销售经理', 'Sales manager'),
    permissions: Object.fromEntries(['accounts', 'activities', 'contacts', 'opportunities', 'quotes', 'quote_lines'].map((e) => [e, { create: true, read: 'team', update: 'team', delete: 'team' }])),
    pool: ['accounts'],
  } },
];

export interface Persona { id: string; cookie: string }
export interface SalesWorld {
  wsId: string;
  repA: Persona; repB: Persona; repC: Persona; managerA: Persona; admin: Persona;
}

/** Publishes the sales documents and creates the personas: reps A and B in team A (manager A), rep C in team C, an admin. */
export async function setUpSales(t: TestApp): Promise<SalesWorld> {
  let rev = 0;
  for (const d of salesDocuments()) {
    const res = await t.app.inject({ method: 'PUT', url: `/api/w/${t.slug}/meta/draft/${d.kind}/${d.id}`, payload: d.body, headers: { cookie: t.cookie, 'if-match': `"${rev}"` } });
    if (res.statusCode !== 200) throw new Error(`draft ${d.id}: ${res.body}`);
    rev = res.json().draftRevision;
  }
  const plan = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/plan`, headers: { cookie: t.cookie } });
  if (plan.statusCode !== 200) throw new Error(`plan: ${plan.body}`);
  const pub = await t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/meta/publish`, payload: { planId: plan.json().planId }, headers: { cookie: t.cookie } });
  if (pub.statusCode !== 200) throw new Error(`publish: ${pub.body}`);

  const db = t.database.db;
  const wsId = (await db.selectFrom('crm.workspaces').select('id').where('slug', '=', t.slug).executeTakeFirstOrThrow()).id as string;
  const teamA = uuidv7();
  const teamC = uuidv7();
  await db.insertInto('crm.teams').values([{ id: teamA, workspace_id: wsId, name: '华东一组' }, { id: teamC, workspace_id: wsId, name: '华南组' }]).execute();
  const persona = async (email: string, name: string, system: 'member' | 'admin', role: string | null, team: string | null, manager = false): Promise<Persona> => {
    const u = await createUser(db, { email, name, password: `${email}-pw` });
    await addMember(db, wsId, u.id, system);
    if (role) await db.insertInto('crm.member_roles').values({ workspace_id: wsId, user_id: u.id, role_key: role }).execute();
    if (team) await db.insertInto('crm.team_members').values({ team_id: team, user_id: u.id, is_manager: manager }).execute();
    return { id: u.id, cookie: await t.login(email, `${email}-pw`) };
  };
  return {
    wsId,
    repA: await persona('rep.a@example.com', '张三', 'member', 'sales_rep', teamA),
    repB: await persona('rep.b@example.com', '李四', 'member', 'sales_rep', teamA),
    repC: await persona('rep.c@example.com', '王五', 'member', 'sales_rep', teamC),
    managerA: await persona('manager.a@example.com', '赵经理', 'member', 'sales_manager', teamA, true),
    admin: await persona('admin@example.com', '管理员', 'admin', null, null),
  };
}
