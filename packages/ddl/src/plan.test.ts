import { describe, expect, it } from 'vitest';
import { Kysely, PostgresAdapter, DummyDriver, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { compileAction, planSchema, probesForPlan, describeAction, type PlanEntity } from './index.js';

const compiler = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const sqlOf = (a: Parameters<typeof compileAction>[0]) => compileAction(a, 'ws_1').map((s) => s.compile(compiler));

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const account = (fields: PlanEntity['fields'] = []): PlanEntity => ({
  id: 'ent_account', key: 'accounts', label: L('客户', 'Account'), ownership: 'owned',
  fields: [
    { id: 'fld_name', key: 'name', type: 'text', label: L('名称', 'Name'), searchable: true },
    { id: 'fld_budget', key: 'budget', type: 'currency', scale: 2, label: L('预算', 'Budget') },
    ...fields,
  ],
});

describe('planSchema', () => {
  it('creates a table with system columns, then indexes, then foreign keys', () => {
    const { actions, issues } = planSchema([], [account([{ id: 'fld_owner2', key: 'manager', type: 'user', label: L('经理', 'Manager') }])]);
    expect(issues).toEqual([]);
    expect(actions.map((a) => a.kind)).toEqual([
      'createTable', 'createIndex', 'createIndex', 'createIndex', 'createIndex', 'createIndex',
      'addForeignKey', 'addForeignKey', 'addForeignKey', 'addForeignKey',
    ]);
    const [create] = sqlOf(actions[0]!);
    expect(create!.sql).toBe(
      'create table "ws_1"."accounts" ("id" uuid primary key, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), ' +
      '"created_by" uuid, "updated_by" uuid, "version" integer not null default 1, "deleted_at" timestamptz, "owner_id" uuid, "name" text, "budget" numeric(18,2), "manager" uuid)',
    );
    expect(create!.parameters).toEqual([]);
    const fk = actions.find((a) => a.kind === 'addForeignKey' && a.column === 'manager')!;
    expect(sqlOf(fk)[0]!.sql).toBe('alter table "ws_1"."accounts" add constraint "accounts_manager_fk" foreign key ("manager") references "crm"."users" (id)');
    const grams = actions.find((a) => a.kind === 'createIndex' && a.index.kind === 'grams')!;
    expect(sqlOf(grams)[0]!.sql).toBe('create index if not exists "accounts_name_grams" on "ws_1"."accounts" using gin (crm.search_grams("name"))');
    expect(describeAction(actions[0]!, 'zh-CN')).toBe('新建对象「客户」（数据表 accounts，11 列）');
  });

  it('archives a field the draft left out and keeps it in the published entity', () => {
    const prev = account();
    const next = { ...prev, fields: prev.fields.filter((f) => f.key !== 'budget') };
    const { actions, entities } = planSchema([prev], [next]);
    expect(actions).toEqual([expect.objectContaining({ kind: 'archiveField', columns: ['budget'] })]);
    expect(entities[0]!.fields.find((f) => f.key === 'budget')).toMatchObject({ archived: true });
    expect(sqlOf(actions[0]!)).toEqual([]);
    const [probe] = probesForPlan(actions, 'ws_1');
    expect(probe!.probe.query.compile(compiler).sql).toContain('where deleted_at is null and ("budget" is not null)');
  });

  it('refuses a changed key and an unsupported type change', () => {
    const prev = account();
    const renamed = { ...prev, fields: prev.fields.map((f) => (f.key === 'budget' ? { ...f, key: 'budget2' } : f)) };
    expect(planSchema([prev], [renamed]).issues).toEqual([expect.objectContaining({ code: 'DDL_KEY_IMMUTABLE', pointer: '/fields/1/key' })]);
    const toFile = { ...prev, fields: prev.fields.map((f) => (f.key === 'budget' ? { ...f, type: 'file' as const } : f)) };
    expect(planSchema([prev], [toFile]).issues).toEqual([expect.objectContaining({ code: 'DDL_TYPE_CHANGE_UNSUPPORTED', pointer: '/fields/1/type' })]);
  });

  it('changes text to integer through a checked cast, dropping search indexes first', () => {
    const prev = account();
    const next = { ...prev, fields: prev.fields.map((f) => (f.key === 'name' ? { ...f, type: 'integer' as const } : f)) };
    const { actions } = planSchema([prev], [next]);
    expect(actions.map((a) => a.kind)).toEqual(['dropIndex', 'dropIndex', 'alterColumnType']);
    expect(sqlOf(actions[2]!)[0]!.sql).toBe(`alter table "ws_1"."accounts" alter column "name" type bigint using nullif(btrim("name"), '')::bigint`);
    const [probe] = probesForPlan(actions, 'ws_1');
    const compiled = probe!.probe.query.compile(compiler);
    expect(compiled.sql).toContain(`not crm.can_cast(btrim("name"), $1)`);
    expect(compiled.parameters).toEqual(['bigint']);
    expect(probe!.probe.blocking).toBe(true);
  });

  it('carries a removed option over as inactive and reports deactivations', () => {
    const opts = [
      { id: 'opt_a', key: 'a', label: L('甲', 'A'), active: true },
      { id: 'opt_b', key: 'b', label: L('乙', 'B'), active: true },
    ];
    const prev = account([{ id: 'fld_level', key: 'level', type: 'select', label: L('等级', 'Level'), options: opts }]);
    const next = account([{ id: 'fld_level', key: 'level', type: 'select', label: L('等级', 'Level'), options: [opts[0]!] }]);
    const { actions, entities } = planSchema([prev], [next]);
    expect(entities[0]!.fields.find((f) => f.key === 'level')!.options).toEqual([opts[0], { ...opts[1], active: false }]);
    expect(actions).toEqual([expect.objectContaining({ kind: 'deactivateOption', option: expect.objectContaining({ key: 'b' }) })]);
  });

  it('archives a whole entity the draft dropped, keeping its table', () => {
    const { actions, entities } = planSchema([account()], []);
    expect(actions).toEqual([expect.objectContaining({ kind: 'archiveEntity', table: 'accounts' })]);
    expect(entities[0]).toMatchObject({ id: 'ent_account', archived: true });
  });

  it('refuses identifiers that are not plain keys, whatever reaches it', () => {
    const evil = { ...account(), key: 'accounts"; drop table x; --' };
    expect(() => planSchema([], [evil]).actions.forEach((a) => compileAction(a, 'ws_1'))).toThrow(/refusing identifier/);
  });
});
