import { canonical, changes, type DocSet } from '../state/documents.js';

type Label = { 'zh-CN'?: string; en?: string } | undefined;
export interface FieldDiff { id: string; key: string; label: Label; change: 'added' | 'removed' | 'archived' | 'restored' | 'changed'; settings: string[] }
export interface DocDiff { key: string; kind: string; id: string; label: Label; change: 'added' | 'removed' | 'changed'; fields: FieldDiff[]; parts: string[] }

const labelOfBody = (b: Record<string, unknown> | undefined): Label => (b?.label as Label) ?? (b?.key ? { en: String(b.key) } : undefined);

/**
 * What changed between two sets of documents, in terms a designer reads:
 * per document added / removed / changed, for entities per field (added,
 * archived, restored, which settings), for others the top-level parts.
 */
export function diffDocs(from: DocSet, to: DocSet): DocDiff[] {
  return changes(from, to).map((c): DocDiff => {
    const before = from[c.key]?.body as Record<string, unknown> | undefined;
    const after = c.op === 'put' ? (c.doc.body as Record<string, unknown>) : undefined;
    const base = { key: c.key, kind: c.doc.kind, id: c.doc.id, label: labelOfBody(after ?? before) };
    if (!before) return { ...base, change: 'added', fields: [], parts: [] };
    if (!after) return { ...base, change: 'removed', fields: [], parts: [] };
    const parts = Object.keys({ ...before, ...after }).filter((k) => k !== 'fields' && canonical(before[k]) !== canonical(after[k]));
    return { ...base, change: 'changed', fields: c.doc.kind === 'entity' ? fieldDiffs(before.fields, after.fields) : [], parts };
  }).sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
}

type F = Record<string, unknown> & { id: string; key: string };
function fieldDiffs(a: unknown, b: unknown): FieldDiff[] {
  const before = new Map((Array.isArray(a) ? (a as F[]) : []).map((f) => [f.id, f]));
  const after = Array.isArray(b) ? (b as F[]) : [];
  const out: FieldDiff[] = [];
  for (const f of after) {
    const old = before.get(f.id);
    const d = { id: f.id, key: f.key, label: f.label as Label };
    if (!old) { out.push({ ...d, change: 'added', settings: [] }); continue; }
    before.delete(f.id);
    if (!old.archived && f.archived) { out.push({ ...d, change: 'archived', settings: [] }); continue; }
    if (old.archived && !f.archived) { out.push({ ...d, change: 'restored', settings: [] }); continue; }
    const settings = Object.keys({ ...old, ...f }).filter((k) => canonical(old[k]) !== canonical(f[k]));
    if (settings.length) out.push({ ...d, change: 'changed', settings });
  }
  for (const f of before.values()) out.push({ id: f.id, key: f.key, label: f.label as Label, change: 'removed', settings: [] });
  return out;
}
