import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors/app-error.js';
import { uuidv7 } from '../infra/ids.js';
import { DEFAULT_SETTINGS, type SystemRole, type WorkspaceContext, type WorkspaceSettings } from '../context.js';

const SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;

/**
 * A workspace is a tenant: one PostgreSQL schema named from its internal id
 * (never from the slug or a header), plus rows in the system tables.
 */
export async function createWorkspace(db: Kysely<any>, input: { slug: string; name: string; ownerId: string; settings?: Partial<WorkspaceSettings> }, audit: { ip?: string }) {
  if (!SLUG.test(input.slug)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'slug' }, [{ pointer: '/slug', code: 'REQUEST_SCHEMA', params: { reason: SLUG.source } }]);
  const id = uuidv7();
  const schemaName = `ws_${id.replaceAll('-', '')}`;
  const settings = { ...DEFAULT_SETTINGS, ...input.settings };
  return db.transaction().execute(async (tx) => {
    const taken = await tx.selectFrom('crm.workspaces').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw new AppError('CRM_ERR_DUPLICATE', { name: input.slug });
    await tx.insertInto('crm.workspaces').values({ id, slug: input.slug, name: input.name, schema_name: schemaName, settings: JSON.stringify(settings), created_by: input.ownerId }).execute();
    await sql`create schema ${sql.id(schemaName)}`.execute(tx);
    await tx.insertInto('crm.workspace_members').values({ workspace_id: id, user_id: input.ownerId, system_role: 'owner' }).execute();
    await tx.insertInto('crm.audit_log').values({ workspace_id: id, actor_id: input.ownerId, ip: audit.ip ?? null, entity: 'workspace', record_id: id, action: 'workspace.create', changes: JSON.stringify({ slug: input.slug, name: input.name }) }).execute();
    return { id, slug: input.slug, name: input.name, schemaName, settings };
  });
}

export async function addMember(db: Kysely<any>, workspaceId: string, userId: string, role: SystemRole) {
  await db.insertInto('crm.workspace_members').values({ workspace_id: workspaceId, user_id: userId, system_role: role })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ system_role: role, status: 'active' })).execute();
}

/** The workspace of a slug as seen by a user; undefined when it does not exist or the user is not an active member (both 404). */
export async function resolveWorkspace(db: Kysely<any>, slug: string, userId: string): Promise<WorkspaceContext | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const row = await db
    .selectFrom('crm.workspaces as w')
    .innerJoin('crm.workspace_members as m', 'm.workspace_id', 'w.id')
    .select(['w.id', 'w.slug', 'w.schema_name', 'w.settings', 'm.system_role'])
    .where('w.slug', '=', slug)
    .where('m.user_id', '=', userId)
    .where('m.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, slug: row.slug, schemaName: row.schema_name, settings: { ...DEFAULT_SETTINGS, ...row.settings }, role: row.system_role };
}
