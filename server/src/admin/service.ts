import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isValidTimeZone } from '@crm/rules';
import { hashPassword } from '../auth/passwords.js';
import { AppError } from '../errors/app-error.js';
import { uuidv7 } from '../infra/ids.js';
import type { SystemRole, WorkspaceContext, WorkspaceSettings } from '../context.js';
import type { PublishedMetadata } from '../metadata/cache.js';
import { workspaceModel } from '../records/model.js';
import { reassignedNotification, titleSql } from '../notifications/assigned.js';

export interface Admin { userId: string; ip?: string; role: SystemRole }

/** Upper bound of the daily pool claim limit (a typo of 20000 would empty a pool in a morning). */
export const POOL_CLAIM_MAX = 1000;

const temporaryPassword = () => randomBytes(12).toString('base64url');

/**
 * Workspace administration: members (invite, roles, deactivate, reset
 * password, hand a leaver's records to someone else), teams, settings. The
 * escalation rules peers got wrong are enforced here: nobody changes their own
 * role, only an owner grants owner or admin or touches another owner, and the
 * last owner stays.
 */
export class AdminService {
  constructor(private readonly db: Kysely<any>, private readonly published: (ws: WorkspaceContext) => Promise<PublishedMetadata>) {}

  async members(ws: WorkspaceContext) {
    const { rows } = await sql`
      select u.id, u.email, u.name, m.system_role as "systemRole", m.status,
        coalesce((select array_agg(role_key order by role_key) from crm.member_roles r where r.workspace_id = m.workspace_id and r.user_id = u.id), '{}') as roles,
        coalesce((select array_agg(t.id) from crm.team_members tm join crm.teams t on t.id = tm.team_id where t.workspace_id = m.workspace_id and tm.user_id = u.id), '{}') as teams
      from crm.workspace_members m join crm.users u on u.id = m.user_id
      where m.workspace_id = ${ws.id} order by u.email`.execute(this.db);
    return rows;
  }

  async invite(ws: WorkspaceContext, admin: Admin, input: { email: string; name: string; systemRole: SystemRole; roles?: string[] }) {
    this.mayGrant(admin, input.systemRole);
    await this.checkRoles(ws, input.roles ?? []);
    const email = input.email.trim().toLowerCase();
    return this.db.transaction().execute(async (tx) => {
      let user = await tx.selectFrom('crm.users').select(['id']).where(sql`lower(email)`, '=', email).executeTakeFirst();
      let password: string | undefined;
      if (!user) {
        password = temporaryPassword();
        user = { id: uuidv7() };
        await tx.insertInto('crm.users').values({ id: user.id, email, name: input.name, password_hash: await hashPassword(password) }).execute();
      }
      const exists = await tx.selectFrom('crm.workspace_members').select('user_id').where('workspace_id', '=', ws.id).where('user_id', '=', user.id).executeTakeFirst();
      if (exists) throw new AppError('CRM_ERR_DUPLICATE', { name: email });
      await tx.insertInto('crm.workspace_members').values({ workspace_id: ws.id, user_id: user.id, system_role: input.systemRole }).execute();
      for (const role of input.roles ?? []) await tx.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: user.id, role_key: role }).execute();
      await audit(tx, ws, admin, 'member.invite', user.id, { email, systemRole: input.systemRole, roles: input.roles ?? [] });
      // Without mail delivery yet, the temporary password is shown once to the inviting admin.
      return { userId: user.id, temporaryPassword: password };
    });
  }

  async updateMember(ws: WorkspaceContext, admin: Admin, userId: string, input: { systemRole?: SystemRole; roles?: string[]; status?: 'active' | 'inactive' }) {
    if (userId === admin.userId) throw new AppError('CRM_ERR_FORBIDDEN');
    return this.db.transaction().execute(async (tx) => {
      const current = await this.lockMember(tx, ws, userId);
      if ((current.system_role === 'owner' || current.system_role === 'admin') && admin.role !== 'owner') throw new AppError('CRM_ERR_FORBIDDEN');
      if (input.systemRole) this.mayGrant(admin, input.systemRole);
      const losingOwner = current.system_role === 'owner' && ((input.systemRole && input.systemRole !== 'owner') || input.status === 'inactive');
      if (losingOwner) await this.keepAnOwner(tx, ws, userId);
      if (input.systemRole || input.status) {
        await tx.updateTable('crm.workspace_members').set({ ...(input.systemRole ? { system_role: input.systemRole } : {}), ...(input.status ? { status: input.status } : {}) })
          .where('workspace_id', '=', ws.id).where('user_id', '=', userId).execute();
      }
      if (input.roles) {
        await this.checkRoles(ws, input.roles);
        await tx.deleteFrom('crm.member_roles').where('workspace_id', '=', ws.id).where('user_id', '=', userId).execute();
        for (const role of input.roles) await tx.insertInto('crm.member_roles').values({ workspace_id: ws.id, user_id: userId, role_key: role }).execute();
      }
      await audit(tx, ws, admin, 'member.update', userId, { before: { systemRole: current.system_role, status: current.status }, after: input });
    });
  }

  async resetPassword(ws: WorkspaceContext, admin: Admin, userId: string) {
    return this.db.transaction().execute(async (tx) => {
      const current = await this.lockMember(tx, ws, userId);
      if ((current.system_role === 'owner' || current.system_role === 'admin') && admin.role !== 'owner' && userId !== admin.userId) throw new AppError('CRM_ERR_FORBIDDEN');
      // A user who belongs to other workspaces too is not theirs to reset.
      const elsewhere = await tx.selectFrom('crm.workspace_members').select('workspace_id').where('user_id', '=', userId).where('workspace_id', '!=', ws.id).executeTakeFirst();
      if (elsewhere) throw new AppError('CRM_ERR_FORBIDDEN');
      const password = temporaryPassword();
      await tx.updateTable('crm.users').set({ password_hash: await hashPassword(password), updated_at: new Date() }).where('id', '=', userId).execute();
      await tx.deleteFrom('crm.sessions').where('user_id', '=', userId).execute();
      await audit(tx, ws, admin, 'member.reset_password', userId, {});
      return { temporaryPassword: password };
    });
  }

  /** Hands every record a (leaving) user owns to another member, with an audit row per record. */
  async reassign(ws: WorkspaceContext, admin: Admin, fromUser: string, toUser: string) {
    const model = workspaceModel(await this.published(ws));
    return this.db.transaction().execute(async (tx) => {
      await this.lockMember(tx, ws, fromUser);
      const target = await this.lockMember(tx, ws, toUser);
      if (target.status !== 'active') throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'the new owner is not an active member' });
      const moved: Record<string, number> = {};
      for (const m of model.entities.values()) {
        if (m.entity.ownership !== 'owned') continue;
        const t = sql.table(`${ws.schemaName}.${m.table}`);
        // The new owner hears of it in the same statement (notifications/assigned.ts), unless they moved them to themselves.
        const note = toUser === admin.userId ? sql`` : sql`, note as (${reassignedNotification(model, m, ws.id, admin.userId, toUser)})`;
        const { rows } = await sql<{ n: number }>`
          with moved as (
            update ${t} as r set owner_id = ${toUser}::uuid, version = version + 1, updated_at = now(), updated_by = ${admin.userId}::uuid
            where owner_id = ${fromUser}::uuid returning r.id, r.version, ${titleSql(m, 'r')} as title
          ), aud as (
            insert into crm.audit_log (workspace_id, actor_id, ip, entity, record_id, action, changes)
            select ${ws.id}::uuid, ${admin.userId}::uuid, ${admin.ip ?? null}, ${m.table}, id::text, 'record.update',
              jsonb_build_object('version', version, 'owner_id', jsonb_build_object('from', ${fromUser}::text, 'to', ${toUser}::text)) from moved
          )${note}
          select count(*)::int as n from moved`.execute(tx);
        if (rows[0]!.n) moved[m.table] = rows[0]!.n;
      }
      await audit(tx, ws, admin, 'member.reassign', fromUser, { to: toUser, moved });
      return moved;
    });
  }

  async teams(ws: WorkspaceContext) {
    const { rows } = await sql`select t.id, t.name, t.parent_id as "parentId", t.attributes,
        coalesce((select json_agg(json_build_object('userId', tm.user_id, 'isManager', tm.is_manager)) from crm.team_members tm where tm.team_id = t.id), '[]') as members
      from crm.teams t where t.workspace_id = ${ws.id} order by t.name`.execute(this.db);
    return rows;
  }

  async saveTeam(ws: WorkspaceContext, admin: Admin, id: string | undefined, input: { name: string; parentId?: string | null; attributes?: Record<string, unknown>; members?: { userId: string; isManager?: boolean }[] }) {
    return this.db.transaction().execute(async (tx) => {
      const teamId = id ?? uuidv7();
      if (input.parentId) {
        const parent = await tx.selectFrom('crm.teams').select('id').where('workspace_id', '=', ws.id).where('id', '=', input.parentId).executeTakeFirst();
        if (!parent) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'parentId' });
        // No cycles: the new parent may not sit below this team.
        const { rows } = await sql<{ id: string }>`with recursive up as (
            select id, parent_id from crm.teams where id = ${input.parentId}::uuid
            union select t.id, t.parent_id from crm.teams t join up on t.id = up.parent_id)
          select id from up where id = ${teamId}::uuid`.execute(tx);
        if (rows.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'a team cannot sit below itself' });
      }
      if (id) {
        const res = await tx.updateTable('crm.teams').set({ name: input.name, parent_id: input.parentId ?? null, attributes: JSON.stringify(input.attributes ?? {}) })
          .where('workspace_id', '=', ws.id).where('id', '=', id).executeTakeFirst();
        if (!Number(res.numUpdatedRows)) throw new AppError('CRM_ERR_NOT_FOUND');
      } else {
        await tx.insertInto('crm.teams').values({ id: teamId, workspace_id: ws.id, name: input.name, parent_id: input.parentId ?? null, attributes: JSON.stringify(input.attributes ?? {}) }).execute();
      }
      if (input.members) {
        const ids = input.members.map((m) => m.userId);
        const members = ids.length ? await tx.selectFrom('crm.workspace_members').select('user_id').where('workspace_id', '=', ws.id).where('user_id', 'in', ids).execute() : [];
        if (members.length !== new Set(ids).size) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'members must belong to the workspace' });
        await tx.deleteFrom('crm.team_members').where('team_id', '=', teamId).execute();
        if (ids.length) await tx.insertInto('crm.team_members').values(input.members.map((m) => ({ team_id: teamId, user_id: m.userId, is_manager: !!m.isManager }))).execute();
      }
      await audit(tx, ws, admin, id ? 'team.update' : 'team.create', teamId, input);
      return { id: teamId };
    });
  }

  async updateSettings(ws: WorkspaceContext, admin: Admin, input: Partial<WorkspaceSettings>) {
    if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'timeZone' });
    const limit = input.poolClaimLimit;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0 && limit <= POOL_CLAIM_MAX)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'poolClaimLimit' });
    const settings = { ...ws.settings, ...input };
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('crm.workspaces').set({ settings: JSON.stringify(settings) }).where('id', '=', ws.id).execute();
      await audit(tx, ws, admin, 'workspace.settings', ws.id, { before: ws.settings, after: settings });
    });
    return settings;
  }

  private mayGrant(admin: Admin, role: SystemRole) {
    if ((role === 'owner' || role === 'admin') && admin.role !== 'owner') throw new AppError('CRM_ERR_FORBIDDEN');
  }

  private async checkRoles(ws: WorkspaceContext, roles: string[]) {
    const known = workspaceModel(await this.published(ws)).roles;
    const bad = roles.filter((r) => !known.has(r));
    if (bad.length) throw new AppError('CRM_ERR_UNKNOWN_IDENTIFIER', { name: bad.join(', ') });
  }

  private async lockMember(tx: Transaction<any>, ws: WorkspaceContext, userId: string) {
    if (!/^[0-9a-f-]{36}$/.test(userId)) throw new AppError('CRM_ERR_NOT_FOUND');
    const row = await tx.selectFrom('crm.workspace_members').select(['system_role', 'status']).where('workspace_id', '=', ws.id).where('user_id', '=', userId).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('CRM_ERR_NOT_FOUND');
    return row as { system_role: SystemRole; status: string };
  }

  private async keepAnOwner(tx: Transaction<any>, ws: WorkspaceContext, leaving: string) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from crm.workspace_members where workspace_id = ${ws.id}
      and system_role = 'owner' and status = 'active' and user_id <> ${leaving}::uuid`.execute(tx);
    if (!rows[0]!.n) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'a workspace keeps at least one owner' });
  }
}

async function audit(tx: Transaction<any>, ws: WorkspaceContext, admin: Admin, action: string, recordId: string, changes: unknown) {
  await tx.insertInto('crm.audit_log').values({ workspace_id: ws.id, actor_id: admin.userId, ip: admin.ip ?? null, entity: 'admin', record_id: recordId, action, changes: JSON.stringify(changes) }).execute();
}
