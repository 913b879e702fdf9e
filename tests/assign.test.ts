import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, pickOwner, uuidv7, workspaceFor, type PickOwnerConfig } from '@crm/server';
import { startTestApp, type TestApp } from './support/app.js';
import { setUpSales, type SalesWorld } from './support/sales-fixture.js';

/** Owner assignment rules (server/src/assign): turns, region routing, load, field maps. */
describe('pickOwner', () => {
  let t: TestApp;
  let w: SalesWorld;
  let ws: NonNullable<Awaited<ReturnType<typeof workspaceFor>>>;
  const accounts = { key: 'accounts', table: 'accounts' };
  const opportunities = { key: 'opportunities', table: 'opportunities' };

  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
    const ownerId = (await t.database.pool.query(`select id from crm.users where email = 'owner@example.com'`)).rows[0].id as string;
    ws = (await workspaceFor(t.database.db, t.slug, ownerId))!;
  });
  afterAll(async () => t?.close());

  const team = async (name: string, members: string[], opts: { parent?: string; region?: string } = {}) => {
    const id = uuidv7();
    await t.database.db.insertInto('crm.teams').values({ id, workspace_id: w.wsId, name, parent_id: opts.parent ?? null, attributes: JSON.stringify(opts.region ? { region: opts.region } : {}) }).execute();
    if (members.length) await t.database.db.insertInto('crm.team_members').values(members.map((user_id) => ({ team_id: id, user_id }))).execute();
    return id;
  };
  const setStatus = (userId: string, status: 'active' | 'inactive') =>
    t.database.pool.query(`update crm.workspace_members set status = $1 where workspace_id = $2 and user_id = $3`, [status, w.wsId, userId]);
  const pick = (entity: { key: string; table: string }, record: Record<string, unknown>, config: PickOwnerConfig) =>
    pickOwner(t.database.db, ws, entity, record, config, new Date());
  const picks = async (n: number, entity: { key: string; table: string }, record: Record<string, unknown>, config: PickOwnerConfig) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await pick(entity, record, config)).ownerId);
    return out;
  };
  /** Members in turn order (user id order). */
  const inOrder = (...ids: string[]) => [...ids].sort();

  it('round robin cycles through the members in order, by team name or id, and skips inactive members', async () => {
    const [a, b, c] = inOrder(w.repA.id, w.repB.id, w.repC.id);
    const id = await team('轮流组', [a!, b!, c!]);
    const first = await pick(accounts, {}, { strategy: 'round_robin', team: '轮流组' });
    expect(first.reason).toEqual({ 'zh-CN': `按团队「轮流组」轮流分配给 ${nameOf(first.ownerId)}`, en: `Round robin in team 轮流组: ${nameOf(first.ownerId)}` });
    // The designer's team id and a template's team name are the same rule.
    expect([first.ownerId, ...(await picks(3, accounts, {}, { strategy: 'round_robin', team: id }))]).toEqual([a, b, c, a]);
    await setStatus(b!, 'inactive');
    try {
      expect(await picks(3, accounts, {}, { strategy: 'round_robin', team: id })).toEqual([c, a, c]);
    } finally {
      await setStatus(b!, 'active');
    }
    // b is back: the turn after c is a, then b.
    expect(await picks(2, accounts, {}, { strategy: 'round_robin', team: id })).toEqual([a, b]);
    // Each entity keeps its own turns.
    expect((await pick(opportunities, {}, { strategy: 'round_robin', team: id })).ownerId).toBe(a);
  });

  it('spreads 20 concurrent picks evenly: every member gets 20/n, in transactions or not', async () => {
    const members = inOrder(w.repA.id, w.repB.id, w.repC.id, w.managerA.id);
    await team('并发组', members);
    const config: PickOwnerConfig = { strategy: 'round_robin', team: '并发组' };
    const count = (ids: string[]) => members.map((m) => ids.filter((x) => x === m).length);
    const inTx = await Promise.all(Array.from({ length: 20 }, () =>
      t.database.db.transaction().execute(async (tx) => (await pickOwner(tx, ws, accounts, {}, config, new Date())).ownerId)));
    expect(count(inTx)).toEqual([5, 5, 5, 5]);
    const plain = await Promise.all(Array.from({ length: 20 }, async () => (await pick(opportunities, {}, config)).ownerId));
    expect(count(plain)).toEqual([5, 5, 5, 5]);
  });

  it('routes by region to the matching sub-team (select labels or text) and keeps turns per region', async () => {
    const [e1, e2] = inOrder(w.repA.id, w.repB.id);
    const dept = await team('区域销售部', []);
    await team('华东组', [e1!, e2!], { parent: dept, region: '华东' });
    await team('华南组', [w.repC.id], { parent: dept, region: '华南' });
    const config: PickOwnerConfig = { strategy: 'round_robin', team: '区域销售部', field: 'region' };
    // accounts.region is a select: the option key `east` matches the sub-team's region by its label 华东.
    const east = await pick(accounts, { region: 'east' }, config);
    expect(east.ownerId).toBe(e1);
    expect(east.reason['zh-CN']).toBe(`按团队「华东组（华东）」轮流分配给 ${nameOf(e1!)}`);
    expect(east.reason.en).toBe(`Round robin in team 华东组 (region 华东): ${nameOf(e1!)}`);
    expect((await pick(accounts, { region: 'south' }, config)).ownerId).toBe(w.repC.id);
    expect((await pick(accounts, { region: 'east' }, config)).ownerId).toBe(e2);
    expect((await pick(accounts, { region: 'south' }, config)).ownerId).toBe(w.repC.id);
    expect((await pick(accounts, { region: 'east' }, config)).ownerId).toBe(e1);
    // opportunities.region is text.
    expect((await pick(opportunities, { region: ' 华南 ' }, config)).ownerId).toBe(w.repC.id);
    // No region, or one no sub-team covers: the whole department takes turns.
    const all = inOrder(w.repA.id, w.repB.id, w.repC.id);
    expect(await picks(3, accounts, { region: 'north' }, config)).toEqual(all);
    expect((await pick(accounts, {}, config)).ownerId).toBe(all[0]);
  });

  it('least loaded picks the member with the fewest open records; won/lost and deleted ones do not count', async () => {
    const [a, b, c] = inOrder(w.repA.id, w.repB.id, w.repC.id);
    await team('负载组', [a!, b!, c!]);
    const opp = async (owner: string, stage: string, deleted = false) =>
      t.database.pool.query(`insert into ${ws.schemaName}.opportunities (id, name, owner_id, stage, deleted_at) values ($1, $2, $3, $4, $5)`,
        [uuidv7(), `商机 ${stage}`, owner, stage, deleted ? new Date() : null]);
    for (let i = 0; i < 3; i++) await opp(a!, 'initial');
    await opp(b!, 'proposal');
    await opp(b!, 'won');
    await opp(b!, 'lost');
    await opp(b!, 'won');
    await opp(c!, 'needs_confirmed');
    await opp(c!, 'initial');
    await opp(c!, 'initial', true);
    const config: PickOwnerConfig = { strategy: 'least_loaded', team: '负载组' };
    const first = await pick(opportunities, {}, config);
    expect(first.ownerId).toBe(b);
    expect(first.reason).toEqual({ 'zh-CN': `按团队「负载组」分配给未结记录最少的 ${nameOf(b!)}（1 条）`, en: `Least loaded in team 负载组: ${nameOf(b!)} (1 open)` });
    // b takes it (the engine writes it); now b and c tie at 2 and the turn after b is c.
    await opp(b!, 'initial');
    expect((await pick(opportunities, {}, config)).ownerId).toBe(c);
    // Nobody owns accounts yet: every pick ties, so turns decide.
    expect(await picks(4, accounts, {}, config)).toEqual([a, b, c, a]);
  });

  it('field map: the mapped active member, else the fallback; nobody -> CRM_ERR_NO_ASSIGNEE', async () => {
    const config: PickOwnerConfig = { strategy: 'field_map', field: 'region', map: { east: w.repA.id, south: w.repC.id }, fallback: w.managerA.id };
    const east = await pick(accounts, { region: 'east' }, config);
    expect(east).toEqual({ ownerId: w.repA.id, reason: { 'zh-CN': '按「region」为「east」分配给 张三', en: 'By region = east: 张三' } });
    const north = await pick(accounts, { region: 'north' }, config);
    expect(north.ownerId).toBe(w.managerA.id);
    expect(north.reason.en).toBe('region = north: no mapping; fallback: 赵经理');
    expect((await pick(accounts, {}, config)).ownerId).toBe(w.managerA.id);
    // Values compare as text.
    expect((await pick(opportunities, { amount: 100 }, { strategy: 'field_map', field: 'amount', map: { '100': w.repB.id } })).ownerId).toBe(w.repB.id);
    await setStatus(w.repA.id, 'inactive');
    try {
      const inactive = await pick(accounts, { region: 'east' }, config);
      expect(inactive.ownerId).toBe(w.managerA.id);
      expect(inactive.reason['zh-CN']).toBe('「region」为「east」对应的负责人已停用，分配给默认负责人 赵经理');
      const refused = await pick(accounts, { region: 'east' }, { ...config, fallback: undefined }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('CRM_ERR_NO_ASSIGNEE');
      expect((refused as AppError).status).toBe(422);
    } finally {
      await setStatus(w.repA.id, 'active');
    }
  });

  it('refuses rules it cannot follow with CRM_ERR_NO_ASSIGNEE', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);
    expect(await code(pick(accounts, {}, { strategy: 'round_robin', team: '不存在的团队' }))).toBe('CRM_ERR_NO_ASSIGNEE');
    expect(await code(pick(accounts, {}, { strategy: 'round_robin' }))).toBe('CRM_ERR_NO_ASSIGNEE');
    await team('同名组', [w.repA.id]);
    await team('同名组', [w.repB.id]);
    expect(await code(pick(accounts, {}, { strategy: 'round_robin', team: '同名组' }))).toBe('CRM_ERR_NO_ASSIGNEE');
    await team('空组', []);
    expect(await code(pick(accounts, {}, { strategy: 'least_loaded', team: '空组' }))).toBe('CRM_ERR_NO_ASSIGNEE');
  });

  /** The fixture's names (sales-fixture.ts). */
  const nameOf = (id: string) => ({ [w.repA.id]: '张三', [w.repB.id]: '李四', [w.repC.id]: '王五', [w.managerA.id]: '赵经理' })[id];
});
