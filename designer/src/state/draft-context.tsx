import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DocumentKind } from '@crm/metadata';
import { ApiError, labelOf, type Api, type Lang } from '@crm/ui';
import { changes, docKey, rebase, toDocSet, withDoc, type Doc, type DocSet } from './documents.js';
import { commit, createHistory, redo, reset, undo, type History } from './history.js';
import { groupIssues, messageIn, type DocIssue, type IssueMap } from './issues.js';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'invalid' | 'offline';

export interface Draft {
  api: Api;
  ws: string;
  lang: Lang;
  /** The documents being edited (autosaved to the server's draft). */
  docs: DocSet;
  /** What is live now; keys of published fields and entities are locked. */
  published: DocSet;
  draftRevision: number;
  publishedRevision: number;
  status: SaveStatus;
  issues: IssueMap;
  /** Replaces one document's body (`null` removes it from the draft); `tag` merges quick edits into one undo step. */
  edit: (kind: DocumentKind, id: string, body: unknown | null, tag?: string) => void;
  /** Same, computing the body from the current one. */
  update: <B>(kind: DocumentKind, id: string, fn: (body: B) => B, tag?: string) => void;
  /** Several documents in one undo step (archiving a field also takes it off forms and views). */
  change: (fn: (docs: DocSet) => DocSet, tag?: string) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  /** Saves now (before a plan) and reloads from the server. */
  flush: () => Promise<boolean>;
  reload: () => Promise<void>;
  notice: string | null;
  clearNotice: () => void;
}

const Ctx = createContext<Draft | null>(null);
export const useDraft = (): Draft => {
  const d = useContext(Ctx);
  if (!d) throw new Error('useDraft outside <DraftProvider>');
  return d;
};

interface DraftReply { draftRevision: number; publishedRevision: number; documents: Doc[] }
const AUTOSAVE_MS = 700;


/**
 * Holds the workspace draft: undo/redo over whole document sets, autosave of
 * each changed document (If-Match the draft revision), validator findings per
 * document, and a rebase when another designer saved in between.
 */
export function DraftProvider(p: { api: Api; ws: string; lang: Lang; children: ReactNode }) {
  const { api, ws } = p;
  const [hist, setHist] = useState<History<DocSet> | null>(null);
  const [published, setPublished] = useState<DocSet>({});
  const [revs, setRevs] = useState({ draft: 0, published: 0 });
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [issues, setIssues] = useState<Record<string, DocIssue[]>>({});
  const [notice, setNotice] = useState<string | null>(null);
  // What the server holds, and the bodies last refused (not re-sent until edited again).
  const saved = useRef<DocSet>({});
  const refused = useRef(new Map<string, unknown>());
  // The findings of each document's last accepted save ("pending" references), shown again when an undo goes back to it.
  const accepted = useRef(new Map<string, DocIssue[]>());
  const revRef = useRef(0);
  const histRef = useRef<History<DocSet> | null>(null);
  histRef.current = hist;
  const saving = useRef<Promise<boolean> | null>(null);
  const langRef = useRef(p.lang);
  langRef.current = p.lang;

  const fetchAll = useCallback(async () => {
    const [d, pub] = await Promise.all([
      api.get<DraftReply>(`/api/w/${ws}/meta/draft`),
      api.get<{ revision: number; documents: Doc[] }>(`/api/w/${ws}/meta`),
    ]);
    setPublished(toDocSet(pub.documents));
    return d;
  }, [api, ws]);

  const adopt = (d: DraftReply) => {
    revRef.current = d.draftRevision;
    setRevs({ draft: d.draftRevision, published: d.publishedRevision });
  };

  const reload = useCallback(async () => {
    const d = await fetchAll();
    saved.current = toDocSet(d.documents);
    refused.current.clear();
    accepted.current.clear();
    adopt(d);
    setHist(createHistory(saved.current));
    setIssues({});
    setStatus('saved');
  }, [fetchAll]);

  useEffect(() => { void reload(); }, [reload]);

  /** Sends every change between what the server holds and the present, one document at a time. */
  const saveNow = useCallback(async (): Promise<boolean> => {
    if (saving.current) await saving.current;
    // `rebases`: how many times another designer's save made us start over (bounded: we never spin).
    const run = async (rebases = 0): Promise<boolean> => {
      const present = histRef.current?.present;
      if (!present) return true;
      const todo = changes(saved.current, present).filter((c) => c.op === 'delete' || refused.current.get(c.key) !== c.doc.body);
      if (!todo.length) {
        setStatus(changes(saved.current, present).length ? 'invalid' : 'saved');
        return !changes(saved.current, present).length;
      }
      setStatus('saving');
      let ok = true;
      for (const c of todo) {
        const path = `/api/w/${ws}/meta/draft/${c.doc.kind}/${encodeURIComponent(c.doc.id)}`;
        try {
          const res = await api.send<{ draftRevision: number; pending?: { pointer: string; message: string | Record<Lang, string> }[] }>(
            c.op === 'put' ? 'PUT' : 'DELETE', path, c.op === 'put' ? c.doc.body : undefined, { 'if-match': `"${revRef.current}"` });
          revRef.current = res.draftRevision;
          setRevs((r) => ({ ...r, draft: res.draftRevision }));
          saved.current = withDoc(saved.current, c.doc.kind, c.doc.id, c.op === 'put' ? c.doc.body : null);
          refused.current.delete(c.key);
          const pending = res.pending ? res.pending.map((x) => ({ pointer: x.pointer, message: messageIn(x.message, langRef.current), pending: true })) : [];
          accepted.current.set(c.key, pending);
          setIssues((m) => ({ ...m, [c.key]: pending }));
        } catch (err) {
          ok = false;
          if (err instanceof ApiError && err.status === 409) {
            // Someone else saved the draft: take their documents, keep ours where they did not touch them, and go again.
            const d = await fetchAll();
            const theirs = toDocSet(d.documents);
            const { merged, conflicts } = rebase(saved.current, histRef.current!.present, theirs);
            saved.current = theirs;
            adopt(d);
            setHist((h) => h && reset(h, merged, false));
            histRef.current = createHistory(merged);
            if (conflicts.length) setNotice(conflicts.map((k) => labelOf(merged[k]?.body?.label, langRef.current) || k).join('、'));
            if (rebases >= 3) { setStatus('pending'); return false; }
            return run(rebases + 1);
          }
          if (err instanceof ApiError && err.status === 422) {
            refused.current.set(c.key, c.doc.body);
            const grouped = groupIssues(err.details, c.key);
            setIssues((m) => ({ ...m, [c.key]: grouped[c.key] ?? [{ pointer: '', message: err.message }] }));
            continue;
          }
          setStatus('offline');
          return false;
        }
      }
      const left = changes(saved.current, histRef.current!.present).length;
      setStatus(left ? (ok ? 'pending' : 'invalid') : 'saved');
      return ok && !left;
    };
    const running = run().finally(() => { saving.current = null; });
    saving.current = running;
    return running;
  }, [api, ws, fetchAll]);

  // Autosave shortly after the last edit.
  useEffect(() => {
    if (!hist) return;
    const all = changes(saved.current, hist.present);
    // An undo back to what the server holds: the refusal of the undone edit no longer applies.
    const back = [...refused.current.keys()].filter((k) => !all.some((c) => c.key === k));
    if (back.length) {
      for (const k of back) refused.current.delete(k);
      setIssues((m) => ({ ...m, ...Object.fromEntries(back.map((k) => [k, accepted.current.get(k) ?? []])) }));
    }
    const pending = all.filter((c) => c.op === 'delete' || refused.current.get(c.key) !== c.doc.body);
    if (!pending.length) {
      if (back.length) setStatus(all.length ? 'invalid' : 'saved');
      return;
    }
    setStatus('pending');
    const t = setTimeout(() => { void saveNow(); }, AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [hist?.present, saveNow]);

  const edit = useCallback((kind: DocumentKind, id: string, body: unknown | null, tag?: string) => {
    setHist((h) => h && commit(h, withDoc(h.present, kind, id, body), { tag: tag && `${docKey(kind, id)}:${tag}` }));
  }, []);
  const update = useCallback(<B,>(kind: DocumentKind, id: string, fn: (body: B) => B, tag?: string) => {
    setHist((h) => {
      if (!h) return h;
      const cur = h.present[docKey(kind, id)];
      if (!cur) return h;
      return commit(h, withDoc(h.present, kind, id, fn(cur.body as B)), { tag: tag && `${docKey(kind, id)}:${tag}` });
    });
  }, []);

  const change = useCallback((fn: (docs: DocSet) => DocSet, tag?: string) => {
    setHist((h) => h && commit(h, fn(h.present), { tag }));
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); setHist((h) => h && undo(h)); }
      else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); setHist((h) => h && redo(h)); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const value = useMemo<Draft | null>(() => hist && {
    api, ws, lang: p.lang, docs: hist.present, published,
    draftRevision: revs.draft, publishedRevision: revs.published,
    status, issues, edit, update, change,
    undo: () => setHist((h) => h && undo(h)),
    redo: () => setHist((h) => h && redo(h)),
    canUndo: hist.past.length > 0, canRedo: hist.future.length > 0,
    flush: saveNow, reload, notice, clearNotice: () => setNotice(null),
  }, [hist, published, revs, status, issues, api, ws, p.lang, edit, update, change, saveNow, reload, notice]);

  if (!value) return null;
  return <Ctx.Provider value={value}>{p.children}</Ctx.Provider>;
}
