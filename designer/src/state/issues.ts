import type { Lang } from '@crm/ui';
import { docKey } from './documents.js';

/** A validator finding on one document: a JSON pointer into its body and a message in the UI language. */
export interface DocIssue {
  pointer: string;
  message: string;
  /** A reference into another document (kept in the draft, refused by the plan). */
  pending?: boolean;
}

export type IssueMap = Readonly<Record<string, readonly DocIssue[]>>;

/**
 * Server details carry pointers `/kind/id/...` (plan, 422 on save); the
 * editors want them per document and relative to its body.
 */
export function groupIssues(details: readonly { pointer: string; message: string }[], fallbackKey?: string): Record<string, DocIssue[]> {
  const out: Record<string, DocIssue[]> = {};
  for (const d of details) {
    const m = /^\/([a-zA-Z]+)\/([^/]+)(\/.*)?$/.exec(d.pointer);
    const key = m ? docKey(m[1]!, m[2]!) : fallbackKey;
    if (!key) continue;
    (out[key] ??= []).push({ pointer: m ? m[3] ?? '' : d.pointer, message: d.message });
  }
  return out;
}

/** Issues at `pointer` or below it (a field's panel shows its options' issues too). */
export const issuesUnder = (issues: readonly DocIssue[] | undefined, pointer: string): DocIssue[] =>
  (issues ?? []).filter((i) => i.pointer === pointer || i.pointer.startsWith(`${pointer}/`));

/**
 * A finding's text in the UI language. Refused saves come in the asked
 * language already; the draft's "pending" findings carry both languages.
 */
export const messageIn = (m: string | Partial<Record<Lang, string>>, lang: Lang): string => (typeof m === 'string' ? m : m[lang] ?? m['zh-CN'] ?? m.en ?? '');

/** The messages of several findings on one element. */
export const issuesText = (issues: readonly DocIssue[]): string => issues.map((i) => i.message).join('；');
