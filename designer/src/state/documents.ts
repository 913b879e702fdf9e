import type { DocumentKind } from '@crm/metadata';

/** A metadata document as the draft API returns it. */
export interface Doc<B = any> {
  kind: DocumentKind;
  id: string;
  body: B;
}

/** The workspace's documents keyed `kind/id`; immutable: every edit makes a new set. */
export type DocSet = Readonly<Record<string, Doc>>;

export const docKey = (kind: string, id: string): string => `${kind}/${id}`;

export const toDocSet = (docs: readonly Doc[]): DocSet => Object.fromEntries(docs.map((d) => [docKey(d.kind, d.id), d]));

export const docsOf = <B = any>(set: DocSet, kind: DocumentKind): Doc<B>[] =>
  Object.values(set).filter((d) => d.kind === kind).sort((a, b) => a.id.localeCompare(b.id)) as Doc<B>[];

/** Stable JSON (sorted object keys) so that two equal bodies compare equal whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export type Change = { key: string; op: 'put'; doc: Doc } | { key: string; op: 'delete'; doc: Doc };

/** What turns `from` into `to`: documents to PUT (new or changed) and to DELETE. */
export function changes(from: DocSet, to: DocSet): Change[] {
  const out: Change[] = [];
  for (const [key, doc] of Object.entries(to)) {
    const before = from[key];
    if (!before || before.body !== doc.body && canonical(before.body) !== canonical(doc.body)) out.push({ key, op: 'put', doc });
  }
  for (const [key, doc] of Object.entries(from)) if (!to[key]) out.push({ key, op: 'delete', doc });
  return out;
}

/** Sets one document (or removes it with `null`), keeping every other one by reference. */
export function withDoc(set: DocSet, kind: DocumentKind, id: string, body: unknown | null): DocSet {
  const key = docKey(kind, id);
  if (body === null) {
    if (!(key in set)) return set;
    const { [key]: _gone, ...rest } = set;
    return rest;
  }
  return { ...set, [key]: { kind, id, body } };
}

/**
 * After another designer saved: take the server's documents, except ours that
 * they did not touch since we last saw the server. `conflicts` are documents
 * both sides changed; theirs win (ours is reported, never silently merged).
 */
export function rebase(base: DocSet, ours: DocSet, theirs: DocSet): { merged: DocSet; conflicts: string[] } {
  const mine = new Map(changes(base, ours).map((c) => [c.key, c]));
  const their = new Set(changes(base, theirs).map((c) => c.key));
  let merged: DocSet = theirs;
  const conflicts: string[] = [];
  for (const [key, c] of mine) {
    if (their.has(key)) { conflicts.push(key); continue; }
    merged = c.op === 'delete' ? withDoc(merged, c.doc.kind, c.doc.id, null) : withDoc(merged, c.doc.kind, c.doc.id, c.doc.body);
  }
  return { merged, conflicts };
}
