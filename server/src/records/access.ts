import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SystemRole, WorkspaceContext } from '../context.js';
import type { EntityModel, RoleModel, Scope, WorkspaceModel } from './model.js';

export type Right = 'read' | 'update' | 'delete';

/**
 * Who is asking, resolved once per request: system role, entity roles, and
 * the users of their teams (direct, and with sub-teams). Record permissions
 * become ONE SQL predicate from this, on every read and write path.
 */
export interface Access {
  userId: string;
  systemRole: SystemRole;
  roles: RoleModel[];
  teamUsers: string[];
  teamTreeUsers: string[];
}

const RANK: Record<Scope, number> = { none: 0, own: 1, team: 2, teamTree: 3, all: 4 };

/** Record access of a caller, from what `resolveWorkspace` loaded with the request (no extra query). */
export function resolveAccess(ws: WorkspaceContext, userId: string, model: WorkspaceModel): Access {
  return {
    userId,
    systemRole: ws.role,
    roles: ws.roleKeys.map((k) => model.roles.get(k)).filter((r): r is RoleModel => !!r),
    teamUsers: ws.teamUsers,
    teamTreeUsers: ws.teamTreeUsers,
  };
}

const isAdmin = (a: Access) => a.systemRole === 'owner' || a.systemRole === 'admin';

export function scopeOf(a: Access, entity: string, right: Right): Scope {
  if (isAdmin(a)) return 'all';
  let best: Scope = 'none';
  for (const r of a.roles) {
    const s = r.permissions[entity]?.[right] ?? 'none';
    if (RANK[s] > RANK[best]) best = s;
  }
  return best;
}

export function canCreate(a: Access, entity: string): boolean {
  return isAdmin(a) || a.roles.some((r) => r.permissions[entity]?.create === true);
}

/** Assigning an owner other than oneself needs a scope wider than one's own records. */
export function canAssignOwner(a: Access, entity: string): boolean {
  return RANK[scopeOf(a, entity, 'update')] >= RANK.team;
}

export function poolReadable(a: Access, entity: string): boolean {
  return isAdmin(a) || a.roles.some((r) => r.pool.includes(entity));
}

/**
 * The predicate for `right` on rows of `model`, with columns qualified by
 * `alias`. Child records without an owner inherit their parent's access
 * through `parentField`; the public pool (no owner) is readable by roles
 * granted it.
 */
export function accessPredicate(ws: WorkspaceModel, a: Access, model: EntityModel, right: Right, schema: string, alias: string, depth = 0): RawBuilder<SqlBool> {
  const ref = (c: string) => sql.ref(`${alias}.${c}`);
  const e = model.entity;
  if (e.ownership !== 'owned') {
    const parentField = e.parentField;
    const parentKey = parentField ? String(model.fields.get(parentField)?.target ?? '') : '';
    const parent = parentKey ? ws.entities.get(parentKey) : undefined;
    if (parent && parentField && depth < 5) {
      const p = `p${depth + 1}`;
      // Access to a child follows access to its parent (read for read; update for any change to lines).
      const parentRight: Right = right === 'read' ? 'read' : 'update';
      return sql<SqlBool>`exists (select 1 from ${sql.table(`${schema}.${parent.table}`)} as ${sql.id(p)}
        where ${sql.ref(`${p}.id`)} = ${ref(parentField)} and ${sql.ref(`${p}.deleted_at`)} is null
        and ${accessPredicate(ws, a, parent, parentRight, schema, p, depth + 1)})`;
    }
    return scopeOf(a, e.key, right) === 'none' ? sql<SqlBool>`false` : sql<SqlBool>`true`;
  }
  const scope = scopeOf(a, e.key, right);
  const byScope: Record<Scope, RawBuilder<SqlBool>> = {
    all: sql<SqlBool>`true`,
    teamTree: sql<SqlBool>`${ref('owner_id')} = any(${a.teamTreeUsers}::uuid[])`,
    team: sql<SqlBool>`${ref('owner_id')} = any(${a.teamUsers}::uuid[])`,
    own: sql<SqlBool>`${ref('owner_id')} = ${a.userId}::uuid`,
    none: sql<SqlBool>`false`,
  };
  if (right === 'read' && scope !== 'all' && poolReadable(a, e.key)) {
    return sql<SqlBool>`(${byScope[scope]} or ${ref('owner_id')} is null)`;
  }
  return byScope[scope];
}
