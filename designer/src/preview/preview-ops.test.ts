import { describe, expect, it } from 'vitest';
import type { UiField, UiLayout } from '@crm/ui';
import { expandable, fallbackLayout, listColumns, liveFields, recordTitle, ruleEffects, withoutHidden, withRequired, type PreviewEntity } from './preview-ops.js';

const opp: PreviewEntity = {
  key: 'opportunities',
  ownership: 'owned',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称' }, required: true },
    { key: 'account', type: 'relation', target: 'accounts', label: { 'zh-CN': '客户' } },
    { key: 'amount', type: 'currency', scale: 2, label: { 'zh-CN': '金额' } },
    { key: 'stage', type: 'select', label: { 'zh-CN': '阶段' }, options: [{ id: 'o1', key: 'open', label: { en: 'Open' } }, { id: 'o2', key: 'lost', label: { en: 'Lost' } }] },
    { key: 'loss_reason', type: 'textarea', label: { 'zh-CN': '丢单原因' } },
    { key: 'old', type: 'relation', target: 'x', label: { 'zh-CN': '旧' }, archived: true },
  ],
  rules: [
    { id: 'r1', kind: 'requiredIf', field: 'loss_reason', when: { '==': [{ var: 'stage' }, 'lost'] } },
    { id: 'r2', kind: 'visibleIf', field: 'loss_reason', when: { '==': [{ var: 'stage' }, 'lost'] } },
    { id: 'r3', kind: 'readOnlyIf', field: 'amount', when: { '==': [{ var: 'stage' }, 'lost'] } },
    { id: 'r4', kind: 'visibleIf', field: 'amount', when: { '==': [{ var: 'nope' }, 1] } },
    { id: 'r5', kind: 'validation', when: { '==': [{ var: 'stage' }, 'lost'] } },
  ],
};
const ctx = { now: new Date('2026-03-01T00:00:00Z'), timeZone: 'Asia/Shanghai' };

describe('rule effects', () => {
  it('hide, require and lock fields from the record state', () => {
    const open = ruleEffects(opp, { stage: 'open' }, ctx);
    expect([...open.hidden]).toEqual(['loss_reason']);
    expect(open.required.size + open.readOnly.size).toBe(0);
    const lost = ruleEffects(opp, { stage: 'lost' }, ctx);
    expect(lost.hidden.size).toBe(0);
    expect([...lost.required]).toEqual(['loss_reason']);
    expect([...lost.readOnly]).toEqual(['amount']);
  });

  it('ignore rules that do not validate, and report them', () => {
    expect(ruleEffects(opp, { stage: 'open' }, ctx).broken).toEqual(['r4']);
  });

  it('apply to the layout and the fields', () => {
    const layout: UiLayout = { tabs: [{ id: 't', label: { en: 'T' }, sections: [{ id: 's', columns: 2, items: [
      { kind: 'field', field: 'name' }, { kind: 'field', field: 'loss_reason' }, { kind: 'help', text: { en: 'x' } },
    ] }] }] };
    expect(withoutHidden(layout, new Set(['loss_reason'])).tabs[0]!.sections[0]!.items.map((i) => i.kind === 'field' ? i.field : i.kind)).toEqual(['name', 'help']);
    expect(withoutHidden(layout, new Set())).toBe(layout);
    const fields = withRequired(liveFields(opp), new Set(['loss_reason']));
    expect(fields.filter((f) => f.required).map((f) => f.key)).toEqual(['name', 'loss_reason']);
  });
});

describe('fields and columns', () => {
  it('leaves archived fields out', () => {
    expect(liveFields(opp).map((f) => f.key)).toEqual(['name', 'account', 'amount', 'stage', 'loss_reason']);
    expect(expandable(opp)).toEqual(['account']);
    expect(expandable(undefined)).toEqual([]);
  });

  it('uses the first list view of the entity, skipping unknown columns', () => {
    const fields = liveFields(opp);
    const views = [
      { id: 'vw_b', body: { entity: 'opportunities', type: 'list', columns: ['stage'] } },
      { id: 'vw_a', body: { entity: 'opportunities', type: 'list', columns: ['name', 'old', 'ghost', 'amount'] } },
      { id: 'vw_0', body: { entity: 'opportunities', type: 'kanban', columns: ['stage'] } },
      { id: 'vw_1', body: { entity: 'accounts', type: 'list', columns: ['name'] } },
    ];
    const cols = listColumns(views, 'opportunities', fields);
    expect(cols.view).toBe('vw_a');
    expect(cols.columns.map((f) => f.key)).toEqual(['name', 'amount']);
    expect(listColumns([], 'opportunities', fields)).toEqual({ view: null, columns: fields.slice(0, 6) });
  });

  it('falls back to every field in two columns, and names records by their title field', () => {
    const l = fallbackLayout(liveFields(opp) as UiField[]);
    expect(l.tabs[0]!.sections[0]!.columns).toBe(2);
    expect(l.tabs[0]!.sections[0]!.items).toHaveLength(5);
    expect(recordTitle({ id: 'u1', name: '大单' }, 'name')).toBe('大单');
    expect(recordTitle({ id: 'u1', name: null }, 'name')).toBe('u1');
  });
});
