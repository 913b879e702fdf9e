import { SCOPES, type EntityPermission, type Role, type Scope } from '@crm/metadata';

/**
 * Pure state logic of the administration screens: who may grant what, the
 * team tree built from the flat list the API returns, the role matrix's cell
 * updates, and server errors spread over form fields. No React, no antd.
 */

// ---- Members -------------------------------------------------------------------------------

export const SYSTEM_ROLES = ['owner', 'admin', 'designer', 'member'] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

export interface Member {
  id: string;
  email: string;
  name: string;
  systemRole: SystemRole;
  status: 'active' | 'inactive';
  roles: string[];
  teams: string[];
  /** Not sent by the server today; shown when it is. */
  lastSignInAt?: string | null;
}

/** Only an owner hands out owner or admin (the server enforces the same). */
export const grantableRoles = (myRole: SystemRole | undefined): SystemRole[] =>
  myRole === 'owner' ? [...SYSTEM_ROLES] : SYSTEM_ROLES.filter((r) => r === 'designer' || r === 'member');

/** Nobody changes themselves; owners and admins are changed by owners only. */
export const canManage = (me: { id: string; role: SystemRole } | undefined, m: Member): boolean =>
  !!me && me.id !== m.id && (me.role === 'owner' || (m.systemRole !== 'owner' && m.systemRole !== 'admin'));

/** Who may take over a member's records: other active members. */
export const reassignTargets = (members: readonly Member[], from: string): Member[] =>
  members.filter((m) => m.id !== from && m.status === 'active');

/** `{accounts: 3, leads: 1}` -> total 4 and the parts, largest first, for the result message. */
export function movedSummary(moved: Readonly<Record<string, number>>, name: (table: string) => string): { total: number; parts: string[] } {
  const entries = Object.entries(moved).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total: entries.reduce((s, [, n]) => s + n, 0), parts: entries.map(([t, n]) => `${name(t)} ${n}`) };
}

// ---- Server errors on form fields ----------------------------------------------------------

export interface ServerError { code: string; message: string; details?: readonly { pointer: string; message: string }[] }

/**
 * Puts each detail on the form field its pointer names (`/email` -> email,
 * `/roles/1` -> roles); codes without details go to the field they are about
 * (`CRM_ERR_DUPLICATE` -> email); what fits nowhere comes back as `rest`.
 */
export function fieldErrors(err: ServerError, fields: readonly string[], byCode: Readonly<Record<string, string>> = {}): { fields: Record<string, string[]>; rest: string[] } {
  const out: Record<string, string[]> = {};
  const rest: string[] = [];
  for (const d of err.details ?? []) {
    const name = d.pointer.split('/').filter(Boolean)[0];
    if (name && fields.includes(name)) (out[name] ??= []).push(d.message);
    else rest.push(d.message);
  }
  if (!err.details?.length) {
    const field = byCode[err.code];
    if (field && fields.includes(field)) out[field] = [err.message];
    else rest.push(err.message);
  } else if (rest.length) rest.unshift(err.message);
  return { fields: out, rest };
}

// ---- Teams ---------------------------------------------------------------------------------

export interface TeamMember { userId: string; isManager: boolean }
export interface Team {
  id: string;
  name: string;
  parentId: string | null;
  attributes?: Record<string, unknown>;
  members: TeamMember[];
}
export interface TeamNode { team: Team; children: TeamNode[] }

const byName = (a: Team, b: Team) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id);

/**
 * The flat list as a forest, children by name. A team whose parent is
 * missing, or that sits in a loop, is shown at the top rather than lost.
 */
export function teamTree(teams: readonly Team[]): TeamNode[] {
  const ids = new Set(teams.map((t) => t.id));
  const looped = new Set(teams.filter((t) => inLoop(teams, t.id)).map((t) => t.id));
  const rootOf = (t: Team) => !t.parentId || !ids.has(t.parentId) || looped.has(t.id);
  const build = (t: Team): TeamNode => ({
    team: t,
    children: teams.filter((c) => !rootOf(c) && c.parentId === t.id).sort(byName).map(build),
  });
  return teams.filter(rootOf).sort(byName).map(build);
}

function inLoop(teams: readonly Team[], id: string): boolean {
  const parent = new Map(teams.map((t) => [t.id, t.parentId]));
  const seen = new Set<string>();
  for (let at = parent.get(id); at; at = parent.get(at)) {
    if (at === id) return true;
    if (seen.has(at)) return false;
    seen.add(at);
  }
  return false;
}

/** The team and every team below it. */
export function subtreeIds(teams: readonly Team[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of teams) if (t.parentId && out.has(t.parentId) && !out.has(t.id)) { out.add(t.id); grew = true; }
  }
  return out;
}

/** Teams that may become `id`'s parent: not itself, nothing below it. */
export const parentCandidates = (teams: readonly Team[], id: string | undefined): Team[] => {
  const below = id ? subtreeIds(teams, id) : new Set<string>();
  return teams.filter((t) => !below.has(t.id)).sort(byName);
};

/** "销售部 / 华东区" for a select label. */
export function teamPath(teams: readonly Team[], id: string): string {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const names: string[] = [];
  const seen = new Set<string>();
  for (let t = byId.get(id); t && !seen.has(t.id); t = t.parentId ? byId.get(t.parentId) : undefined) {
    seen.add(t.id);
    names.unshift(t.name);
  }
  return names.join(' / ');
}

/**
 * The new parent after dropping `dragId` on `targetId` in the tree: into the
 * target, or beside it (same parent). `undefined` when the move would put a
 * team below itself or changes nothing.
 */
export function dropParent(teams: readonly Team[], dragId: string, targetId: string, besideTarget: boolean): string | null | undefined {
  const target = teams.find((t) => t.id === targetId);
  const drag = teams.find((t) => t.id === dragId);
  if (!target || !drag) return undefined;
  const parent = besideTarget ? target.parentId : target.id;
  if (parent && subtreeIds(teams, dragId).has(parent)) return undefined;
  return parent === drag.parentId ? undefined : parent;
}

/** The member list after picking users in a multi-select: kept users keep their manager flag. */
export function withMembers(current: readonly TeamMember[], userIds: readonly string[]): TeamMember[] {
  const was = new Map(current.map((m) => [m.userId, m.isManager]));
  return [...new Set(userIds)].map((userId) => ({ userId, isManager: was.get(userId) ?? false }));
}

export const withManager = (current: readonly TeamMember[], userId: string, isManager: boolean): TeamMember[] =>
  current.map((m) => (m.userId === userId ? { ...m, isManager } : m));

/** The body of PUT/POST teams/:id; attributes go back as they were (the server replaces them). */
export const teamBody = (t: Pick<Team, 'name' | 'parentId' | 'attributes' | 'members'>) => ({
  name: t.name.trim(),
  parentId: t.parentId ?? null,
  attributes: t.attributes ?? {},
  members: t.members.map((m) => ({ userId: m.userId, isManager: m.isManager })),
});

// ---- Role matrix ---------------------------------------------------------------------------

export const RIGHTS = ['read', 'update', 'delete'] as const;
export type ScopedRight = (typeof RIGHTS)[number];
/** Narrowest first (the schema's order): a wider scope covers the narrower ones. */
export const SCOPE_ORDER: readonly Scope[] = SCOPES;
const rank = (s: Scope) => SCOPE_ORDER.indexOf(s);

export const NO_ACCESS: EntityPermission = { create: false, read: 'none', update: 'none', delete: 'none' };

export const permissionOf = (role: Role, entity: string): EntityPermission => role.permissions[entity] ?? NO_ACCESS;

/** Entities whose records have no owner (and no owned parent) only know none and all. */
export const scopesFor = (entity: { ownership: string; parentField?: string }): Scope[] =>
  entity.ownership === 'none' && !entity.parentField ? ['none', 'all'] : [...SCOPE_ORDER];

/**
 * Sets one cell. Update and delete never reach further than read (the
 * validator refuses it): widening them widens read, narrowing read narrows them.
 */
export function setRight(role: Role, entity: string, right: 'create' | ScopedRight, value: boolean | Scope): Role {
  const p = { ...permissionOf(role, entity) };
  if (right === 'create') p.create = value as boolean;
  else {
    const s = value as Scope;
    p[right] = s;
    if (right === 'read') {
      for (const r of ['update', 'delete'] as const) if (rank(p[r]) > rank(s)) p[r] = s;
    } else if (rank(s) > rank(p.read)) p.read = s;
  }
  return { ...role, permissions: { ...role.permissions, [entity]: p } };
}

/** One right set on every listed entity (the column header's "set all"). */
export const setColumn = (role: Role, entities: readonly string[], right: 'create' | ScopedRight, value: boolean | Scope): Role =>
  entities.reduce((r, e) => setRight(r, e, right, value), role);

/** Claiming from the public pool: only for owned entities, listed once. */
export function setPool(role: Role, entity: string, on: boolean): Role {
  const pool = (role.pool ?? []).filter((k) => k !== entity);
  return { ...role, pool: on ? [...pool, entity] : pool };
}

/** Drops an entity from the role (e.g. one that no longer exists), its pool entry too. */
export function removeEntity(role: Role, entity: string): Role {
  const { [entity]: _gone, ...permissions } = role.permissions;
  return { ...role, permissions, pool: (role.pool ?? []).filter((k) => k !== entity) };
}

/** Permission keys that name no live entity of the draft (shown so they can be removed). */
export const strayEntities = (role: Role, live: readonly string[]): string[] =>
  [...Object.keys(role.permissions), ...(role.pool ?? [])].filter((k, i, all) => !live.includes(k) && all.indexOf(k) === i);

/** The pool checkbox's pointer: the validator addresses pool entries by index. */
export const poolPointer = (role: Role, entity: string): string | undefined => {
  const i = (role.pool ?? []).indexOf(entity);
  return i < 0 ? undefined : `/pool/${i}`;
};

export const newRole = (id: string, key: string, label: { 'zh-CN': string; en: string }): Role =>
  ({ id, key, schemaVersion: 1, label, permissions: {}, pool: [] }) as Role;

/** RFC 6901: `/` and `~` inside a key are escaped in pointers. */
export const pointerPart = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

// ---- Settings ------------------------------------------------------------------------------

/**
 * The zone list for the select: Asia/Shanghai first, then the current value
 * when the browser does not list it (e.g. an alias like UTC), then the rest.
 */
export function orderedTimeZones(zones: readonly string[], current?: string, first = 'Asia/Shanghai'): string[] {
  const head = [first, ...(current && current !== first && !zones.includes(current) ? [current] : [])];
  return [...head, ...zones.filter((z) => !head.includes(z))];
}

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP', 'TWD', 'SGD', 'KRW', 'AUD', 'CAD', 'CHF', 'MOP', 'MYR', 'THB', 'VND', 'INR', 'AED', 'RUB', 'NZD'] as const;

/** Only what changed goes in the PATCH (the server refuses an empty one). */
export function settingsPatch<T extends object>(before: T, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) if (after[k] !== undefined && after[k] !== before[k]) out[k] = after[k];
  return out;
}

