import { describe, expect, it } from 'vitest';
import { canonical, changes, rebase, toDocSet, withDoc } from './documents.js';

const e = (id: string, body: object) => ({ kind: 'entity' as const, id, body });

describe('document sets', () => {
  it('finds documents to put and delete, ignoring key order', () => {
    const a = toDocSet([e('x', { a: 1, b: 2 }), e('y', { n: 1 })]);
    const b = withDoc(withDoc(a, 'entity', 'x', { b: 2, a: 1 }), 'entity', 'y', null);
    const c = withDoc(b, 'layout', 'l', { tabs: [] });
    expect(changes(a, c).map((x) => [x.op, x.key])).toEqual([['put', 'layout/l'], ['delete', 'entity/y']]);
    expect(canonical({ b: [1, { d: 1, c: undefined }], a: 'x' })).toBe('{"a":"x","b":[1,{"d":1}]}');
  });

  it('rebases our unsaved edits onto theirs and reports documents both changed', () => {
    const base = toDocSet([e('x', { v: 0 }), e('y', { v: 0 }), e('z', { v: 0 })]);
    const ours = withDoc(withDoc(withDoc(base, 'entity', 'x', { v: 'ours' }), 'entity', 'y', { v: 'ours' }), 'entity', 'z', null);
    const theirs = withDoc(withDoc(base, 'entity', 'y', { v: 'theirs' }), 'entity', 'w', { v: 'new' });
    const { merged, conflicts } = rebase(base, ours, theirs);
    expect(conflicts).toEqual(['entity/y']);
    expect(merged['entity/x']!.body).toEqual({ v: 'ours' });
    expect(merged['entity/y']!.body).toEqual({ v: 'theirs' });
    expect(merged['entity/z']).toBeUndefined();
    expect(merged['entity/w']!.body).toEqual({ v: 'new' });
  });
});
