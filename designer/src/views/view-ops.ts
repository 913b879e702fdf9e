import { fieldTypes, isFieldType, SORTABLE_SYSTEM_COLUMNS } from '@crm/metadata';
import type { EntityBody, FieldBody, OptionBody, ViewBody } from '../model.js';

/**
 * Pure edits of a `view` document (list or kanban) and the helpers its
 * designer needs. Every function returns a new body; ids never change.
 */

export type SortEntry = ViewBody['sort'][number];
export type ViewType = ViewBody['type'];
type LabelText = { 'zh-CN'?: string; en?: string };

/** Limits of the view schema (packages/metadata/src/schemas/view.ts). */
export const MAX_SORT = 5;
export const MAX_CARD_FIELDS = 10;

/** Types whose value a list cell or a card line cannot show usefully. */
const NOT_FOR_COLUMNS = new Set(['richtext', 'file']);

export const liveFields = (e: EntityBody): FieldBody[] => (e.fields as FieldBody[]).filter((f) => !f.archived);

/** A key the view may sort by: a sortable live field, or a system column (with the label the designer shows). */
export interface SortKey { key: string; label: LabelText; system: boolean }

const SYSTEM_LABELS: Record<(typeof SORTABLE_SYSTEM_COLUMNS)[number], LabelText> = {
  created_at: { 'zh-CN': '创建时间', en: 'Created at' },
  updated_at: { 'zh-CN': '更新时间', en: 'Updated at' },
  last_activity_at: { 'zh-CN': '最近活动时间', en: 'Last activity' },
};

/** Mirrors the validator: `last_activity_at` exists only on entities that have activities. */
export function sortKeys(e: EntityBody): SortKey[] {
  const fields = liveFields(e)
    .filter((f) => isFieldType(f.type) && fieldTypes[f.type].sortable)
    .map((f) => ({ key: f.key, label: f.label, system: false }));
  const system = SORTABLE_SYSTEM_COLUMNS.filter((c) => c !== 'last_activity_at' || e.hasActivities)
    .map((c) => ({ key: c, label: SYSTEM_LABELS[c], system: true }));
  return [...fields, ...system];
}

/** Fields a kanban may group by (select fields); the pipeline's stage field first. */
export const groupByFields = (e: EntityBody): FieldBody[] =>
  liveFields(e).filter((f) => f.type === 'select').sort((a, b) => Number(!!b.pipeline) - Number(!!a.pipeline));

/** Fields that can be a column or a card line. */
export const columnFields = (e: EntityBody): FieldBody[] => liveFields(e).filter((f) => !NOT_FOR_COLUMNS.has(f.type));

/** Moves one element of a list (drag and drop); out-of-range moves leave the list as it is. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

/** A first view of a new kind: the title field and a few others, newest first; a kanban over the stage field. */
export function newView(p: { id: string; entity: EntityBody; type: ViewType; label: LabelText }): ViewBody {
  const fields = columnFields(p.entity);
  const title = fields.find((f) => f.key === p.entity.titleField);
  const columns = [...(title ? [title] : []), ...fields.filter((f) => f !== title)].slice(0, 5).map((f) => f.key);
  const base: ViewBody = {
    id: p.id, entity: p.entity.key, schemaVersion: 1, label: p.label, type: p.type,
    columns: columns.length ? columns : [p.entity.titleField],
    sort: [{ field: 'created_at', direction: 'desc' }],
  };
  if (p.type === 'list') return base;
  const group = groupByFields(p.entity)[0];
  return {
    ...base,
    ...(group ? { groupBy: group.key } : {}),
    cardFields: base.columns.filter((k) => k !== p.entity.titleField && k !== group?.key).slice(0, 3),
  };
}

/** A copy under a new id; labels say it is a copy so the two can be told apart in the list. */
export function duplicateView(v: ViewBody, id: string): ViewBody {
  const label: LabelText = {};
  if (v.label['zh-CN']) label['zh-CN'] = `${v.label['zh-CN']}（副本）`.slice(0, 200);
  if (v.label.en) label.en = `${v.label.en} (copy)`.slice(0, 200);
  return { ...structuredClone(v), id, label };
}

export function setLabel(v: ViewBody, lang: 'zh-CN' | 'en', text: string): ViewBody {
  const label: LabelText = { ...v.label };
  if (text.trim()) label[lang] = text;
  else delete label[lang];
  return { ...v, label };
}

export const addColumn = (v: ViewBody, key: string): ViewBody => (v.columns.includes(key) ? v : { ...v, columns: [...v.columns, key] });
/** The schema wants at least one column: the last one stays. */
export const removeColumn = (v: ViewBody, key: string): ViewBody =>
  v.columns.length <= 1 ? v : { ...v, columns: v.columns.filter((c) => c !== key) };
export const moveColumn = (v: ViewBody, from: number, to: number): ViewBody => ({ ...v, columns: move(v.columns, from, to) });

/** Adds the first sort key not used yet (ascending); nothing beyond the schema's maximum. */
export function addSort(v: ViewBody, keys: readonly SortKey[]): ViewBody {
  if (v.sort.length >= MAX_SORT) return v;
  const free = keys.find((k) => !v.sort.some((s) => s.field === k.key));
  return free ? { ...v, sort: [...v.sort, { field: free.key, direction: 'asc' }] } : v;
}
export const setSortAt = (v: ViewBody, i: number, patch: Partial<SortEntry>): ViewBody =>
  ({ ...v, sort: v.sort.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
export const removeSortAt = (v: ViewBody, i: number): ViewBody => ({ ...v, sort: v.sort.filter((_, j) => j !== i) });
export const moveSort = (v: ViewBody, from: number, to: number): ViewBody => ({ ...v, sort: move(v.sort, from, to) });

/** `undefined` (the builder's "no condition") removes the filter. */
export function setFilter(v: ViewBody, logic: unknown): ViewBody {
  const { filter: _old, ...rest } = v;
  return logic === undefined || logic === null ? rest : { ...rest, filter: logic as Record<string, unknown> };
}

/** No roles means everyone sees the view, so an empty choice removes the property. */
export function setRoles(v: ViewBody, roles: readonly string[]): ViewBody {
  const { roles: _old, ...rest } = v;
  return roles.length ? { ...rest, roles: [...new Set(roles)] } : rest;
}

export const setGroupBy = (v: ViewBody, key: string): ViewBody => ({ ...v, groupBy: key });

export function addCardField(v: ViewBody, key: string): ViewBody {
  const cur = v.cardFields ?? [];
  return cur.includes(key) || cur.length >= MAX_CARD_FIELDS ? v : { ...v, cardFields: [...cur, key] };
}
export const removeCardField = (v: ViewBody, key: string): ViewBody => ({ ...v, cardFields: (v.cardFields ?? []).filter((k) => k !== key) });
export const moveCardField = (v: ViewBody, from: number, to: number): ViewBody => ({ ...v, cardFields: move(v.cardFields ?? [], from, to) });

/** The records API's sort parameter: `-amount,name`. */
export const sortParam = (sort: readonly SortEntry[]): string => sort.map((s) => `${s.direction === 'desc' ? '-' : ''}${s.field}`).join(',');

/**
 * Query strings for the preview, best first: with the view's sort and draft
 * filter, then without the filter, then unsorted. The records API serves the
 * published entity, which may not know a field the draft names; it answers
 * 400 and the preview tries the next one.
 */
export function previewQueries(v: ViewBody, extra: { limit?: number; expand?: readonly string[] } = {}): { query: string; filtered: boolean; sorted: boolean }[] {
  const make = (filtered: boolean, sorted: boolean) => {
    const q = new URLSearchParams({ limit: String(extra.limit ?? 20) });
    if (sorted) q.set('sort', sortParam(v.sort));
    if (filtered) q.set('filter', JSON.stringify(v.filter));
    if (extra.expand?.length) q.set('expand', extra.expand.join(','));
    return { query: q.toString(), filtered, sorted };
  };
  const sorted = v.sort.length > 0;
  return [
    ...(v.filter ? [make(true, sorted)] : []),
    make(false, sorted),
    ...(sorted ? [make(false, false)] : []),
  ];
}

export type Rec = Record<string, unknown>;
export interface KanbanColumn { key: string | null; option?: OptionBody; records: Rec[] }

/**
 * Cards per column of the group-by field: active options in order, inactive
 * ones only while records still hold them, and "no value" when some are empty.
 */
export function groupRecords(records: readonly Rec[], field: Pick<FieldBody, 'key' | 'options'>): KanbanColumn[] {
  const options = field.options ?? [];
  const by = new Map<string | null, Rec[]>();
  for (const r of records) {
    const raw = r[field.key];
    const k = typeof raw === 'string' && options.some((o) => o.key === raw) ? raw : null;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const cols: KanbanColumn[] = options
    .filter((o) => o.active !== false || by.has(o.key))
    .map((o) => ({ key: o.key, option: o, records: by.get(o.key) ?? [] }));
  if (by.has(null)) cols.push({ key: null, records: by.get(null)! });
  return cols;
}
