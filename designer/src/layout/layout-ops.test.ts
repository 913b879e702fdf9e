import { describe, expect, it } from 'vitest';
import type { EntityRule, Layout } from '@crm/metadata';
import {
  addSection, addTab, applyDrop, canRemoveTab, clampColumns, conditionalRule, findItem, itemUids, moveItem, moveItemToTab, newLayout,
  newSection, placeField, placedFields, relatedChoices, removeItem, removeSection, removeTab, renameTab, setColumns, setConditionalRule,
  setHelpText, setSectionLabel, setSpan, shiftSection, shiftTab, stalePlacements, unplacedFields, unplacedRelated,
} from './layout-ops.js';

const f = (field: string, span?: number) => ({ kind: 'field' as const, field, ...(span ? { span } : {}) });
const keys = (layout: Layout, sectionId: string) =>
  layout.tabs.flatMap((t) => t.sections).find((s) => s.id === sectionId)!.items.map((i) => (i.kind === 'field' ? i.field : i.kind));

const base = (): Layout => ({
  id: 'lay_opp', entity: 'opportunities', schemaVersion: 1, label: { 'zh-CN': '商机表单' },
  tabs: [
    { id: 'tab_main', label: { 'zh-CN': '详情', en: 'Details' }, sections: [
      { id: 'sec_a', label: { 'zh-CN': '基本' }, columns: 2, items: [f('name'), f('account'), f('amount', 2), f('stage')] },
      { id: 'sec_b', columns: 1, items: [f('loss_reason')] },
    ] },
    { id: 'tab_more', label: { 'zh-CN': '更多' }, sections: [] },
  ],
});

const fields = [
  { key: 'name', type: 'text', label: { 'zh-CN': '名称' } },
  { key: 'account', type: 'relation', target: 'accounts', label: { 'zh-CN': '客户' } },
  { key: 'amount', type: 'currency', label: { 'zh-CN': '金额' } },
  { key: 'stage', type: 'select', label: { 'zh-CN': '阶段' } },
  { key: 'loss_reason', type: 'textarea', label: { 'zh-CN': '丢单原因' } },
  { key: 'region', type: 'select', label: { 'zh-CN': '区域' } },
  { key: 'old_code', type: 'text', label: { 'zh-CN': '旧编码' }, archived: true },
];

describe('palette', () => {
  it('lists live fields that no section shows, in entity order', () => {
    expect(unplacedFields(fields, base()).map((x) => x.key)).toEqual(['region']);
    expect(unplacedFields(fields, removeSection(base(), 'sec_b')).map((x) => x.key)).toEqual(['loss_reason', 'region']);
  });

  it('marks placed fields that are archived or unknown', () => {
    const l = placeField(placeField(base(), 'old_code', 'sec_b'), 'ghost', 'sec_b');
    expect(stalePlacements(l, fields)).toEqual([{ field: 'old_code', reason: 'archived' }, { field: 'ghost', reason: 'unknown' }]);
    expect(stalePlacements(base(), fields)).toEqual([]);
  });

  it('offers related lists from relation fields that target the entity, once each', () => {
    const entities = [
      { key: 'tasks', label: { 'zh-CN': '任务' }, fields: [{ key: 'opportunity', type: 'relation', target: 'opportunities', label: { 'zh-CN': '商机' } }] },
      { key: 'quotes', label: { 'zh-CN': '报价' }, fields: [
        { key: 'opportunity', type: 'relation', target: 'opportunities', label: { 'zh-CN': '商机' } },
        { key: 'old_opp', type: 'relation', target: 'opportunities', label: { 'zh-CN': '旧' }, archived: true },
        { key: 'account', type: 'relation', target: 'accounts', label: { 'zh-CN': '客户' } },
      ] },
    ];
    const choices = relatedChoices(entities, 'opportunities');
    expect(choices.map((c) => `${c.entity}.${c.field}`)).toEqual(['tasks.opportunity', 'quotes.opportunity']);
    const l = applyDrop(base(), { kind: 'new', item: { kind: 'relatedList', entity: 'tasks', field: 'opportunity' } }, { kind: 'section', sectionId: 'sec_b' }, () => 'x')!;
    expect(unplacedRelated(l, choices).map((c) => c.entity)).toEqual(['quotes']);
  });
});

describe('items', () => {
  it('reorders within a section like arrayMove', () => {
    expect(keys(moveItem(base(), { sectionId: 'sec_a', index: 0 }, { sectionId: 'sec_a', index: 2 }), 'sec_a')).toEqual(['account', 'amount', 'name', 'stage']);
    expect(keys(moveItem(base(), { sectionId: 'sec_a', index: 3 }, { sectionId: 'sec_a', index: 0 }), 'sec_a')).toEqual(['stage', 'name', 'account', 'amount']);
    expect(keys(moveItem(base(), { sectionId: 'sec_a', index: 1 }, { sectionId: 'sec_a', index: 99 }), 'sec_a')).toEqual(['name', 'amount', 'stage', 'account']);
  });

  it('returns the same layout for a move to where the item already is', () => {
    const l = base();
    expect(moveItem(l, { sectionId: 'sec_a', index: 1 }, { sectionId: 'sec_a', index: 1 })).toBe(l);
    expect(applyDrop(l, { kind: 'item', uid: 'field:account' }, { kind: 'item', uid: 'field:account' }, () => 'x')).toBeNull();
  });

  it('moves across sections, before the item at the index, narrowing the span', () => {
    const l = moveItem(base(), { sectionId: 'sec_a', index: 2 }, { sectionId: 'sec_b', index: 0 });
    expect(keys(l, 'sec_a')).toEqual(['name', 'account', 'stage']);
    expect(keys(l, 'sec_b')).toEqual(['amount', 'loss_reason']);
    // sec_b has one column: a span of 2 is meaningless there and is dropped.
    expect(l.tabs[0]!.sections[1]!.items[0]).toEqual({ kind: 'field', field: 'amount' });
  });

  it('places a field once: placing a placed field moves it', () => {
    const l = placeField(base(), 'name', 'sec_b');
    expect(keys(l, 'sec_a')).toEqual(['account', 'amount', 'stage']);
    expect(keys(l, 'sec_b')).toEqual(['loss_reason', 'name']);
    expect(keys(placeField(base(), 'region', 'sec_a', 1), 'sec_a')).toEqual(['name', 'region', 'account', 'amount', 'stage']);
  });

  it('keeps section and tab ids and leaves the input untouched', () => {
    const l = base();
    const copy = JSON.parse(JSON.stringify(l));
    const next = moveItem(l, { sectionId: 'sec_a', index: 0 }, { sectionId: 'sec_b', index: 1 });
    expect(l).toEqual(copy);
    expect(next.tabs.map((t) => [t.id, t.sections.map((s) => s.id)])).toEqual([['tab_main', ['sec_a', 'sec_b']], ['tab_more', []]]);
  });

  it('removes an item (back to the palette)', () => {
    const l = removeItem(base(), { sectionId: 'sec_a', index: 1 });
    expect(keys(l, 'sec_a')).toEqual(['name', 'amount', 'stage']);
    expect(placedFields(l).has('account')).toBe(false);
  });

  it('clamps spans to the section columns and does not store 1', () => {
    const at = { sectionId: 'sec_a', index: 0 };
    expect(setSpan(base(), at, 2).tabs[0]!.sections[0]!.items[0]).toEqual(f('name', 2));
    expect(setSpan(base(), at, 4).tabs[0]!.sections[0]!.items[0]).toEqual(f('name', 2));
    expect(setSpan(base(), { sectionId: 'sec_a', index: 2 }, 1).tabs[0]!.sections[0]!.items[2]).toEqual(f('amount'));
  });

  it('edits a help block in one language, keeping the other', () => {
    const l = applyDrop(base(), { kind: 'new', item: { kind: 'help', text: { 'zh-CN': '说明' } } }, { kind: 'item', uid: 'field:name' }, () => 'x')!;
    expect(keys(l, 'sec_a')[0]).toBe('help');
    const pos = findItem(l, 'help:sec_a:0')!;
    expect(pos).toEqual({ sectionId: 'sec_a', index: 0 });
    const next = setHelpText(l, pos, 'en', 'Notes');
    expect(next.tabs[0]!.sections[0]!.items[0]).toEqual({ kind: 'help', text: { 'zh-CN': '说明', en: 'Notes' } });
  });
});

describe('item uids', () => {
  it('name fields by key, related lists by entity.field, help blocks by rank, repeats with #n', () => {
    expect(itemUids({ id: 's', columns: 1, items: [
      f('name'), { kind: 'help', text: { en: 'a' } }, { kind: 'relatedList', entity: 'tasks', field: 'opportunity' }, { kind: 'help', text: { en: 'b' } }, f('name'),
    ] })).toEqual(['field:name', 'help:s:0', 'related:tasks.opportunity', 'help:s:1', 'field:name#1']);
  });

  it('follow a field across a move', () => {
    const l = moveItem(base(), { sectionId: 'sec_a', index: 3 }, { sectionId: 'sec_b', index: 0 });
    expect(findItem(l, 'field:stage')).toEqual({ sectionId: 'sec_b', index: 0 });
    expect(findItem(l, 'field:nope')).toBeNull();
  });
});

describe('drops', () => {
  const id = () => 'sec_new';

  it('palette field -> section end, or before / after the item it is over', () => {
    const src = { kind: 'new' as const, item: f('region') };
    expect(keys(applyDrop(base(), src, { kind: 'section', sectionId: 'sec_b' }, id)!, 'sec_b')).toEqual(['loss_reason', 'region']);
    expect(keys(applyDrop(base(), src, { kind: 'item', uid: 'field:account' }, id)!, 'sec_a')).toEqual(['name', 'region', 'account', 'amount', 'stage']);
    expect(keys(applyDrop(base(), src, { kind: 'item', uid: 'field:account', after: true }, id)!, 'sec_a')).toEqual(['name', 'account', 'region', 'amount', 'stage']);
    expect(applyDrop(base(), src, { kind: 'palette' }, id)).toBeNull();
  });

  it('reorders within a section onto another item', () => {
    const l = applyDrop(base(), { kind: 'item', uid: 'field:name' }, { kind: 'item', uid: 'field:stage' }, id)!;
    expect(keys(l, 'sec_a')).toEqual(['account', 'amount', 'stage', 'name']);
    const end = applyDrop(base(), { kind: 'item', uid: 'field:name' }, { kind: 'section', sectionId: 'sec_a' }, id)!;
    expect(keys(end, 'sec_a')).toEqual(['account', 'amount', 'stage', 'name']);
  });

  it('moves across sections onto an item or a section', () => {
    const onItem = applyDrop(base(), { kind: 'item', uid: 'field:account' }, { kind: 'item', uid: 'field:loss_reason', after: true }, id)!;
    expect(keys(onItem, 'sec_b')).toEqual(['loss_reason', 'account']);
    expect(keys(onItem, 'sec_a')).toEqual(['name', 'amount', 'stage']);
    const onSection = applyDrop(base(), { kind: 'item', uid: 'field:loss_reason' }, { kind: 'section', sectionId: 'sec_a' }, id)!;
    expect(keys(onSection, 'sec_a')).toEqual(['name', 'account', 'amount', 'stage', 'loss_reason']);
    expect(keys(onSection, 'sec_b')).toEqual([]);
  });

  it('moves to another tab through its header, creating its first section when it has none', () => {
    const l = applyDrop(base(), { kind: 'item', uid: 'field:stage' }, { kind: 'tab', tabId: 'tab_more' }, id)!;
    expect(l.tabs[1]!.sections).toEqual([{ id: 'sec_new', columns: 2, items: [f('stage')] }]);
    expect(keys(l, 'sec_a')).toEqual(['name', 'account', 'amount']);
    // Dropping on the tab it is already in changes nothing.
    expect(applyDrop(base(), { kind: 'item', uid: 'field:stage' }, { kind: 'tab', tabId: 'tab_main' }, id)).toBeNull();
    const withSection = addSection(base(), 'tab_more', newSection('sec_x', 3));
    expect(keys(moveItemToTab(withSection, { sectionId: 'sec_a', index: 0 }, 'tab_more', 'unused'), 'sec_x')).toEqual(['name']);
  });

  it('drops an item on the palette to remove it', () => {
    const l = applyDrop(base(), { kind: 'item', uid: 'field:amount' }, { kind: 'palette' }, id)!;
    expect(unplacedFields(fields, l).map((x) => x.key)).toEqual(['amount', 'region']);
  });

  it('a section block creates a section after the one it is dropped on, or at the end of a tab', () => {
    const l = applyDrop(base(), { kind: 'newSection' }, { kind: 'item', uid: 'field:name' }, id)!;
    expect(l.tabs[0]!.sections.map((s) => s.id)).toEqual(['sec_a', 'sec_new', 'sec_b']);
    const t = applyDrop(base(), { kind: 'newSection' }, { kind: 'tab', tabId: 'tab_more' }, id)!;
    expect(t.tabs[1]!.sections.map((s) => s.id)).toEqual(['sec_new']);
  });
});

describe('sections', () => {
  it('clamps columns to 1–4 and narrows spans', () => {
    expect([0, 1, 2.4, 4, 9, Number.NaN].map(clampColumns)).toEqual([1, 1, 2, 4, 4, 1]);
    const l = setColumns(base(), 'sec_a', 1);
    expect(l.tabs[0]!.sections[0]!.columns).toBe(1);
    expect(l.tabs[0]!.sections[0]!.items[2]).toEqual(f('amount'));
    expect(setColumns(base(), 'sec_a', 7).tabs[0]!.sections[0]!.columns).toBe(4);
  });

  it('reorders sections within their tab, clamped', () => {
    expect(shiftSection(base(), 'sec_a', 1).tabs[0]!.sections.map((s) => s.id)).toEqual(['sec_b', 'sec_a']);
    const l = base();
    expect(shiftSection(l, 'sec_a', -1)).toBe(l);
  });

  it('sets and clears a section label per language', () => {
    const l = setSectionLabel(base(), 'sec_a', 'en', 'Basics');
    expect(l.tabs[0]!.sections[0]!.label).toEqual({ 'zh-CN': '基本', en: 'Basics' });
    const cleared = setSectionLabel(l, 'sec_a', 'zh-CN', '');
    expect(cleared.tabs[0]!.sections[0]!.label).toEqual({ en: 'Basics' });
    expect('label' in setSectionLabel(cleared, 'sec_a', 'en', '  ').tabs[0]!.sections[0]!).toBe(false);
  });
});

describe('tabs', () => {
  it('adds, renames, reorders', () => {
    let l = addTab(base(), { id: 'tab_x', label: { 'zh-CN': '新' }, sections: [] }, 1);
    expect(l.tabs.map((t) => t.id)).toEqual(['tab_main', 'tab_x', 'tab_more']);
    l = renameTab(l, 'tab_x', 'en', 'New');
    expect(l.tabs[1]!.label).toEqual({ 'zh-CN': '新', en: 'New' });
    expect(shiftTab(l, 'tab_x', -1).tabs.map((t) => t.id)).toEqual(['tab_x', 'tab_main', 'tab_more']);
  });

  it('removes only an empty tab, never the last one', () => {
    expect(canRemoveTab(base(), 'tab_main')).toBe(false);
    expect(removeTab(base(), 'tab_more').tabs.map((t) => t.id)).toEqual(['tab_main']);
    const emptySections = addSection(base(), 'tab_more', newSection('sec_e'));
    expect(canRemoveTab(emptySections, 'tab_more')).toBe(true);
    const only = removeTab(base(), 'tab_more');
    expect(removeTab(only, 'tab_main')).toBe(only);
  });
});

describe('new layout', () => {
  it('puts every live field in one section, with the given ids', () => {
    const l = newLayout({ key: 'opportunities', label: { 'zh-CN': '商机', en: 'Opportunity' }, fields }, { layout: 'lay_opportunities', tab: 'tab_1', section: 'sec_1' });
    expect(l.id).toBe('lay_opportunities');
    expect(l.entity).toBe('opportunities');
    expect(l.label).toEqual({ 'zh-CN': '商机表单', en: 'Opportunity form' });
    expect(l.tabs).toHaveLength(1);
    expect(l.tabs[0]!.id).toBe('tab_1');
    expect(l.tabs[0]!.sections[0]!.id).toBe('sec_1');
    expect(keys(l, 'sec_1')).toEqual(['name', 'account', 'amount', 'stage', 'loss_reason', 'region']);
  });
});

describe('conditional rules', () => {
  const rules: EntityRule[] = [
    { id: 'rul_loss', kind: 'requiredIf', field: 'loss_reason', when: { '==': [{ var: 'stage' }, 'lost'] } },
    { id: 'rul_val', kind: 'validation', assert: { '!': [{ isEmpty: [{ var: 'name' }] }] }, message: { en: 'x' } },
  ];
  const when = { '==': [{ var: 'stage' }, 'won'] };

  it('finds the rule of a kind for a field', () => {
    expect(conditionalRule(rules, 'requiredIf', 'loss_reason')?.id).toBe('rul_loss');
    expect(conditionalRule(rules, 'visibleIf', 'loss_reason')).toBeUndefined();
  });

  it('creates with the new id, updates in place keeping the id, removes on undefined', () => {
    const created = setConditionalRule(rules, 'visibleIf', 'loss_reason', when, 'rul_new');
    expect(created).toHaveLength(3);
    expect(created[2]).toEqual({ id: 'rul_new', kind: 'visibleIf', field: 'loss_reason', when });
    const updated = setConditionalRule(rules, 'requiredIf', 'loss_reason', when, 'rul_unused');
    expect(updated[0]).toEqual({ id: 'rul_loss', kind: 'requiredIf', field: 'loss_reason', when });
    expect(updated[1]).toBe(rules[1]);
    expect(setConditionalRule(rules, 'requiredIf', 'loss_reason', undefined, 'x').map((r) => r.id)).toEqual(['rul_val']);
    expect(setConditionalRule(rules, 'readOnlyIf', 'name', undefined, 'x')).toEqual(rules);
  });
});
