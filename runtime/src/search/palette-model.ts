/**
 * The command palette's logic without React: the server's answer flattened for
 * keyboard navigation, the highlighted parts of a title, and which key presses
 * open the palette. Unit-tested in palette-model.test.ts.
 */
import type { Label } from '@crm/ui';

export interface SearchHit { id: string; title: string | null; subtitle?: string }
export interface SearchGroup { entity: string; label: Label; total?: number; records: SearchHit[] }

/** One selectable row: a hit with the entity it opens in. */
export interface PaletteItem { entity: string; hit: SearchHit; index: number }

/** Rows in screen order, numbered across groups, so up/down walks through every group. */
export function flatten(groups: readonly SearchGroup[]): PaletteItem[] {
  let index = 0;
  return groups.flatMap((g) => g.records.map((hit) => ({ entity: g.entity, hit, index: index++ })));
}

/** The next active row after pressing up (-1) or down (+1): wraps around; nothing active when there are no rows. */
export function move(active: number, delta: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (active < 0) return delta > 0 ? 0 : count - 1;
  return (active + delta + count) % count;
}

/** A title cut into plain and matching parts (case-insensitive), for <mark>; text only, never HTML. */
export function highlight(text: string, q: string): { text: string; match: boolean }[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const out: { text: string; match: boolean }[] = [];
  let from = 0;
  // toLowerCase keeps the length for the scripts a CRM holds (CJK, Latin), so indexes line up.
  for (let at = lower.indexOf(needle); at >= 0 && lower.length === text.length; at = lower.indexOf(needle, from)) {
    if (at > from) out.push({ text: text.slice(from, at), match: false });
    out.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) out.push({ text: text.slice(from), match: false });
  return out.length ? out : [{ text, match: false }];
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether the key was pressed while typing somewhere (input, textarea, select, contenteditable). */
  typing: boolean;
}

/** Ctrl+K / Cmd+K anywhere; "/" only when not typing (it is a character there). */
export function opensPalette(e: KeyLike): boolean {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return true;
  return e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.typing;
}

/** What the search box sends: trimmed, and nothing at all when empty or over the server's limit of 100 characters. */
export function queryOf(input: string): string | null {
  const q = input.trim();
  const n = [...q].length;
  return n >= 1 && n <= 100 ? q : null;
}
