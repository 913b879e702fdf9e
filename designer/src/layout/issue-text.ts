import type { Lang } from '@crm/ui';
import type { DocIssue } from '../state/issues.js';

/** The messages of several findings on one element (the draft context stores them in the UI language). */
export const issuesText = (issues: readonly DocIssue[], _lang: Lang): string => issues.map((i) => i.message).join('；');
