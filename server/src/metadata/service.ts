import { sql, type Kysely, type Transaction } from 'kysely';
import { describeAction, describeFinding, planSchema, probesForPlan, compileAction, type Action, type Finding, type PlanEntity } from '@crm/ddl';
import { syncSearchPinyin } from '../records/search-pinyin.js';
import { DOCUMENT_KINDS, migrateDocument, validate, type DocumentKind, type MetadataIssue } from '@crm/metadata';
import { AppError, type ErrorDetail } from '../errors/app-error.js';
import type { Lang } from '../errors/i18n.js';
import type { Clock } from '../infra/clock.js';
import { uuidv7 } from '../infra/ids.js';
import type { WorkspaceContext } from '../context.js';
import { METADATA_CHANNEL, type MetadataCache, type PublishedMetadata, type StoredDocument } from './cache.js';

export interface Actor { userId: string; ip?: string }

/**
 * Work that must commit with a publish (the automation module records who
 * owns each flow and which workspaces have any): runs inside the publish
 * transaction, after the new revision's documents are stored.
 */
export type PublishHook = (tx: Transaction<any>, ws: WorkspaceContext, actor: Actor, revision: number, documents: StoredDocument[], before: StoredDocument[]) => Promise<void>;

/**
 * Drafts, plans and publishing of a workspace's metadata (CONVENTIONS.md §1).
 * Publishing runs the schema plan and stores the new revision in ONE
 * transaction under an advisory lock, so two publishes never interleave.
 */
export class MetadataService {
  private readonly publishHooks: PublishHook[] = [];

  constructor(private readonly db: Kysely<any>, private readonly cache: MetadataCache, private readonly clock: Clock) {}

  onPublish(hook: PublishHook): void {
    this.publishHooks.push(hook);
  }

  published(ws: Pick<WorkspaceContext, 'id'>): Promise<PublishedMetadata> {
    return this.cache.get(ws.id, () => loadPublished(this.db, ws.id));
  }

  async draft(ws: WorkspaceContext) {
    const row = await this.db.selectFrom('crm.workspaces').select(['draft_revision', 'published_revision']).where('id', '=', ws.id).executeTakeFirstOrThrow();
    return { draftRevision: row.draft_revision as number, publishedRevision: row.published_revision as number, documents: await loadDrafts(this.db, ws.id) };
  }

  async saveDraft(ws: WorkspaceContext, actor: Actor, kind: string, id: string, body: unknown, ifMatch: number) {
    const k = checkKind(kind);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new AppError('CRM_ERR_INVALID_DOCUMENT', { count: 1 }, [{ pointer: '', code: 'META_NOT_OBJECT' }]);
    }
    const doc = body as Record<string, unknown>;
    if (doc.id !== id) {
      throw new AppError('CRM_ERR_INVALID_DOCUMENT', { count: 1 }, [{ pointer: '/id', code: 'META_ID_MISMATCH', params: { id } }]);
    }
    const migrated = migrateOrThrow(k, doc);
    return this.db.transaction().execute(async (tx) => {
      const current = await lockDraft(tx, ws.id, ifMatch);
      const drafts = await loadDrafts(tx, ws.id);
      const others = drafts.filter((d) => !(d.kind === k && d.id === id));
      const next: StoredDocument = { kind: k, id, schemaVersion: Number(migrated.schemaVersion ?? 1), body: migrated };
      // Own problems are refused now; references into other documents may wait for them (two
      // entities pointing at each other are saved one after the other) and are refused at plan time.
      const pending = rejectIssuesOf([...others, next], (i) => i.kind === k && i.id === id && !i.reference)
        .filter((i) => i.kind === k && i.id === id);
      await tx
        .insertInto('crm.metadata_drafts')
        .values({ workspace_id: ws.id, kind: k, doc_id: id, schema_version: next.schemaVersion, body: JSON.stringify(migrated), updated_by: actor.userId, updated_at: this.clock.now() })
        .onConflict((oc) => oc.columns(['workspace_id', 'kind', 'doc_id']).doUpdateSet({ schema_version: next.schemaVersion, body: JSON.stringify(migrated), updated_by: actor.userId, updated_at: this.clock.now() }))
        .execute();
      const draftRevision = current + 1;
      await tx.updateTable('crm.workspaces').set({ draft_revision: draftRevision }).where('id', '=', ws.id).execute();
      await audit(tx, ws.id, actor, 'metadata.draft.save', { kind: k, id, draftRevision });
      return { draftRevision, pending: pending.map((i) => ({ pointer: i.pointer, code: i.code, params: i.params, message: i.message })) };
    });
  }

  async deleteDraft(ws: WorkspaceContext, actor: Actor, kind: string, id: string, ifMatch: number) {
    const k = checkKind(kind);
    return this.db.transaction().execute(async (tx) => {
      const current = await lockDraft(tx, ws.id, ifMatch);
      const res = await tx.deleteFrom('crm.metadata_drafts').where('workspace_id', '=', ws.id).where('kind', '=', k).where('doc_id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw new AppError('CRM_ERR_NOT_FOUND');
      const draftRevision = current + 1;
      await tx.updateTable('crm.workspaces').set({ draft_revision: draftRevision }).where('id', '=', ws.id).execute();
      await audit(tx, ws.id, actor, 'metadata.draft.delete', { kind: k, id, draftRevision });
      return { draftRevision };
    });
  }

  async plan(ws: WorkspaceContext, actor: Actor, lang: Lang) {
    const state = await this.db.selectFrom('crm.workspaces').select(['draft_revision', 'published_revision']).where('id', '=', ws.id).executeTakeFirstOrThrow();
    const [published, drafts] = await Promise.all([loadRevision(this.db, ws.id, state.published_revision), loadDrafts(this.db, ws.id)]);
    rejectIssuesOf(drafts, () => true);
    const { actions } = schemaPlan(published, drafts);
    const findings = await this.db.transaction().execute(async (tx) => {
      await sql`set transaction read only`.execute(tx);
      return runProbes(tx, ws, actions);
    });
    const planId = uuidv7();
    await this.db
      .insertInto('crm.metadata_plans')
      .values({ id: planId, workspace_id: ws.id, from_revision: state.published_revision, draft_revision: state.draft_revision, actions: JSON.stringify(actions), findings: JSON.stringify(findings), created_by: actor.userId, created_at: this.clock.now() })
      .execute();
    return {
      planId,
      fromRevision: state.published_revision as number,
      draftRevision: state.draft_revision as number,
      blocked: findings.some((f) => f.blocking),
      actions: actions.map((a) => ({ ...a, description: describeAction(a, lang) })),
      findings: findings.map((f) => ({ ...f, description: describeFinding(f, lang) })),
    };
  }

  async publish(ws: WorkspaceContext, actor: Actor, planId: string, lang: Lang) {
    const result = await this.db.transaction().execute(async (tx) => {
      await sql`set local lock_timeout = '5s'`.execute(tx);
      try {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`crm.publish:${ws.id}`}, 0))`.execute(tx);
      } catch (err) {
        if ((err as { code?: string }).code === '55P03') throw new AppError('CRM_ERR_PUBLISH_BUSY');
        throw err;
      }
      const plan = await tx.selectFrom('crm.metadata_plans').selectAll().where('id', '=', planId).where('workspace_id', '=', ws.id).executeTakeFirst();
      if (!plan) throw new AppError('CRM_ERR_NOT_FOUND');
      const state = await tx.selectFrom('crm.workspaces').select(['draft_revision', 'published_revision']).where('id', '=', ws.id).forUpdate().executeTakeFirstOrThrow();
      if (state.published_revision !== plan.from_revision || state.draft_revision !== plan.draft_revision) {
        throw new AppError('CRM_ERR_PLAN_STALE', {}, [], { fromRevision: plan.from_revision, draftRevision: plan.draft_revision, publishedRevision: state.published_revision, currentDraftRevision: state.draft_revision });
      }
      // The draft is unchanged since the plan (same revision), so the plan recomputes identically;
      // recomputing here means the stored plan JSON is never trusted as DDL input.
      const [published, drafts] = await Promise.all([loadRevision(tx, ws.id, state.published_revision), loadDrafts(tx, ws.id)]);
      const { actions, documents } = schemaPlan(published, drafts);
      await sql`select set_config('TimeZone', ${ws.settings.timeZone}, true)`.execute(tx);
      // Data may have changed since the plan: check again what would block, under the lock.
      const blocking = (await runProbes(tx, ws, actions)).filter((f) => f.blocking);
      if (blocking.length) {
        throw new AppError('CRM_ERR_PLAN_BLOCKED', {}, blocking.map((f) => ({ pointer: `/actions/${f.action}`, code: f.code, params: { ...f.params, count: f.count, samples: f.samples } })));
      }
      for (const action of actions) {
        for (const stmt of compileAction(action, ws.schemaName)) await stmt.execute(tx);
      }
      await syncSearchPinyin(tx, ws.schemaName, entityDocs(published), entityDocs(documents));
      const revision = state.published_revision + 1;
      await tx.insertInto('crm.metadata_revisions').values({ workspace_id: ws.id, revision, draft_revision: state.draft_revision, plan_id: planId, actions: JSON.stringify(actions), published_by: actor.userId, published_at: this.clock.now() }).execute();
      if (documents.length) {
        await tx.insertInto('crm.metadata_documents').values(documents.map((d) => ({ workspace_id: ws.id, revision, kind: d.kind, doc_id: d.id, schema_version: d.schemaVersion, body: JSON.stringify(d.body) }))).execute();
      }
      // Carried-over elements (archived fields, inactive options) become part of the draft too.
      for (const d of documents) {
        await tx.updateTable('crm.metadata_drafts').set({ body: JSON.stringify(d.body) }).where('workspace_id', '=', ws.id).where('kind', '=', d.kind).where('doc_id', '=', d.id).execute();
        await tx.insertInto('crm.metadata_drafts').values({ workspace_id: ws.id, kind: d.kind, doc_id: d.id, schema_version: d.schemaVersion, body: JSON.stringify(d.body), updated_by: actor.userId })
          .onConflict((oc) => oc.doNothing()).execute();
      }
      await tx.updateTable('crm.workspaces').set({ published_revision: revision }).where('id', '=', ws.id).execute();
      for (const hook of this.publishHooks) await hook(tx, ws, actor, revision, documents, published);
      await audit(tx, ws.id, actor, 'metadata.publish', { revision, planId, actions: actions.map((a) => describeAction(a, 'en')) });
      await sql`select pg_notify(${METADATA_CHANNEL}, ${JSON.stringify({ workspaceId: ws.id, revision })})`.execute(tx);
      return { revision, actions };
    });
    this.cache.invalidate(ws.id);
    return { revision: result.revision, actions: result.actions.map((a) => ({ ...a, description: describeAction(a, lang) })) };
  }

  async revision(ws: WorkspaceContext, revision: number) {
    const row = await this.db.selectFrom('crm.metadata_revisions').select(['revision', 'published_at', 'published_by']).where('workspace_id', '=', ws.id).where('revision', '=', revision).executeTakeFirst();
    if (!row) throw new AppError('CRM_ERR_NOT_FOUND');
    return { ...row, documents: await loadRevision(this.db, ws.id, revision) };
  }

  /**
   * Puts an earlier published revision back into the draft. Publishing it is an
   * ordinary plan + publish: what the old revision lacks is archived, never
   * dropped, and the plan says so before anything runs.
   */
  async revert(ws: WorkspaceContext, actor: Actor, revision: number, ifMatch: number) {
    return this.db.transaction().execute(async (tx) => {
      const current = await lockDraft(tx, ws.id, ifMatch);
      const exists = await tx.selectFrom('crm.metadata_revisions').select('revision').where('workspace_id', '=', ws.id).where('revision', '=', revision).executeTakeFirst();
      if (!exists) throw new AppError('CRM_ERR_NOT_FOUND');
      const docs = await loadRevision(tx, ws.id, revision);
      await tx.deleteFrom('crm.metadata_drafts').where('workspace_id', '=', ws.id).execute();
      if (docs.length) {
        await tx.insertInto('crm.metadata_drafts').values(docs.map((d) => ({
          workspace_id: ws.id, kind: d.kind, doc_id: d.id, schema_version: d.schemaVersion, body: JSON.stringify(d.body), updated_by: actor.userId, updated_at: this.clock.now(),
        }))).execute();
      }
      const draftRevision = current + 1;
      await tx.updateTable('crm.workspaces').set({ draft_revision: draftRevision }).where('id', '=', ws.id).execute();
      await audit(tx, ws.id, actor, 'metadata.draft.revert', { to: revision, draftRevision });
      return { draftRevision };
    });
  }

  async revisions(ws: WorkspaceContext) {
    return this.db.selectFrom('crm.metadata_revisions').select(['revision', 'published_at', 'published_by', 'plan_id']).where('workspace_id', '=', ws.id).orderBy('revision', 'desc').limit(200).execute();
  }
}

function checkKind(kind: string): DocumentKind {
  if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw new AppError('CRM_ERR_UNKNOWN_IDENTIFIER', { name: kind });
  return kind as DocumentKind;
}

function migrateOrThrow(kind: DocumentKind, doc: Record<string, unknown>): Record<string, unknown> {
  try {
    return migrateDocument(kind, doc) as Record<string, unknown>;
  } catch (err) {
    throw new AppError('CRM_ERR_INVALID_DOCUMENT', { count: 1 }, [{ pointer: '/schemaVersion', code: 'META_SCHEMA_VERSION', params: { reason: (err as Error).message } }]);
  }
}

/** Validates the whole set and throws 422 with the issues `pick` selects (pointers prefixed with /kind/id); returns all issues otherwise. */
function rejectIssuesOf(docs: StoredDocument[], pick: (i: MetadataIssue) => boolean): MetadataIssue[] {
  const all = validate(docs.map((d) => ({ kind: d.kind as DocumentKind, id: d.id, body: d.body })));
  const issues = all.filter(pick);
  if (!issues.length) return all;
  const details: ErrorDetail[] = issues.map((i) => ({ pointer: `/${i.kind}/${i.id}${i.pointer}`, code: i.code, params: i.params, message: i.message }));
  throw new AppError('CRM_ERR_INVALID_DOCUMENT', { count: details.length }, details);
}

const entityDocs = (docs: StoredDocument[]) => docs.filter((d) => d.kind === 'entity').map((d) => d.body as unknown as PlanEntity);

function schemaPlan(published: StoredDocument[], drafts: StoredDocument[]) {
  const entitiesOf = (docs: StoredDocument[]) => docs.filter((d) => d.kind === 'entity').map((d) => d.body as unknown as PlanEntity);
  const { actions, issues, entities } = planSchema(entitiesOf(published), entitiesOf(drafts));
  if (issues.length) {
    throw new AppError('CRM_ERR_INVALID_DOCUMENT', { count: issues.length }, issues.map((i) => ({ pointer: `/${i.kind}/${i.id}${i.pointer}`, code: i.code, params: i.params })));
  }
  const byId = new Map(entities.map((e) => [e.id, e]));
  const documents: StoredDocument[] = drafts.map((d) => (d.kind === 'entity' ? { ...d, body: byId.get(d.id) as unknown as Record<string, unknown> } : d));
  for (const e of entities) {
    if (!drafts.some((d) => d.kind === 'entity' && d.id === e.id)) {
      documents.push({ kind: 'entity', id: e.id, schemaVersion: Number(e.schemaVersion ?? 1), body: e as unknown as Record<string, unknown> });
    }
  }
  return { actions, documents };
}

async function runProbes(tx: Transaction<any>, ws: WorkspaceContext, actions: Action[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const { action, probe } of probesForPlan(actions, ws.schemaName)) {
    const { rows } = await probe.query.execute(tx);
    const row = rows[0] ?? { count: 0, samples: [] };
    if (row.count > 0) findings.push({ action, code: probe.code, blocking: probe.blocking, count: row.count, samples: row.samples ?? [], params: probe.params });
  }
  return findings;
}

async function lockDraft(tx: Transaction<any>, workspaceId: string, ifMatch: number): Promise<number> {
  const row = await tx.selectFrom('crm.workspaces').select('draft_revision').where('id', '=', workspaceId).forUpdate().executeTakeFirstOrThrow();
  if (row.draft_revision !== ifMatch) throw new AppError('CRM_ERR_DRAFT_CONFLICT', { current: row.draft_revision }, [], { draftRevision: row.draft_revision });
  return row.draft_revision;
}

async function loadDrafts(db: Kysely<any>, workspaceId: string): Promise<StoredDocument[]> {
  const rows = await db.selectFrom('crm.metadata_drafts').select(['kind', 'doc_id', 'schema_version', 'body']).where('workspace_id', '=', workspaceId).orderBy('kind').orderBy('doc_id').execute();
  return rows.map((r) => ({ kind: r.kind, id: r.doc_id, schemaVersion: r.schema_version, body: r.body }));
}

async function loadRevision(db: Kysely<any>, workspaceId: string, revision: number): Promise<StoredDocument[]> {
  const rows = await db.selectFrom('crm.metadata_documents').select(['kind', 'doc_id', 'schema_version', 'body']).where('workspace_id', '=', workspaceId).where('revision', '=', revision).orderBy('kind').orderBy('doc_id').execute();
  return rows.map((r) => ({ kind: r.kind, id: r.doc_id, schemaVersion: r.schema_version, body: r.body }));
}

async function loadPublished(db: Kysely<any>, workspaceId: string): Promise<PublishedMetadata> {
  const ws = await db.selectFrom('crm.workspaces').select('published_revision').where('id', '=', workspaceId).executeTakeFirstOrThrow();
  return { revision: ws.published_revision, documents: await loadRevision(db, workspaceId, ws.published_revision) };
}

async function audit(tx: Transaction<any>, workspaceId: string, actor: Actor, action: string, changes: Record<string, unknown>) {
  await tx.insertInto('crm.audit_log').values({ workspace_id: workspaceId, actor_id: actor.userId, ip: actor.ip ?? null, entity: 'metadata', action, changes: JSON.stringify(changes) }).execute();
}
