import { sql, type Kysely } from 'kysely';
import { fieldTypes, type FieldType } from '@crm/metadata';
import { AppError } from '../errors/app-error.js';
import type { Caller, RecordsService } from './service.js';
import type { EntityModel } from './model.js';

export interface TotalsParams {
  groupBy: string;
  sum?: string;
  filter?: unknown;
}

export interface ColumnTotal {
  key: string | null;
  count: number;
  /** Sum of the `sum` field as a decimal string (null without `sum`). */
  sum: string | null;
  /** sum × stage probability / 100 when `groupBy` is a pipeline's field; else null. */
  weighted: string | null;
}

/**
 * Kanban column totals: per value of a select field, how many records the
 * caller may read (after the view's filter) and the sum of a numeric field,
 * weighted by the stage's probability when the select is a pipeline's stage
 * field. One `group by` statement with the read predicate; field names are
 * checked against the entity (never put in SQL unchecked); money stays
 * numeric in PostgreSQL and leaves as a string.
 *
 *   groupBy=stage&sum=amount -> select stage::text, count(*), coalesce(sum(amount), 0)::numeric(38,2)::text,
 *     round(coalesce(sum(amount), 0) * (select p.prob from jsonb_to_recordset($1) ... where p.k = stage) / 100, 2)::text
 *   from ws_x.opportunities as t where t.deleted_at is null and <read predicate> and (<filter>) group by stage
 */
export async function columnTotals(records: RecordsService, db: Kysely<any>, caller: Caller, entityKey: string, p: TotalsParams): Promise<ColumnTotal[]> {
  const scope = await records.readScope(caller, entityKey, p.filter);
  const m = scope.model;
  const group = m.fields.get(p.groupBy);
  if (group?.type !== 'select') throw unknownField('groupBy', p.groupBy, [...m.fields.values()].filter((f) => f.type === 'select').map((f) => f.key));
  const numeric = numericFields(m);
  const sumField = p.sum === undefined ? undefined : numeric.get(p.sum);
  if (p.sum !== undefined && !sumField) throw unknownField('sum', p.sum, [...numeric.keys()]);
  const scale = sumField?.scale ?? 0;

  const pipeline = m.pipelines.find((x) => x.field === group.key);
  const probabilities = JSON.stringify((pipeline?.stages ?? []).map((s) => ({ k: s.key, prob: (s as { probability?: number }).probability ?? null })));
  const g = sql.ref(`t.${group.key}`);
  const total = sumField ? sql`coalesce(sum(${sql.ref(`t.${sumField.column}`)}), 0)` : undefined;
  const sumSql = total ? sql`${total}::numeric(38, ${sql.lit(scale)})::text` : sql`null`;
  const weightedSql = total && pipeline
    ? sql`round(${total} * (select p.prob from jsonb_to_recordset(${probabilities}::jsonb) as p(k text, prob numeric) where p.k = ${g}) / 100, ${sql.lit(scale)})::numeric(38, ${sql.lit(scale)})::text`
    : sql`null`;
  const { rows } = await sql<{ key: string | null; count: number; sum: string | null; weighted: string | null }>`
    select ${g}::text as key, count(*)::int as count, ${sumSql} as sum, ${weightedSql} as weighted
    from ${scope.table} as t
    where t.deleted_at is null and ${scope.predicate('t')} ${scope.filter ? sql`and (${scope.filter})` : sql``}
    group by ${g}`.execute(db);

  // Every option gets a column total, zero when no record sits there; a stored key no longer offered still shows.
  const zero = sumField ? (0).toFixed(scale) : null;
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const options = ((group.options ?? []) as { key: string; active?: boolean }[]).filter((o) => o.active !== false || byKey.has(o.key)).map((o) => o.key);
  const keys = [...options, ...rows.map((r) => r.key).filter((k) => k === null || !options.includes(k))];
  return keys.map((key) => {
    const r = byKey.get(key);
    const hasWeight = !!pipeline && !!sumField && key !== null && (r ? r.weighted !== null : pipeline.stages.some((s) => s.key === key && typeof (s as { probability?: number }).probability === 'number'));
    return { key, count: r?.count ?? 0, sum: r?.sum ?? zero, weighted: hasWeight ? r?.weighted ?? zero : null };
  });
}

/** Fields a column total may add up: one numeric column each (integer, decimal, currency, percent, numeric formulas and rollups). */
function numericFields(m: EntityModel): Map<string, { column: string; scale: number }> {
  const out = new Map<string, { column: string; scale: number }>();
  for (const f of m.fields.values()) {
    const cols = fieldTypes[f.type as FieldType].columns(f);
    if (cols.length !== 1) continue;
    const t = cols[0]!.sqlType.toLowerCase();
    const dec = /^numeric\(\s*\d+\s*,\s*(\d+)\s*\)$/.exec(t);
    if (dec) out.set(f.key, { column: cols[0]!.name, scale: Number(dec[1]) });
    else if (t === 'bigint' || t === 'integer' || t === 'int') out.set(f.key, { column: cols[0]!.name, scale: 0 });
  }
  return out;
}

function unknownField(param: string, name: string, allowed: string[]) {
  return new AppError('CRM_ERR_UNKNOWN_FIELDS', { names: [name], allowed }, [{ pointer: `/${param}`, code: 'RECORD_UNKNOWN_FIELD', params: { field: name, allowed } }]);
}
