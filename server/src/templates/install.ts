import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../errors/app-error.js';
import type { WorkspaceContext } from '../context.js';
import type { MetadataService } from '../metadata/service.js';
import type { TemplatePackage } from './package.js';

/**
 * Installs a template into a workspace through the same draft -> plan ->
 * publish path a designer uses: documents that differ are written to the
 * draft, then one plan is published. Installing the same template again
 * changes nothing and publishes nothing.
 */
export async function installTemplate(metadata: MetadataService, ws: WorkspaceContext, actor: { userId: string; ip?: string }, pkg: TemplatePackage) {
  let draft = await metadata.draft(ws);
  let revision = draft.draftRevision;
  const docs = [...pkg.documents, { kind: 'manifest' as const, id: String(pkg.manifest.id), body: pkg.manifest }];
  let written = 0;
  for (const d of docs) {
    const current = draft.documents.find((x) => x.kind === d.kind && x.id === d.id);
    if (current && isDeepStrictEqual(current.body, d.body)) continue;
    revision = (await metadata.saveDraft(ws, actor, d.kind, d.id, d.body, revision)).draftRevision;
    written++;
  }
  draft = await metadata.draft(ws);
  if (written === 0 && draft.publishedRevision > 0) {
    const published = await metadata.published(ws);
    const same = published.documents.length === draft.documents.length &&
      draft.documents.every((d) => published.documents.some((p) => p.kind === d.kind && p.id === d.id && isDeepStrictEqual(p.body, d.body)));
    if (same) return { published: false, revision: draft.publishedRevision, written };
  }
  const plan = await metadata.plan(ws, actor, 'en');
  if (plan.blocked) throw new AppError('CRM_ERR_PLAN_BLOCKED');
  const result = await metadata.publish(ws, actor, plan.planId, 'en');
  return { published: true, revision: result.revision, written };
}
