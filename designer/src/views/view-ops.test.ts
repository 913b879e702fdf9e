import { describe, expect, it } from 'vitest';
import type { EntityBody, ViewBody } from '../model.js';
import {
  addCardField, addColumn, addSort, duplicateView, groupByFields, groupRecords, MAX_CARD_FIELDS, MAX_SORT, move, moveCardField,
  moveColumn, newView, previewQueries, removeColumn, removeSortAt, setFilter, setLabel, setRoles, setSortAt, sortKeys, sortParam,
} from './view-ops.js';

const opt = (key: string, active = true) => ({ id: `opt_${key}`, key, label: { 'zh-CN': key }, active });
const entity = (extra: Partial<EntityBody> = {}): EntityBody => ({
  id: 'ent_opp', key: 'opportunities', schemaVersion: 1, label: { 'zh-CN': '商机' }, titleField: 'name', ownership: 'owned',
  fields: [
    { id: 'fld_name', key: 'name', type: 'text', label: { 'zh-CN': '名称' } },
    { id: 'fld_notes', key: 'notes', type: 'richtext', label: { 'zh-CN': '备注' } },
    { id: 'fld_amount', key: 'amount', type: 'currency', label: { 'zh-CN': '金额' } },
    { id: 'fld_region', key: 'region', type: 'select', label: { 'zh-CN': '区域' }, options: [opt('east')] },
    { id: 'fld_stage', key: 'stage', type: 'select', pipeline: 'pl_sales', label: { 'zh-CN': '阶段' }, options: [opt('initial'), opt('old', false), opt('won')] },
    { id: 'fld_tags', key: 'tags', type: 'multiselect', label: { 'zh-CN': '标签' }, options: [opt('vip')] },
    { id: 'fld_gone', key: 'gone', type: 'date', label: { 'zh-CN': '旧字段' }, archived: true },
  ],
  ...extra,
} as EntityBody);

const list = (extra: Partial<ViewBody> = {}): ViewBody => ({
  id: 'vw_x', entity: 'opportunities', schemaVersion: 1, label: { 'zh-CN': '全部', en: 'All' }, type: 'list',
  columns: ['name', 'amount', 'stage'], sort: [{ field: 'amount', direction: 'desc' }], ...extra,
});

describe('sort keys', () => {
  it('offers sortable live fields and system columns, last activity only with activities', () => {
    expect(sortKeys(entity()).map((k) => k.key)).toEqual(['name', 'amount', 'region', 'stage', 'created_at', 'updated_at']);
    expect(sortKeys(entity({ hasActivities: true })).map((k) => k.key)).toContain('last_activity_at');
  });

  it('adds the first unused key, up to the schema maximum', () => {
    const keys = sortKeys(entity());
    expect(addSort(list(), keys).sort).toEqual([{ field: 'amount', direction: 'desc' }, { field: 'name', direction: 'asc' }]);
    let v = list({ sort: [] });
    for (let i = 0; i < MAX_SORT + 2; i++) v = addSort(v, keys);
    expect(v.sort).toHaveLength(MAX_SORT);
    expect(new Set(v.sort.map((s) => s.field)).size).toBe(MAX_SORT);
  });

  it('edits and removes one entry and builds the API parameter', () => {
    const v = setSortAt(addSort(list(), sortKeys(entity())), 1, { direction: 'desc' });
    expect(sortParam(v.sort)).toBe('-amount,-name');
    expect(sortParam(removeSortAt(v, 0).sort)).toBe('-name');
  });
});

describe('columns and card fields', () => {
  it('adds once, reorders and never removes the last column', () => {
    const v = addColumn(addColumn(list(), 'region'), 'region');
    expect(v.columns).toEqual(['name', 'amount', 'stage', 'region']);
    expect(moveColumn(v, 3, 0).columns).toEqual(['region', 'name', 'amount', 'stage']);
    expect(removeColumn(list({ columns: ['name'] }), 'name').columns).toEqual(['name']);
    expect(removeColumn(v, 'amount').columns).toEqual(['name', 'stage', 'region']);
  });

  it('keeps at most ten card fields', () => {
    let v = list({ type: 'kanban', groupBy: 'stage', cardFields: [] });
    for (let i = 0; i < MAX_CARD_FIELDS + 3; i++) v = addCardField(v, `f${i}`);
    expect(v.cardFields).toHaveLength(MAX_CARD_FIELDS);
    expect(moveCardField(v, 0, 2).cardFields!.slice(0, 3)).toEqual(['f1', 'f2', 'f0']);
  });

  it('ignores moves out of range', () => {
    expect(move(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });
});

describe('new and copied views', () => {
  it('starts a list with the title field first and skips archived and unshowable fields', () => {
    const v = newView({ id: 'vw_new', entity: entity(), type: 'list', label: { 'zh-CN': '新视图' } });
    expect(v.columns[0]).toBe('name');
    expect(v.columns).not.toContain('notes');
    expect(v.columns).not.toContain('gone');
    expect(v).not.toHaveProperty('groupBy');
  });

  it('groups a new kanban by the pipeline stage field', () => {
    expect(groupByFields(entity()).map((f) => f.key)).toEqual(['stage', 'region']);
    const v = newView({ id: 'vw_board', entity: entity(), type: 'kanban', label: { en: 'Board' } });
    expect(v.groupBy).toBe('stage');
    expect(v.cardFields).not.toContain('name');
    expect(v.cardFields).not.toContain('stage');
  });

  it('copies under a new id with a marked label and no shared arrays', () => {
    const src = list();
    const copy = duplicateView(src, 'vw_copy');
    expect(copy).toMatchObject({ id: 'vw_copy', label: { 'zh-CN': '全部（副本）', en: 'All (copy)' } });
    copy.columns.push('region');
    expect(src.columns).toHaveLength(3);
  });

  it('drops an emptied label language', () => {
    expect(setLabel(list(), 'en', ' ').label).toEqual({ 'zh-CN': '全部' });
  });
});

describe('filter and roles', () => {
  it('removes the filter and the roles when emptied', () => {
    const rule = { '==': [{ var: 'stage' }, 'won'] };
    expect(setFilter(list(), rule).filter).toEqual(rule);
    expect(setFilter(list({ filter: rule }), undefined)).not.toHaveProperty('filter');
    expect(setRoles(list(), ['sales_rep', 'sales_rep']).roles).toEqual(['sales_rep']);
    expect(setRoles(list({ roles: ['sales_rep'] }), [])).not.toHaveProperty('roles');
  });

  it('tries the filtered query first, then unfiltered, then unsorted', () => {
    const q = previewQueries(list({ filter: { '==': [{ var: 'stage' }, 'won'] } }), { expand: ['account'] });
    expect(q.map((x) => [x.filtered, x.sorted])).toEqual([[true, true], [false, true], [false, false]]);
    const first = new URLSearchParams(q[0]!.query);
    expect(JSON.parse(first.get('filter')!)).toEqual({ '==': [{ var: 'stage' }, 'won'] });
    expect(first.get('sort')).toBe('-amount');
    expect(first.get('expand')).toBe('account');
    expect(new URLSearchParams(q[1]!.query).has('filter')).toBe(false);
    expect(new URLSearchParams(q[2]!.query).has('sort')).toBe(false);
    expect(previewQueries(list({ sort: [] })).map((x) => x.query)).toEqual(['limit=20']);
  });
});

describe('kanban grouping', () => {
  it('puts cards under their option, shows inactive options only when used, and collects the rest', () => {
    const stage = entity().fields.find((f) => f.key === 'stage')!;
    const cols = groupRecords([{ stage: 'won' }, { stage: null }, { stage: 'initial' }, { stage: 'won' }], stage);
    expect(cols.map((c) => [c.key, c.records.length])).toEqual([['initial', 1], ['won', 2], [null, 1]]);
    expect(groupRecords([{ stage: 'old' }], stage).map((c) => c.key)).toEqual(['initial', 'old', 'won']);
  });
});
