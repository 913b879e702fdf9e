import type { Kysely } from 'kysely';
import type { Clock } from '../infra/clock.js';
import { uuidv7 } from '../infra/ids.js';
import type { WorkspaceContext } from '../context.js';
import type { RecordsService } from '../records/service.js';
import { createUser } from '../users/service.js';
import { addMember } from '../workspaces/service.js';

/**
 * Demo data for the default CRM: a deterministic sales organisation (a
 * director, two managers, four reps in two teams covering 华东 / 华南 / 华北)
 * and a few hundred customers, leads and opportunities with six months of
 * activities. Written through the records service like any other data.
 */
export const DEMO_PASSWORD = 'demo1234';

export interface DemoLogin { email: string; name: string; role: string }

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const CITIES = { east: ['上海', '杭州', '苏州', '南京', '宁波', '合肥'], south: ['广州', '深圳', '厦门', '东莞', '佛山', '福州'], north: ['北京', '天津', '青岛', '济南', '石家庄', '大连'] } as const;
const PROVINCE: Record<string, string> = { 上海: '上海市', 杭州: '浙江省', 苏州: '江苏省', 南京: '江苏省', 宁波: '浙江省', 合肥: '安徽省', 广州: '广东省', 深圳: '广东省', 厦门: '福建省', 东莞: '广东省', 佛山: '广东省', 福州: '福建省', 北京: '北京市', 天津: '天津市', 青岛: '山东省', 济南: '山东省', 石家庄: '河北省', 大连: '辽宁省' };
const WORDS = ['星辰', '华信', '远景', '恒通', '博远', '锦程', '鼎盛', '瑞丰', '天泽', '中科', '海纳', '卓越', '东方', '明德', '安泰', '联创', '同创', '嘉禾', '启明', '新元'];
const TRADES = [['科技', 'it'], ['智能制造', 'manufacturing'], ['贸易', 'retail'], ['医疗器械', 'healthcare'], ['教育科技', 'education'], ['新能源', 'energy'], ['金融服务', 'finance'], ['精密机械', 'manufacturing']] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '涛', '明', '超', '霞', '平', '刚', '桂英', '建华', '晓东', '海燕', '志强', '丽娟'];
const TITLES = ['总经理', '采购经理', 'IT 总监', '财务总监', '运营经理', '技术负责人', '副总裁', '行政主管'];
const SOURCES = ['website', 'referral', 'exhibition', 'cold_call', 'advertising', 'partner'];

export async function seedDemo(deps: { db: Kysely<any>; records: RecordsService; clock: Clock }, ws: WorkspaceContext, ownerId: string): Promise<DemoLogin[]> {
  // The demo company is history, not new work: automations do not act on the records written here (nobody is
  // assigned a seeded pool lead, no welcome mail goes to a seeded address). They act on everything after.
  const captures = await deps.db.selectFrom('crm.automation_captures').selectAll().where('workspace_id', '=', ws.id).execute();
  await deps.db.deleteFrom('crm.automation_captures').where('workspace_id', '=', ws.id).execute();
  try {
    return await seed(deps, ws, ownerId);
  } finally {
    if (captures.length) await deps.db.insertInto('crm.automation_captures').values(captures).onConflict((oc) => oc.doNothing()).execute();
  }
}

async function seed(deps: { db: Kysely<any>; records: RecordsService; clock: Clock }, ws: WorkspaceContext, ownerId: string): Promise<DemoLogin[]> {
  const r = rng(20261123);
  const { db, records, clock } = deps;
  const now = clock.now().getTime();
  const day = 86_400_000;
  const caller = { ws, userId: ownerId };

  // People and teams.
  const people: { key: string; email: string; name: string; role: string; region: 'east' | 'south' | 'north' | null; team: 'east' | 'south' | null; manager?: boolean }[] = [
    { key: 'director', email: 'director@demo.example', name: '陈总监', role: 'sales_director', region: null, team: null },
    { key: 'mgr_east', email: 'manager.east@demo.example', name: '刘经理（华东）', role: 'sales_manager', region: 'east', team: 'east', manager: true },
    { key: 'mgr_south', email: 'manager.south@demo.example', name: '黄经理（华南）', role: 'sales_manager', region: 'south', team: 'south', manager: true },
    { key: 'rep1', email: 'rep1@demo.example', name: '张伟', role: 'sales_rep', region: 'east', team: 'east' },
    { key: 'rep2', email: 'rep2@demo.example', name: '李娜', role: 'sales_rep', region: 'north', team: 'east' },
    { key: 'rep3', email: 'rep3@demo.example', name: '王磊', role: 'sales_rep', region: 'south', team: 'south' },
    { key: 'rep4', email: 'rep4@demo.example', name: '赵敏', role: 'sales_rep', region: 'south', team: 'south' },
  ];
  const ids: Record<string, string> = {};
  for (const p of people) {
    const u = await createUser(db, { email: p.email, name: p.name, password: DEMO_PASSWORD });
    ids[p.key] = u.id;
    await addMember(db, ws.id, u.id, 'member');
    await db.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: u.id, role_key: p.role }).execute();
  }
  const center = uuidv7();
  const teams = { east: uuidv7(), south: uuidv7() };
  await db.insertInto('crm.teams').values([
    { id: center, workspace_id: ws.id, name: '销售中心', attributes: JSON.stringify({ regions: '华东,华南,华北' }) },
    { id: teams.east, workspace_id: ws.id, parent_id: center, name: '华东销售部', attributes: JSON.stringify({ regions: '华东,华北' }) },
    { id: teams.south, workspace_id: ws.id, parent_id: center, name: '华南销售部', attributes: JSON.stringify({ regions: '华南' }) },
  ]).execute();
  await db.insertInto('crm.team_members').values([
    { team_id: center, user_id: ids.director!, is_manager: true },
    ...people.filter((p) => p.team).map((p) => ({ team_id: teams[p.team!], user_id: ids[p.key]!, is_manager: !!p.manager })),
  ]).execute();
  const reps = people.filter((p) => p.role === 'sales_rep');
  const repFor = (region: string) => r.pick(reps.filter((p) => p.region === region)) ?? r.pick(reps);

  const person = () => r.pick(SURNAMES) + r.pick(GIVEN);
  const mobile = () => `13${r.int(0, 9)}${String(r.int(0, 99_999_999)).padStart(8, '0')}`;
  const date = (offsetDays: number) => new Date(now + offsetDays * day).toISOString().slice(0, 10);
  const money = (min: number, max: number) => `${r.int(min, max) * 1000}.00`;

  // Products.
  const productRows = [
    ['CRM 标准版（年）', 'SW-CRM-STD', 'software', 36000], ['CRM 企业版（年）', 'SW-CRM-ENT', 'software', 98000], ['数据集成服务', 'SV-INT', 'service', 50000],
    ['实施服务（人天）', 'SV-DAY', 'service', 2500], ['培训服务（场）', 'SV-TRN', 'service', 8000], ['工业网关', 'HW-GW-01', 'hardware', 6800],
    ['边缘服务器', 'HW-SRV-02', 'hardware', 45000], ['年度维保', 'MT-YEAR', 'maintenance', 18000], ['移动端扩展包', 'SW-MOB', 'software', 12000],
    ['报表分析模块', 'SW-BI', 'software', 26000], ['私有化部署', 'SV-ONP', 'service', 120000], ['7x24 支持', 'MT-247', 'maintenance', 30000],
  ] as const;
  const products = await records.batchCreate(caller, 'products', productRows.map(([name, code, category, price]) => ({ name, code, category, unit_price: `${price}.00`, unit: category === 'service' ? '项' : '套', active: true })));

  // Accounts and contacts.
  const usedNames = new Set<string>();
  const accountInput = [];
  for (let i = 0; i < 180; i++) {
    const region = r.pick(['east', 'east', 'south', 'south', 'north'] as const);
    const city = r.pick(CITIES[region]);
    const [trade, industry] = r.pick(TRADES);
    let name = `${city}${r.pick(WORDS)}${trade}有限公司`;
    while (usedNames.has(name)) name = `${city}${r.pick(WORDS)}${r.pick(WORDS)}${trade}有限公司`;
    usedNames.add(name);
    const pool = r.chance(0.12);
    accountInput.push({
      name, industry, region, level: r.pick(['key', 'normal', 'normal', 'potential']), phone: `0${r.int(20, 29)}-${r.int(5000_0000, 8999_9999)}`,
      address: { province: PROVINCE[city] ?? null, city: city.endsWith('市') ? city : `${city}市`, district: null, detail: `${r.pick(['科技园', '开发区', '高新区', '金融街'])}${r.int(1, 300)}号` },
      employees: r.int(20, 5000), annual_revenue: money(1000, 500_000), source: r.pick(SOURCES),
      owner_id: pool ? null : ids[repFor(region).key],
    });
  }
  const accounts = await records.batchCreate(caller, 'accounts', accountInput);
  await records.batchCreate(caller, 'contacts', accounts.flatMap((a) => Array.from({ length: r.int(1, 3) }, (_, k) => ({
    name: person(), account: a.id, title: r.pick(TITLES), phone: mobile(), email: `contact${r.int(1000, 99999)}@example.com`, is_primary: k === 0,
    owner_id: a.owner_id ?? ids[repFor(String(a.region)).key],
  }))));

  // Leads.
  const leadStatus = ['new', 'new', 'working', 'working', 'working', 'nurturing', 'disqualified'];
  await records.batchCreate(caller, 'leads', Array.from({ length: 240 }, () => {
    const region = r.pick(['east', 'south', 'north'] as const);
    const status = r.pick(leadStatus);
    const [trade, industry] = r.pick(TRADES);
    return {
      name: person(), company: `${r.pick(CITIES[region])}${r.pick(WORDS)}${trade}有限公司`, title: r.pick(TITLES), phone: mobile(),
      email: `lead${r.int(1000, 99999)}@example.com`, source: r.pick(SOURCES), status, region, industry,
      qualification: status === 'working' ? r.pick(['mql', 'sql']) : null,
      disqualify_reason: status === 'disqualified' ? r.pick(['无预算', '需求不匹配', '联系方式无效']) : null,
      owner_id: r.chance(0.2) ? null : ids[repFor(region).key],
    };
  }));

  // Opportunities across the pipeline.
  const stages = ['initial', 'initial', 'needs_confirmed', 'needs_confirmed', 'proposal', 'proposal', 'negotiation', 'won', 'won', 'lost'];
  const owned = accounts.filter((a) => a.owner_id);
  const opps = await records.batchCreate(caller, 'opportunities', Array.from({ length: 150 }, () => {
    const a = r.pick(owned);
    const stage = r.pick(stages);
    const late = ['proposal', 'negotiation', 'won', 'lost'].includes(stage);
    return {
      name: `${String(a.name).replace(/有限公司$/, '')} ${r.pick(['CRM 项目', '数字化升级', '年度采购', '系统集成', '运维外包'])}`,
      account: a.id, stage, source: r.pick(SOURCES), region: a.region,
      amount: late || r.chance(0.5) ? money(20, 2000) : null,
      expected_close: late || r.chance(0.5) ? date(r.int(-60, 150)) : null,
      won_on: stage === 'won' ? date(-r.int(1, 150)) : null,
      loss_reason: stage === 'lost' ? r.pick(['价格高于竞品', '客户预算取消', '选择了竞争对手']) : null,
      next_step: r.pick(['安排技术交流', '提交方案', '商务谈判', '等待客户反馈', null]),
      owner_id: a.owner_id,
    };
  }));

  // Six months of activities and some open tasks.
  const kinds = ['call', 'call', 'visit', 'email', 'meeting'];
  const activityInput = Array.from({ length: 600 }, () => {
    const o = r.pick(opps);
    const kind = r.pick(kinds);
    const subject = ({ call: '电话沟通', visit: '上门拜访', email: '邮件跟进', meeting: '方案会议' } as Record<string, string>)[kind]!;
    return {
      subject: `${subject}：${String(o.name).slice(0, 16)}`, kind, occurred_at: new Date(now - r.int(0, 180) * day - r.int(0, 36_000) * 1000).toISOString(),
      duration_minutes: r.int(5, 120), account: o.account, opportunity: o.id, owner_id: o.owner_id,
      notes: r.pick(['客户关注价格和交付周期', '需要补充技术方案', '决策人下周出差', '已确认预算范围', '约定下次拜访时间']),
    };
  });
  await records.batchCreate(caller, 'activities', activityInput);
  await records.batchCreate(caller, 'tasks', Array.from({ length: 80 }, () => {
    const o = r.pick(opps);
    return {
      subject: r.pick(['准备报价单', '回访客户', '安排产品演示', '催收回款', '整理需求文档']), due: new Date(now + r.int(-10, 30) * day).toISOString(),
      assignee: o.owner_id, status: r.pick(['open', 'open', 'in_progress', 'done']), priority: r.pick(['high', 'normal', 'low']),
      account: o.account, opportunity: o.id, owner_id: o.owner_id,
    };
  }));

  // Quotes with lines, contracts with payment plans for won deals, invoices, orders, targets.
  for (const o of opps.filter((x) => ['proposal', 'negotiation', 'won'].includes(String(x.stage))).slice(0, 30)) {
    const [quote] = await records.batchCreate(caller, 'quotes', [{ opportunity: o.id, account: o.account, valid_until: date(30), status: 'sent', owner_id: o.owner_id }]);
    await records.batchCreate(caller, 'quote_lines', Array.from({ length: r.int(2, 4) }, () => {
      const p = r.pick(products);
      return { quote: quote!.id, product: p.id, description: p.name, quantity: `${r.int(1, 5)}.00`, unit_price: p.unit_price, discount: `${r.pick([0, 5, 10])}.00`, tax_rate: '13.00' };
    }));
  }
  for (const o of opps.filter((x) => x.stage === 'won').slice(0, 20)) {
    const amount = String(o.amount ?? '100000.00');
    const [contract] = await records.batchCreate(caller, 'contracts', [{ name: `${o.name} 合同`, account: o.account, opportunity: o.id, amount, signed_on: o.won_on ?? date(-30), start_date: o.won_on ?? date(-30), end_date: date(335), status: 'active', owner_id: o.owner_id }]);
    const [plan] = await records.batchCreate(caller, 'payment_plans', [{ name: '分期回款', contract: contract!.id }]);
    const half = (Number(amount) / 2).toFixed(2);
    const inst = await records.batchCreate(caller, 'installments', [
      { name: '首付款（50%）', payment_plan: plan!.id, due_date: date(-10), amount: half, status: 'paid' },
      { name: '验收款（50%）', payment_plan: plan!.id, due_date: date(60), amount: half, status: 'pending' },
    ]);
    await records.batchCreate(caller, 'receipts', [{ installment: inst[0]!.id, amount: half, received_on: date(-r.int(1, 20)), method: r.pick(['bank_transfer', 'bank_transfer', 'alipay']), reference: `BANK${r.int(100000, 999999)}` }]);
    await records.batchCreate(caller, 'invoices', [{ number: `${r.int(10_000_000, 99_999_999)}`, contract: contract!.id, account: o.account, kind: r.pick(['vat_special', 'vat_normal']), amount: half, tax_rate: '13.00', issued_on: date(-r.int(1, 20)), status: 'issued', owner_id: o.owner_id }]);
    await records.batchCreate(caller, 'orders', [{ account: o.account, contract: contract!.id, amount, ordered_on: o.won_on ?? date(-20), status: r.pick(['pending', 'shipped', 'delivered']), owner_id: o.owner_id }]);
  }
  const months = Array.from({ length: 6 }, (_, i) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - 2 + i, 1);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
  });
  await records.batchCreate(caller, 'sales_targets', reps.flatMap((p) => months.map(({ year, month }) => ({
    period: `${year}-${String(month).padStart(2, '0')}`, year, month, target_amount: money(300, 800), owner_id: ids[p.key],
  }))));
  // Seeding hands hundreds of records to the demo people: not news for their bells.
  await db.deleteFrom('crm.notifications').where('workspace_id', '=', ws.id).where('kind', '=', 'assigned').execute();
  return people.map((p) => ({ email: p.email, name: p.name, role: p.role }));
}
