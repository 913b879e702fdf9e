/**
 * Undo/redo over immutable snapshots. Edits tagged alike within `coalesceMs`
 * (typing in one input) merge into one step, so undo takes back a word, not a
 * keystroke.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  readonly lastTag?: string;
  readonly lastAt?: number;
}

export const HISTORY_LIMIT = 200;
const COALESCE_MS = 1000;

export const createHistory = <T>(present: T): History<T> => ({ past: [], present, future: [] });

export function commit<T>(h: History<T>, next: T, opts: { tag?: string; at?: number } = {}): History<T> {
  if (Object.is(next, h.present)) return h;
  const at = opts.at ?? Date.now();
  const merge = opts.tag !== undefined && opts.tag === h.lastTag && h.lastAt !== undefined && at - h.lastAt < COALESCE_MS && h.past.length > 0;
  const past = merge ? h.past : [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], lastTag: opts.tag, lastAt: at };
}

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1]!, future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0]!, future: h.future.slice(1) };
}

/** Replaces the present without an undo step (a server reload); the stacks stay only if `keep`. */
export const reset = <T>(h: History<T>, present: T, keep = false): History<T> => (keep ? { ...h, present, lastTag: undefined } : createHistory(present));
