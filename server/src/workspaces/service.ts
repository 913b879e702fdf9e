import { sql, type Kysely, type RawBuilder } from 'kysely';
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

type WorkspaceRow = {
  id: string; slug: string; schema_name: string; settings: Partial<WorkspaceSettings>; system_role: SystemRole;
  role_keys: string[] | null; team_users: string[] | null; tree_users: string[] | null;
};

/**
 * The workspace of a slug as seen by the user `userRef` names, with what record
 * permissions need: entity roles and the users of the caller's teams (with and
 * without sub-teams). One statement, so a request pays one round trip for it.
 */
function workspaceQuery(slug: string, userRef: RawBuilder<unknown>) {
  return sql`
    select w.id, w.slug, w.schema_name, w.settings, m.system_role,
      (select array_agg(role_key) from crm.member_roles r where r.workspace_id = w.id and r.user_id = ${userRef}) as role_keys,
      (select array_agg(distinct tm.user_id) from crm.team_members tm where tm.team_id in (
        select t.id from crm.teams t join crm.team_members me on me.team_id = t.id where t.workspace_id = w.id and me.user_id = ${userRef})) as team_users,
      (with recursive tree as (
         select t.id from crm.teams t join crm.team_members me on me.team_id = t.id where t.workspace_id = w.id and me.user_id = ${userRef}
         union
         select c.id from crm.teams c join tree on c.parent_id = tree.id
       ) select array_agg(distinct tm.user_id) from crm.team_members tm where tm.team_id in (select id from tree)) as tree_users
    from crm.workspaces w join crm.workspace_members m on m.workspace_id = w.id
    where w.slug = ${slug} and m.user_id = ${userRef} and m.status = 'active'`;
}

function toContext(row: WorkspaceRow, userId: string): WorkspaceContext {
  return {
    id: row.id,
    slug: row.slug,
    schemaName: row.schema_name,
    settings: { ...DEFAULT_SETTINGS, ...row.settings },
    role: row.system_role,
    roleKeys: row.role_keys ?? [],
    teamUsers: row.team_users ?? [userId],
    teamTreeUsers: row.tree_users ?? [userId],
  };
}


/** The workspace of a slug for a user (server-side jobs: template install, demo data); undefined when not an active member. */
export async function workspaceFor(db: Kysely<any>, slug: string, userId: string): Promise<WorkspaceContext | undefined> {
  if (!SLUG.test(slug)) return undefined;
  const { rows } = await sql<WorkspaceRow>`${workspaceQuery(slug, sql`${userId}::uuid`)}`.execute(db);
  return rows[0] ? toContext(rows[0], userId) : undefined;
}

export type Credential = { kind: 'session' | 'token'; hash: string };

/** Session (or API token) and workspace together: the first thing every `/api/w/:ws` request needs, in one round trip. */
export async function resolveSessionWorkspace(db: Kysely<any>, credential: Credential, now: Date, slug: string) {
  const slugOk = SLUG.test(slug);
  const who = credential.kind === 'session'
    ? sql`select u.id as user_id, u.email, u.name, u.locale, s.expires_at from crm.sessions s join crm.users u on u.id = s.user_id
          where s.id_hash = ${credential.hash} and s.expires_at > ${now} and u.status = 'active'`
    : sql`select u.id as user_id, u.email, u.name, u.locale, 'infinity'::timestamptz as expires_at from crm.api_tokens t join crm.users u on u.id = t.user_id
          where t.token_hash = ${credential.hash} and t.revoked_at is null and u.status = 'active'`;
  const { rows } = await sql<{ user_id: string; email: string; name: string; locale: string; expires_at: Date } & Partial<WorkspaceRow>>`
    with s as (${who})
    select s.*, w.* from s left join lateral (${workspaceQuery(slugOk ? slug : '', sql`s.user_id`)}) w on true`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const user = { id: row.user_id, email: row.email, name: row.name, locale: row.locale };
  const expiresAt = row.expires_at instanceof Date && !Number.isNaN(row.expires_at.getTime()) ? row.expires_at : new Date(8.64e15);
  return { user, workspace: row.id ? toContext(row as WorkspaceRow, user.id) : undefined, expiresAt };
}
