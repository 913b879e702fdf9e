import { sql, type Kysely } from 'kysely';
import { validate as validateRule } from '@crm/rules';
import { AppError, type ErrorDetail } from '../errors/app-error.js';
import type { Clock } from '../infra/clock.js';
import { uuidv7 } from '../infra/ids.js';
import type { RecordsService, Caller } from '../records/service.js';

/** What a saved view shows: the same parts as a metadata view (CONVENTIONS §1), chosen by a person. */
export interface ViewDefinition {
  type: 'list' | 'kanban';
  columns: string[];
  sort: { field: string; direction: 'asc' | 'desc' }[];
  filter?: unknown;
  groupBy?: string;
}

export interface SavedViewInput { entity: string; label: string; definition: ViewDefinition; sharedRoles?: string[] }

const SHARERS = new Set(['owner', 'admin', 'designer']);

/**
 * Personal views, and views shared with roles, saved from the list screen.
 * A view is checked against the entity's published fields and rule schema
 * when saved; reading one never trusts it (the list API checks again).
 */
export class SavedViews {
  constructor(private readonly db: Kysely<any>, private readonly records: RecordsService, private readonly clock: Clock) {}

  async list(caller: Caller, entity: string) {
    if (!(await this.records.viewVocabulary(caller, entity))) throw new AppError('CRM_ERR_NOT_FOUND');
    const roles = caller.ws.roleKeys;
    const { rows } = await sql<{ id: string; owner_id: string; label: string; definition: ViewDefinition; shared_roles: string[]; updated_at: Date }>`
      select id, owner_id, label, definition, shared_roles, updated_at from crm.saved_views
      where workspace_id = ${caller.ws.id}::uuid and entity = ${entity} and deleted_at is null
        and (owner_id = ${caller.userId}::uuid or shared_roles && ${roles}::text[])
      order by label, id`.execute(this.db);
    return rows.map((r) => ({ id: r.id, label: r.label, definition: r.definition, sharedRoles: r.shared_roles, mine: r.owner_id === caller.userId, updatedAt: r.updated_at.toISOString() }));
  }

  async create(caller: Caller, input: SavedViewInput) {
    await this.check(caller, input);
    const id = uuidv7();
    const now = this.clock.now();
    await this.db.transaction().execute(async (tx) => {
      await sql`insert into crm.saved_views (id, workspace_id, owner_id, entity, label, definition, shared_roles, created_at, updated_at)
        values (${id}::uuid, ${caller.ws.id}::uuid, ${caller.userId}::uuid, ${input.entity}, ${input.label}, ${JSON.stringify(input.definition)}::jsonb,
          ${input.sharedRoles ?? []}::text[], ${now}, ${now})`.execute(tx);
      await this.audit(tx, caller, id, 'view.create', { label: input.label, definition: input.definition, sharedRoles: input.sharedRoles ?? [] });
    });
    return { id };
  }

  async update(caller: Caller, id: string, input: Omit<SavedViewInput, 'entity'>) {
    const row = await this.own(caller, id);
    await this.check(caller, { ...input, entity: row.entity });
    await this.db.transaction().execute(async (tx) => {
      await sql`update crm.saved_views set label = ${input.label}, definition = ${JSON.stringify(input.definition)}::jsonb,
        shared_roles = ${input.sharedRoles ?? []}::text[], updated_at = ${this.clock.now()} where id = ${id}::uuid`.execute(tx);
      await this.audit(tx, caller, id, 'view.update', { label: input.label, definition: input.definition, sharedRoles: input.sharedRoles ?? [] });
    });
  }

  async remove(caller: Caller, id: string) {
    await this.own(caller, id);
    await this.db.transaction().execute(async (tx) => {
      await sql`update crm.saved_views set deleted_at = ${this.clock.now()} where id = ${id}::uuid`.execute(tx);
      await this.audit(tx, caller, id, 'view.delete', {});
    });
  }

  /** Only the person who saved a view changes it; anyone else gets "not found" (a shared view is read-only to them). */
  private async own(caller: Caller, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('CRM_ERR_NOT_FOUND');
    const { rows } = await sql<{ entity: string }>`select entity from crm.saved_views where id = ${id}::uuid and workspace_id = ${caller.ws.id}::uuid
      and owner_id = ${caller.userId}::uuid and deleted_at is null`.execute(this.db);
    if (!rows[0]) throw new AppError('CRM_ERR_NOT_FOUND');
    return rows[0];
  }

  private async check(caller: Caller, input: SavedViewInput) {
    const vocab = await this.records.viewVocabulary(caller, input.entity);
    if (!vocab) throw new AppError('CRM_ERR_NOT_FOUND');
    const d = input.definition;
    const details: ErrorDetail[] = [];
    d.columns.forEach((c, i) => { if (!vocab.columns.has(c)) details.push({ pointer: `/definition/columns/${i}`, code: 'VIEW_UNKNOWN_COLUMN', params: { field: c } }); });
    d.sort.forEach((s, i) => { if (!vocab.sortable.has(s.field)) details.push({ pointer: `/definition/sort/${i}/field`, code: 'VIEW_NOT_SORTABLE', params: { field: s.field } }); });
    if (d.groupBy !== undefined && !vocab.columns.has(d.groupBy)) details.push({ pointer: '/definition/groupBy', code: 'VIEW_UNKNOWN_COLUMN', params: { field: d.groupBy } });
    if (d.filter !== undefined) {
      for (const issue of validateRule(d.filter, vocab.ruleSchema)) details.push({ pointer: `/definition/filter${issue.pointer}`, code: issue.code, params: issue.params ?? {} });
    }
    const shared = input.sharedRoles ?? [];
    if (shared.length && !SHARERS.has(caller.ws.role)) details.push({ pointer: '/sharedRoles', code: 'VIEW_SHARE_FORBIDDEN', params: {} });
    shared.forEach((r, i) => { if (!vocab.roleKeys.has(r)) details.push({ pointer: `/sharedRoles/${i}`, code: 'VIEW_UNKNOWN_ROLE', params: { role: r } }); });
    if (details.length) throw new AppError('CRM_ERR_INVALID_VIEW', { count: details.length }, details);
  }

  private async audit(tx: Kysely<any>, caller: Caller, id: string, action: string, changes: Record<string, unknown>) {
    await sql`insert into crm.audit_log (workspace_id, at, actor_id, ip, entity, record_id, action, changes)
      values (${caller.ws.id}::uuid, ${this.clock.now()}, ${caller.userId}::uuid, ${caller.ip ?? null}, 'saved_views', ${id}, ${action}, ${JSON.stringify(changes)}::jsonb)`.execute(tx);
  }
}
