import { describe, expect, it } from 'vitest';
import { toDocSet } from '../state/documents.js';
import { diffDocs } from './diff.js';

const ent = (fields: object[], extra: object = {}) => ({ kind: 'entity' as const, id: 'ent_a', body: { key: 'accounts', label: { 'zh-CN': '客户' }, fields, ...extra } });

describe('revision diff', () => {
  it('names added, archived, restored and changed fields with the settings that changed', () => {
    const from = toDocSet([ent([
      { id: 'f1', key: 'name', label: {}, type: 'text' },
      { id: 'f2', key: 'level', label: {}, type: 'select', options: [{ key: 'a' }] },
      { id: 'f3', key: 'fax', label: {}, type: 'text' },
      { id: 'f4', key: 'old', label: {}, type: 'text', archived: true },
    ])]);
    const to = toDocSet([ent([
      { id: 'f1', key: 'name', label: {}, type: 'text', required: true },
      { id: 'f2', key: 'level', label: {}, type: 'select', options: [{ key: 'a' }, { key: 'b' }] },
      { id: 'f3', key: 'fax', label: {}, type: 'text', archived: true },
      { id: 'f4', key: 'old', label: {}, type: 'text' },
      { id: 'f5', key: 'web', label: {}, type: 'url' },
    ], { titleField: 'name' })]);
    const [d] = diffDocs(from, to);
    expect(d).toMatchObject({ change: 'changed', parts: ['titleField'] });
    expect(d!.fields.map((f) => [f.key, f.change, f.settings])).toEqual([
      ['name', 'changed', ['required']], ['level', 'changed', ['options']], ['fax', 'archived', []], ['old', 'restored', []], ['web', 'added', []],
    ]);
  });

  it('lists documents added and removed, and nothing when equal', () => {
    const a = toDocSet([{ kind: 'view', id: 'v1', body: { label: { en: 'All' } } }]);
    const b = toDocSet([{ kind: 'layout', id: 'l1', body: { label: { en: 'Form' } } }]);
    expect(diffDocs(a, b).map((d) => [d.key, d.change])).toEqual([['layout/l1', 'added'], ['view/v1', 'removed']]);
    expect(diffDocs(a, a)).toEqual([]);
  });
});
