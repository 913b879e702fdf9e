import { labelOf, type Lang } from '@crm/ui';
import { docsOf, type DocSet } from '../state/documents.js';
import type { RoleBody } from '../model.js';
import { tr } from '../shell/i18n.js';

export interface RoleOption { value: string; label: string; disabled?: boolean }

/**
 * Business roles a member can hold: the PUBLISHED role documents (the server
 * checks against those). Roles only in the draft are listed, disabled, so the
 * admin knows to publish first.
 */
export function businessRoleOptions(published: DocSet, draft: DocSet, lang: Lang): RoleOption[] {
  const live = docsOf<RoleBody>(published, 'role').map((r) => ({ value: r.body.key, label: labelOf(r.body.label, lang) || r.body.key }));
  const liveKeys = new Set(live.map((o) => o.value));
  const pending = docsOf<RoleBody>(draft, 'role').filter((r) => !liveKeys.has(r.body.key))
    .map((r) => ({ value: r.body.key, label: `${labelOf(r.body.label, lang) || r.body.key}（${tr(lang, '发布后可用', 'after publishing')}）`, disabled: true }));
  return [...live, ...pending];
}
