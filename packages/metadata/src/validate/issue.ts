import type { RuleIssueCode } from '@crm/rules';
import type { DocumentKind } from '../schemas/documents.js';
import type { MetadataIssueCode, Messages } from '../messages.js';

/** One problem in one document: where (JSON pointer inside the document), what (code + params), and words for people. */
export interface MetadataIssue {
  kind: DocumentKind | string;
  id: string;
  /** JSON pointer inside the document body, e.g. "/fields/3/key" ('' is the whole document). */
  pointer: string;
  code: MetadataIssueCode | RuleIssueCode;
  params: Record<string, unknown>;
  message: Messages;
  /**
   * True when the problem is a reference into another document (a relation
   * target, a layout's field). A draft may hold those for a while (two
   * entities that point at each other are saved one after the other); a
   * plan refuses them.
   */
  reference: boolean;
}

export type IssueSink = (pointer: string, code: MetadataIssueCode | RuleIssueCode, params?: Record<string, unknown>) => void;

/** Where checks report: problems of the document itself, and references into other documents. */
export interface Sinks { own: IssueSink; ref: IssueSink }

/** Builds a JSON pointer from path segments, escaping `~` and `/`. */
export const ptr = (...parts: (string | number)[]) => parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
