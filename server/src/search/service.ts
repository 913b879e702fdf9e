import { sql, type Kysely, type RawBuilder } from 'kysely';
import { likeLiteral, searchPredicate } from '@crm/query';
import type { Label } from '@crm/metadata';
import type { Caller, RecordsService } from '../records/service.js';
import { PINYIN_COLUMN, pinyinSources } from '../records/search-pinyin.js';
import { rankGroups, subtitleOf, type SearchParams } from './query.js';

export interface SearchHit {
  id: string;
  title: string | null;
  subtitle?: string;
}

export interface SearchGroup {
  entity: string;
  label: Label;
  /** How many records of the entity the caller may read match. */
  total: number;
  records: SearchHit[];
}

interface Row {
  entity: string;
  total: number;
  records: { id: string; title: string | null; exact: boolean; values: Record<string, unknown> }[];
}

/**
 * Global search: every entity the caller may read that has searchable fields,
 * searched with the same index-backed predicate as a list's `q` and filtered
 * by the same read predicate, in ONE statement (a UNION ALL of one branch per
 * entity), results grouped by entity.
 */
export class SearchService {
  constructor(
    private readonly db: Kysely<any>,
    private readonly records: RecordsService,
  ) {}

  async search(caller: Caller, { q, limit }: SearchParams): Promise<SearchGroup[]> {
    const targets = (await this.records.readable(caller)).filter((t) => t.searchable.length > 0);
    if (!targets.length) return [];
    const exactly = q.toLowerCase();
    const prefix = `${likeLiteral(q)}%`;
    const branches = targets.map((t) => {
      // FROM names the table without an alias, so the predicate qualifies columns with the table name.
      const pinyin = pinyinSources(t.fields.values()).length ? PINYIN_COLUMN : undefined;
      const where = sql`deleted_at is null and (${t.predicate(t.key)}) and ${searchPredicate(t.searchable, q, pinyin)}`;
      const title: RawBuilder<unknown> = t.title ? sql`${sql.ref(t.title)}::text` : sql`id::text`;
      const values = sql.join(t.searchable.map((c) => sql`${c}::text, ${sql.ref(c)}`));
      const table = t.table;
      // Exact title first, then titles starting with the query, then the most recently changed. One scan per
      // entity: the window count sees every match before the limit cuts the rows.
      return sql`select ${t.key}::text as entity, coalesce(max(hit.total), 0)::int as total,
        coalesce(json_agg(json_build_object('id', hit.id, 'title', hit.title, 'exact', hit.exact, 'values', hit.values) order by hit.rank), '[]'::json) as records
        from (
          select id, ${title} as title, lower(${title}) = ${exactly} as exact, json_build_object(${values}) as values,
            count(*) over () as total,
            row_number() over (order by lower(${title}) = ${exactly} desc, ${title} ilike ${prefix} desc, updated_at desc, id) as rank
          from ${table} where ${where}
          order by rank limit ${limit}
        ) as hit`;
    });
    const { rows } = await sql<Row>`${sql.join(branches, sql` union all `)}`.execute(this.db);
    const position = new Map(targets.map((t, i) => [t.key, i]));
    const byKey = new Map(targets.map((t) => [t.key, t]));
    const groups = rows.filter((r) => r.records.length > 0).map((r) => ({
      entity: r.entity,
      exact: r.records.some((h) => h.exact),
      position: position.get(r.entity) ?? 0,
      total: r.total,
      records: r.records,
    }));
    return rankGroups(groups).map((g) => ({
      entity: g.entity,
      label: byKey.get(g.entity)!.pluralLabel,
      total: g.total,
      records: g.records.map((h) => {
        const subtitle = subtitleOf(h.values, h.title, q);
        return { id: h.id, title: h.title, ...(subtitle ? { subtitle } : {}) };
      }),
    }));
  }
}
