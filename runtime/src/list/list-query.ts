/**
 * The list screen's state as the records API's query (CONVENTIONS §3) and as
 * a saved view's definition: one place decides how columns, sort, filter and
 * search travel, so the table, CSV export and "save view" always agree.
 */
export interface ListState {
  columns: string[];
  sort: { field: string; direction: 'asc' | 'desc' }[];
  filter?: unknown;
  q?: string;
}

export const sortParam = (sort: ListState['sort']): string => sort.map((s) => (s.direction === 'desc' ? '-' : '') + s.field).join(',');

/** Query parameters for one page (`cursor`) or for an export (no limit). */
export function listParams(s: ListState, opts: { cursor?: string | null; limit?: number; expand?: string[]; total?: boolean } = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (opts.limit) p.set('limit', String(opts.limit));
  if (opts.total) p.set('total', 'true');
  if (s.q) p.set('q', s.q);
  const sort = sortParam(s.sort);
  if (sort) p.set('sort', sort);
  if (s.filter !== undefined) p.set('filter', JSON.stringify(s.filter));
  if (opts.expand?.length) p.set('expand', opts.expand.join(','));
  if (opts.cursor) p.set('cursor', opts.cursor);
  return p;
}

/**
 * A click on a column header. Alone it sorts by that column only (ascending, then descending, then unsorted);
 * with Shift it adds the column to the sort, or turns its direction, keeping the others (at most 5).
 */
export function cycleSort(sort: ListState['sort'], field: string, additive: boolean): ListState['sort'] {
  const at = sort.find((s) => s.field === field);
  const nextDir = !at ? 'asc' as const : at.direction === 'asc' ? 'desc' as const : null;
  if (!additive) return nextDir ? [{ field, direction: nextDir }] : [];
  if (!at) return [...sort, { field, direction: 'asc' as const }].slice(-5);
  return nextDir ? sort.map((s) => (s.field === field ? { field, direction: nextDir } : s)) : sort.filter((s) => s.field !== field);
}

/** Rows to draw in a scrolled window of fixed-height rows, with a margin above and below. */
export function visibleRows(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

export const definitionOf = (s: ListState) => ({ type: 'list' as const, columns: s.columns, sort: s.sort, ...(s.filter !== undefined ? { filter: s.filter } : {}) });

/** Columns shown, in the user's order, without duplicates or unknown keys. */
export function toggleColumn(columns: readonly string[], key: string, on: boolean, known: readonly string[]): string[] {
  const next = on ? (columns.includes(key) ? [...columns] : [...columns, key]) : columns.filter((c) => c !== key);
  const kept = next.filter((c) => known.includes(c));
  return kept.length ? kept : [...columns];
}

export function moveColumn(columns: readonly string[], key: string, delta: -1 | 1): string[] {
  const i = columns.indexOf(key);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= columns.length) return [...columns];
  const next = [...columns];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}
