import { sql, type RawBuilder } from 'kysely';
import { conversion } from './conversions.js';
import { assertIdent } from './names.js';
import type { Action, FindingCode } from './model.js';

/**
 * What a step does to existing data, measured before publishing. Each probe
 * returns one row `{ count, samples }` (samples: up to 5 record ids, or values
 * for duplicates). The server runs them for a plan and again inside publish.
 */
export interface Probe {
  code: FindingCode;
  blocking: boolean;
  query: RawBuilder<{ count: number; samples: string[] | null }>;
  params: Record<string, unknown>;
}

const t = (schema: string, table: string) => sql.table(`${assertIdent(schema)}.${assertIdent(table)}`);
const c = (name: string) => sql.ref(assertIdent(name));

function countWhere(schema: string, table: string, where: RawBuilder<unknown>) {
  return sql<{ count: number; samples: string[] | null }>`
    select count(*)::int as count, (array_agg(id::text order by id) filter (where true))[1:5] as samples
    from ${t(schema, table)} where deleted_at is null and (${where})`;
}

export function probeFor(a: Action, schema: string): Probe | undefined {
  switch (a.kind) {
    case 'archiveField':
      return {
        code: 'ARCHIVES_VALUES',
        blocking: false,
        params: { field: a.field.key },
        query: countWhere(schema, a.table, sql.join(a.columns.map((name) => sql`${c(name)} is not null`), sql` or `)),
      };
    case 'archiveEntity':
      return { code: 'ARCHIVES_RECORDS', blocking: false, params: { entity: a.entity.key }, query: countWhere(schema, a.table, sql`true`) };
    case 'deactivateOption':
      return {
        code: 'OPTION_IN_USE',
        blocking: false,
        params: { field: a.field.key, option: a.option.key },
        query: countWhere(schema, a.table, a.array ? sql`${a.option.key} = any(${c(a.column)})` : sql`${c(a.column)} = ${a.option.key}`),
      };
    case 'alterColumnType': {
      const conv = conversion(a.from, a.to);
      if (!conv?.invalid) return undefined;
      return {
        code: 'VALUES_NOT_CONVERTIBLE',
        blocking: true,
        params: { field: a.field.key, from: a.fromType, to: a.toType },
        query: countWhere(schema, a.table, sql`${c(a.column)} is not null and ${conv.invalid(c(a.column))}`),
      };
    }
    case 'checkValues':
      return {
        code: 'VALUES_NOT_IN_OPTIONS',
        blocking: true,
        params: { field: a.field.key },
        query: countWhere(
          schema,
          a.table,
          a.array
            ? sql`not (${c(a.column)} <@ ${sql.val(a.allowed)}::text[])`
            : sql`${c(a.column)} is not null and btrim(${c(a.column)}) <> '' and not (${c(a.column)} = any(${sql.val(a.allowed)}::text[]))`,
        ),
      };
    case 'createIndex': {
      if (a.index.kind !== 'unique') return undefined;
      // Duplicate live values would make the unique index fail: report them (samples are the values).
      return {
        code: 'DUPLICATE_VALUES',
        blocking: true,
        params: { field: a.field?.key ?? a.index.column },
        query: sql<{ count: number; samples: string[] | null }>`
          select coalesce(sum(n), 0)::int as count, (array_agg(v order by v))[1:5] as samples
          from (select ${c(a.index.column)}::text as v, count(*) as n from ${t(schema, a.table)}
                where deleted_at is null and ${c(a.index.column)} is not null
                group by 1 having count(*) > 1) d`,
      };
    }
    default:
      return undefined;
  }
}

/** Probes for a whole plan, skipping steps on tables or columns the same plan creates (they hold no data yet). */
export function probesForPlan(actions: readonly Action[], schema: string): { action: number; probe: Probe }[] {
  const fresh = new Set<string>();
  for (const a of actions) {
    if (a.kind === 'createTable') fresh.add(a.table);
    if (a.kind === 'addColumn') fresh.add(`${a.table}.${a.column.name}`);
  }
  const out: { action: number; probe: Probe }[] = [];
  actions.forEach((a, i) => {
    if (fresh.has(a.table)) return;
    if (a.kind === 'createIndex' && fresh.has(`${a.table}.${a.index.column}`)) return;
    const probe = probeFor(a, schema);
    if (probe) out.push({ action: i, probe });
  });
  return out;
}
