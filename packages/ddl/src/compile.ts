import { sql, type RawBuilder } from 'kysely';
import { conversion } from './conversions.js';
import { assertIdent, assertSqlType, indexName } from './names.js';
import type { Action, IndexSpec } from './model.js';

/**
 * Turns a plan step into DDL for one workspace schema. Identifiers pass
 * assertIdent, types assertSqlType; nothing from a document is spliced in raw
 * otherwise. Metadata-only steps compile to nothing.
 *
 *   addColumn(opportunities.budget numeric(18,2))
 *     -> alter table "ws_…"."opportunities" add column "budget" numeric(18,2)
 */
export type Compiler = { [K in Action['kind']]: (a: Extract<Action, { kind: K }>, schema: string) => RawBuilder<unknown>[] };

const table = (schema: string, t: string) => sql.table(`${assertIdent(schema)}.${assertIdent(t)}`);
const col = (c: string) => sql.ref(assertIdent(c));

const SYSTEM_DEFAULTS: Record<string, string> = {
  id: 'primary key',
  created_at: 'not null default now()',
  updated_at: 'not null default now()',
  version: 'not null default 1',
};

function columnDef(c: { name: string; sqlType: string }) {
  const extra = SYSTEM_DEFAULTS[c.name];
  return sql`${col(c.name)} ${sql.raw(assertSqlType(c.sqlType))}${extra ? sql.raw(` ${extra}`) : sql``}`;
}

function createIndex(schema: string, t: string, ix: IndexSpec): RawBuilder<unknown> {
  const name = sql.id(assertIdent(ix.name));
  const c = col(ix.column);
  switch (ix.kind) {
    case 'unique':
      // Unique among live records: a soft-deleted record does not hold its value hostage.
      return sql`create unique index if not exists ${name} on ${table(schema, t)} (${c}) where deleted_at is null`;
    case 'btree':
      return sql`create index if not exists ${name} on ${table(schema, t)} (${c})`;
    case 'trigram':
      return sql`create index if not exists ${name} on ${table(schema, t)} using gin (${c} public.gin_trgm_ops)`;
    case 'grams':
      return sql`create index if not exists ${name} on ${table(schema, t)} using gin (crm.search_grams(${c}))`;
  }
}

export const compiler: Compiler = {
  createTable: (a, schema) => [sql`create table ${table(schema, a.table)} (${sql.join(a.columns.map(columnDef))})`],
  addColumn: (a, schema) => {
    const extra = SYSTEM_DEFAULTS[a.column.name];
    // A new system column on an existing table (e.g. owner_id when ownership changes) must not take a
    // volatile default; ADD COLUMN with no default is instant whatever the table size.
    return [sql`alter table ${table(schema, a.table)} add column ${col(a.column.name)} ${sql.raw(assertSqlType(a.column.sqlType))}${extra && a.field === null && a.column.name !== 'id' ? sql.raw(` ${extra}`) : sql``}`];
  },
  addForeignKey: (a, schema) => {
    const target = a.references.kind === 'users' ? sql.table('crm.users') : table(schema, a.references.entity);
    const name = sql.id(assertIdent(indexName(a.table, a.column, 'fk')));
    return [sql`alter table ${table(schema, a.table)} add constraint ${name} foreign key (${col(a.column)}) references ${target} (id)`];
  },
  alterColumnType: (a, schema) => {
    const conv = conversion(a.from, a.to);
    if (!conv) throw new Error(`ddl: no conversion ${a.from} -> ${a.to}`);
    return [sql`alter table ${table(schema, a.table)} alter column ${col(a.column)} type ${sql.raw(assertSqlType(a.to))} using ${conv.using(col(a.column))}`];
  },
  createIndex: (a, schema) => [createIndex(schema, a.table, a.index)],
  dropIndex: (a, schema) => [sql`drop index if exists ${sql.table(`${assertIdent(schema)}.${assertIdent(a.index.name)}`)}`],
  checkValues: () => [],
  archiveField: () => [],
  restoreField: () => [],
  archiveEntity: () => [],
  restoreEntity: () => [],
  deactivateOption: () => [],
  reactivateOption: () => [],
};

export function compileAction(a: Action, schema: string): RawBuilder<unknown>[] {
  return (compiler[a.kind] as (a: Action, s: string) => RawBuilder<unknown>[])(a, schema);
}
