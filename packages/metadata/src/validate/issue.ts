import type { RuleIssueCode } from '@crm/rules';
import type { DocumentKind } from '../schemas/documents.js';
import type { MetadataIssueCode } from '../messages.js';

/** One problem in one document: where (JSON pointer inside the document), what (code + params), and words for people. */
export interface MetadataIssue {
  kind: DocumentKind | string;
  id: string;
  pointer: string;
  code: MetadataIssueCode | RuleIssueCode;
  params: Record<string, unknown>;
  message: { 'zh-CN': string; en: string };
}

export type IssueSink = (pointer: string, code: MetadataIssueCode | RuleIssueCode, params?: Record<string, unknown>) => void;

export const ptr = (...parts: (string | number)[]) => parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
