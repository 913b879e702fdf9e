import { describe, expect, it } from 'vitest';
import type { EntityBody } from '../model.js';
import { toDocSet } from '../state/documents.js';
import { addFieldWithPlacement, insertField, moveField, newField, patchField, removeField, renameKeyEverywhere, takeFieldOutOfUse, takenKeys, uniqueKey } from './field-ops.js';

const entity = (): EntityBody => ({
  id: 'ent_comp', key: 'competitors', schemaVersion: 1, label: { 'zh-CN': '竞品' }, titleField: 'name', ownership: 'owned',
  fields: [
    { id: 'f1', key: 'name', type: 'text', label: { 'zh-CN': '名称' } },
    { id: 'f2', key: 'hq', type: 'address', label: { 'zh-CN': '总部' } },
    { id: 'f3', key: 'level', type: 'select', label: { 'zh-CN': '威胁' }, options: [] },
  ],
  rules: [{ id: 'r1', kind: 'requiredIf', field: 'level', when: { '==': [{ var: 'name' }, 'x'] } }],
});

describe('field operations', () => {
  it('reorders by drag: the dragged field takes the place of the one dropped on', () => {
    const e = entity();
    expect(moveField(e, 'f3', 'f1').fields.map((f) => f.id)).toEqual(['f3', 'f1', 'f2']);
    expect(moveField(e, 'f1', 'f3').fields.map((f) => f.id)).toEqual(['f2', 'f3', 'f1']);
    expect(moveField(e, 'f1', 'nope')).toBe(e);
    expect(e.fields.map((f) => f.id)).toEqual(['f1', 'f2', 'f3']);
  });

  it('inserts a dropped palette type at the drop position with a fresh, unused key', () => {
    const e = entity();
    const f = newField('select', e, { entities: [e], lang: 'zh-CN' });
    expect(f.options).toHaveLength(2);
    expect(takenKeys(e).has(f.key)).toBe(false);
    const next = insertField(e, f, 1);
    expect(next.fields.map((x) => x.id)).toEqual(['f1', f.id, 'f2', 'f3']);
    expect(insertField(e, f, 99).fields.at(-1)!.id).toBe(f.id);
  });

  it('never proposes a key taken by a field or by an address column', () => {
    const taken = takenKeys(entity());
    expect(taken.has('hq_city')).toBe(true);
    expect(uniqueKey('name', 'fld_abc', taken)).toBe('name_2');
    expect(uniqueKey('客户等级', 'fld_abc', taken)).toBe('ke_hu_deng_ji');
  });

  it('archives a published field (values kept) and drops a draft-only one with its rules', () => {
    const e = entity();
    const archived = removeField(e, 'f3', true);
    expect(archived.fields.find((f) => f.id === 'f3')!.archived).toBe(true);
    expect(archived.rules).toHaveLength(1);
    const dropped = removeField(e, 'f3', false);
    expect(dropped.fields.map((f) => f.id)).toEqual(['f1', 'f2']);
    expect(dropped.rules).toEqual([]);
  });

  it('patching with undefined removes the setting', () => {
    const e = patchField(entity(), 'f1', { required: true, help: undefined });
    expect(e.fields[0]).toEqual({ id: 'f1', key: 'name', type: 'text', label: { 'zh-CN': '名称' }, required: true });
    expect('required' in patchField(e, 'f1', { required: undefined }).fields[0]!).toBe(false);
  });

  it('takes an archived field off forms, views and gates in the same step, leaving other entities alone', () => {
    const docs = toDocSet([
      { kind: 'entity', id: 'ent_comp', body: entity() },
      { kind: 'layout', id: 'lay', body: { entity: 'competitors', tabs: [{ id: 't', sections: [{ id: 's', columns: 2, items: [{ kind: 'field', field: 'name' }, { kind: 'field', field: 'level' }] }] }] } },
      { kind: 'view', id: 'v', body: { entity: 'competitors', type: 'kanban', columns: ['level'], sort: [{ field: 'level', direction: 'asc' }], groupBy: 'level', cardFields: ['name', 'level'] } },
      { kind: 'pipeline', id: 'p', body: { entity: 'competitors', field: 'x', stages: [{ id: 's1', key: 'a', probability: 0, gate: { requiredFields: ['level'] } }, { id: 's2', key: 'b', probability: 9, gate: { requiredFields: ['level', 'name'] } }] } },
      { kind: 'view', id: 'other', body: { entity: 'accounts', type: 'list', columns: ['level'], sort: [] } },
    ]);
    const next = takeFieldOutOfUse(docs, 'ent_comp', 'f3', true);
    expect((next['entity/ent_comp']!.body as EntityBody).fields[2]!.archived).toBe(true);
    expect(next['layout/lay']!.body.tabs[0].sections[0].items).toEqual([{ kind: 'field', field: 'name' }]);
    expect(next['view/v']!.body).toEqual({ entity: 'competitors', type: 'kanban', columns: ['name'], sort: [], cardFields: ['name'] });
    expect(next['pipeline/p']!.body.stages).toEqual([{ id: 's1', key: 'a', probability: 0 }, { id: 's2', key: 'b', probability: 9, gate: { requiredFields: ['name'] } }]);
    expect(next['view/other']).toBe(docs['view/other']);
    expect(takeFieldOutOfUse(docs, 'ent_comp', 'nope', true)).toBe(docs);
  });

  it('places a new field at the end of the form and renames its key everywhere while unpublished', () => {
    const docs = toDocSet([
      { kind: 'entity', id: 'ent_comp', body: entity() },
      { kind: 'layout', id: 'lay', body: { entity: 'competitors', tabs: [{ id: 't', sections: [{ id: 's1', columns: 2, items: [] }, { id: 's2', columns: 1, items: [{ kind: 'field', field: 'name' }] }] }] } },
      { kind: 'view', id: 'v', body: { entity: 'competitors', type: 'list', columns: ['name'], sort: [], filter: { '==': [{ var: 'new_url' }, 'x'] } } },
    ]);
    const f = { id: 'f9', key: 'new_url', type: 'url' as const, label: { en: 'New url' } };
    const added = addFieldWithPlacement(docs, 'ent_comp', f);
    expect(added['layout/lay']!.body.tabs[0].sections[1].items).toEqual([{ kind: 'field', field: 'name' }, { kind: 'field', field: 'new_url' }]);
    const renamed = renameKeyEverywhere(added, 'ent_comp', 'new_url', 'website');
    expect((renamed['entity/ent_comp']!.body as EntityBody).fields.at(-1)!.key).toBe('website');
    expect(renamed['layout/lay']!.body.tabs[0].sections[1].items[1]).toEqual({ kind: 'field', field: 'website' });
    expect(renamed['view/v']!.body.filter).toEqual({ '==': [{ var: 'website' }, 'x'] });
    expect((renamed['entity/ent_comp']!.body as EntityBody).rules[0]).toEqual(entity().rules[0]);
  });
});
