import { sql, type Kysely, type Transaction } from 'kysely';
import { pinyin } from 'pinyin-pro';
import { compileAction, indexName, type IndexSpec, type PlanEntity } from '@crm/ddl';

/**
 * Pinyin search: `zwkj` or `zhangwei` finds 张伟科技. Each entity with
 * searchable text fields has a system column `search_pinyin` holding, per
 * such field whose value has Chinese characters, the initials and the full
 * pinyin (`zwkj zhangweikeji`), written by the records service on every write
 * that changes one of those fields and indexed like any searchable column
 * (trigram for 3+ letters, grams for 2), so a pinyin query never scans.
 *
 * pinyin-pro reads words, not single characters, so polyphones follow their
 * context: 重庆 -> cq chongqing, 银行 -> yh yinhang. ü is written v (绿 -> lv),
 * as pinyin keyboards do.
 */
export const PINYIN_COLUMN = 'search_pinyin';

/** The fields whose values feed the pinyin column: live, searchable, plain text (never computed). */
export function pinyinSources(fields: Iterable<{ key: string; type: string; searchable?: boolean; archived?: boolean }>): string[] {
  return [...fields].filter((f) => f.searchable && f.type === 'text' && !f.archived).map((f) => f.key);
}

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const squash = (parts: string[]) => parts.join('').toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The column's value for the source values of one record, or null when none
 * has Chinese characters (other text is found by the ordinary search).
 *
 *   pinyinText(['张伟科技', 'ACME'])       -> 'zwkj zhangweikeji'
 *   pinyinText(['星辰科技（苏州）'])        -> 'xckjsz xingchenkejisuzhou'
 */
export function pinyinText(values: readonly unknown[]): string | null {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string' || !HAN.test(v)) continue;
    const opts = { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true } as const;
    out.push(`${squash(pinyin(v, { ...opts, pattern: 'first' }))} ${squash(pinyin(v, opts))}`);
  }
  return out.length ? out.join(' ') : null;
}

/**
 * What a write sets on the pinyin column: nothing when the entity has no
 * sources or the write changes none of them, else the value computed from
 * `after`, which must then hold every source field (a create's values, or
 * before + changes).
 *
 *   pinyinColumn(['name', 'company'], { company: '星辰' }, ['company']) -> { search_pinyin: 'xc xingchen' }
 */
export function pinyinColumn(sources: readonly string[], after: Record<string, unknown>, changed?: Iterable<string>): Record<string, string | null> {
  if (!sources.length) return {};
  if (changed && ![...changed].some((k) => sources.includes(k))) return {};
  return { [PINYIN_COLUMN]: pinyinText(sources.map((k) => after[k])) };
}

type EntityDoc = PlanEntity;

function indexes(table: string): IndexSpec[] {
  return (['trigram', 'grams'] as const).map((kind) => ({ name: indexName(table, PINYIN_COLUMN, kind), kind, column: PINYIN_COLUMN }));
}

/**
 * Keeps the column in step with published metadata, inside the publish
 * transaction (after the plan's DDL): an entity that gains sources gets the
 * column and its indexes; every row is (re)computed when the set of sources
 * changes or the column is new. Also run at start-up with `missingOnly` for
 * workspaces published before this column existed. Entities that lose their
 * sources keep the column (it is no longer read).
 */
export async function syncSearchPinyin(tx: Transaction<any> | Kysely<any>, schema: string, before: readonly EntityDoc[], after: readonly EntityDoc[], opts: { missingOnly?: boolean } = {}) {
  const wanted = after.filter((e) => !e.archived).map((e) => ({ e, sources: pinyinSources(e.fields) })).filter((x) => x.sources.length);
  if (!wanted.length) return;
  const { rows } = await sql<{ table_name: string }>`select c.relname as table_name from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind = 'r' and a.attname = ${PINYIN_COLUMN} and not a.attisdropped`.execute(tx);
  const have = new Set(rows.map((r) => r.table_name));
  for (const { e, sources } of wanted) {
    const exists = have.has(e.key);
    const prev = before.find((b) => b.id === e.id);
    const changed = !prev || prev.archived || pinyinSources(prev.fields).join(',') !== sources.join(',');
    if (exists && (opts.missingOnly || !changed)) continue;
    const ref = { id: e.id, key: e.key, label: e.label };
    if (!exists) {
      await compileAction({ kind: 'addColumn', entity: ref, table: e.key, field: null, column: { name: PINYIN_COLUMN, sqlType: 'text' } }, schema)[0]!.execute(tx);
    }
    for (const index of indexes(e.key)) {
      for (const stmt of compileAction({ kind: 'createIndex', entity: ref, table: e.key, field: null, index }, schema)) await stmt.execute(tx);
    }
    await fill(tx, schema, e.key, sources);
  }
}

/** Recomputes the column for every row (deleted ones too: a restore brings them back), in pages by id. */
async function fill(tx: Transaction<any> | Kysely<any>, schema: string, table: string, sources: string[]) {
  const t = sql.table(`${schema}.${table}`);
  let after: string | null = null;
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { id: string }>`select id::text as id, ${sql.join(sources.map((k) => sql.ref(k)))}
      from ${t} ${after ? sql`where id > ${after}::uuid` : sql``} order by id limit 2000`.execute(tx);
    if (!rows.length) return;
    const data = rows.map((r) => ({ id: r.id, p: pinyinText(sources.map((k) => r[k])) }));
    await sql`update ${t} as t set ${sql.ref(PINYIN_COLUMN)} = x.p from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as x(id uuid, p text)
      where t.id = x.id and t.${sql.ref(PINYIN_COLUMN)} is distinct from x.p`.execute(tx);
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * Start-up: workspaces whose published entities should have the column but
 * do not (published by an earlier version) get it, each under the publish
 * lock so no publish runs alongside.
 */
export async function upgradeSearchPinyin(db: Kysely<any>): Promise<void> {
  const workspaces = await db.selectFrom('crm.workspaces').select(['id', 'schema_name', 'published_revision']).where('published_revision', '>', 0).execute();
  for (const ws of workspaces) {
    await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`crm.publish:${ws.id}`}, 0))`.execute(tx);
      const docs = await tx.selectFrom('crm.metadata_documents').select('body').where('workspace_id', '=', ws.id)
        .where('revision', '=', sql`(select published_revision from crm.workspaces where id = ${ws.id})`).where('kind', '=', 'entity').execute();
      await syncSearchPinyin(tx, ws.schema_name as string, [], docs.map((d) => d.body as EntityDoc), { missingOnly: true });
    });
  }
}
