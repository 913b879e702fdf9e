import { describe, expect, it } from 'vitest';
import type { Role } from '@crm/metadata';
import {
  canManage, dropParent, fieldErrors, grantableRoles, movedSummary, newRole, orderedTimeZones, parentCandidates, permissionOf, poolPointer,
  reassignTargets, removeEntity, scopesFor, setColumn, setPool, setRight, settingsPatch, strayEntities, subtreeIds, teamBody, teamPath, teamTree,
  withManager, withMembers, type Member, type Team, type TeamNode,
} from './admin-ops.js';

const member = (id: string, systemRole: Member['systemRole'], status: Member['status'] = 'active'): Member =>
  ({ id, email: `${id}@x.cn`, name: id, systemRole, status, roles: [], teams: [] });

describe('members', () => {
  it('lets only owners grant owner and admin', () => {
    expect(grantableRoles('owner')).toEqual(['owner', 'admin', 'designer', 'member']);
    expect(grantableRoles('admin')).toEqual(['designer', 'member']);
    expect(grantableRoles(undefined)).toEqual(['designer', 'member']);
  });

  it('never lets you change yourself, and keeps owners and admins for owners', () => {
    const owner = { id: 'o', role: 'owner' as const };
    const admin = { id: 'a', role: 'admin' as const };
    expect(canManage(owner, member('o', 'owner'))).toBe(false);
    expect(canManage(owner, member('a', 'admin'))).toBe(true);
    expect(canManage(admin, member('o', 'owner'))).toBe(false);
    expect(canManage(admin, member('b', 'admin'))).toBe(false);
    expect(canManage(admin, member('m', 'member'))).toBe(true);
    expect(canManage(undefined, member('m', 'member'))).toBe(false);
  });

  it('offers other active members as new owners of the records', () => {
    const all = [member('a', 'member'), member('b', 'member', 'inactive'), member('c', 'designer')];
    expect(reassignTargets(all, 'a').map((m) => m.id)).toEqual(['c']);
  });

  it('sums what was moved, largest first, with entity names', () => {
    expect(movedSummary({ leads: 1, accounts: 3, contacts: 0 }, (t) => t.toUpperCase())).toEqual({ total: 4, parts: ['ACCOUNTS 3', 'LEADS 1'] });
    expect(movedSummary({}, (t) => t)).toEqual({ total: 0, parts: [] });
  });
});

describe('server errors on form fields', () => {
  const fields = ['email', 'name', 'systemRole', 'roles'];

  it('puts details on the field the pointer names, indexes included', () => {
    const r = fieldErrors({ code: 'CRM_ERR_BAD_REQUEST', message: '请求格式不正确', details: [
      { pointer: '/email', message: '邮箱格式不正确' }, { pointer: '/roles/1', message: '格式不对' }] }, fields);
    expect(r).toEqual({ fields: { email: ['邮箱格式不正确'], roles: ['格式不对'] }, rest: [] });
  });

  it('maps a code without details to its field', () => {
    expect(fieldErrors({ code: 'CRM_ERR_DUPLICATE', message: 'a@b.cn 已存在' }, fields, { CRM_ERR_DUPLICATE: 'email' }))
      .toEqual({ fields: { email: ['a@b.cn 已存在'] }, rest: [] });
  });

  it('returns what fits no field, with the headline message when details were unplaced', () => {
    expect(fieldErrors({ code: 'CRM_ERR_FORBIDDEN', message: '没有权限' }, fields, { CRM_ERR_DUPLICATE: 'email' })).toEqual({ fields: {}, rest: ['没有权限'] });
    expect(fieldErrors({ code: 'CRM_ERR_BAD_REQUEST', message: 'bad', details: [{ pointer: '/', message: 'extra property' }] }, fields))
      .toEqual({ fields: {}, rest: ['bad', 'extra property'] });
  });
});

const team = (id: string, name: string, parentId: string | null = null): Team => ({ id, name, parentId, members: [] });
const shape = (nodes: TeamNode[]): unknown => nodes.map((n) => (n.children.length ? { [n.team.name]: shape(n.children) } : n.team.name));

describe('team tree', () => {
  const teams = [team('e', '华东', 's'), team('s', '销售部'), team('n', '华北', 's'), team('sh', '上海', 'e'), team('f', '财务部')];

  it('nests children under parents, sorted by name', () => {
    expect(shape(teamTree(teams))).toEqual(['财务部', { 销售部: ['华北', { 华东: ['上海'] }] }]);
  });

  it('keeps teams with a missing parent or in a loop at the top instead of losing them', () => {
    const odd = [team('a', 'A', 'gone'), team('b', 'B', 'c'), team('c', 'C', 'b')];
    expect(shape(teamTree(odd))).toEqual(['A', 'B', 'C']);
  });

  it('never offers a team or its descendants as its own parent', () => {
    expect([...subtreeIds(teams, 's')].sort()).toEqual(['e', 'n', 's', 'sh']);
    expect(parentCandidates(teams, 'e').map((t) => t.id)).toEqual(['f', 'n', 's']);
    expect(parentCandidates(teams, undefined)).toHaveLength(5);
  });

  it('names a team by its path', () => {
    expect(teamPath(teams, 'sh')).toBe('销售部 / 华东 / 上海');
    expect(teamPath([team('x', 'X', 'y'), team('y', 'Y', 'x')], 'x')).toBe('Y / X');
  });

  it('moves a dropped team into the target or beside it, never below itself', () => {
    expect(dropParent(teams, 'f', 'e', false)).toBe('e');
    expect(dropParent(teams, 'f', 'e', true)).toBe('s');
    expect(dropParent(teams, 'sh', 's', true)).toBeNull();
    expect(dropParent(teams, 's', 'sh', false)).toBeUndefined();
    expect(dropParent(teams, 'e', 'n', true)).toBeUndefined();
    expect(dropParent(teams, 'e', 'missing', true)).toBeUndefined();
  });

  it('keeps manager flags of members still picked', () => {
    const cur = [{ userId: 'a', isManager: true }, { userId: 'b', isManager: false }];
    expect(withMembers(cur, ['a', 'c', 'c'])).toEqual([{ userId: 'a', isManager: true }, { userId: 'c', isManager: false }]);
    expect(withManager(cur, 'b', true)).toEqual([{ userId: 'a', isManager: true }, { userId: 'b', isManager: true }]);
  });

  it('sends attributes back and a null parent for a top team', () => {
    expect(teamBody({ name: ' 华南 ', parentId: null, attributes: { region: 'S' }, members: [{ userId: 'a', isManager: true }] }))
      .toEqual({ name: '华南', parentId: null, attributes: { region: 'S' }, members: [{ userId: 'a', isManager: true }] });
  });
});

describe('role matrix', () => {
  const role = (): Role => ({
    ...newRole('rol_x', 'rep', { 'zh-CN': '销售', en: 'Rep' }),
    permissions: { accounts: { create: true, read: 'team', update: 'own', delete: 'none' } },
  });

  it('reads an unlisted entity as no access', () => {
    expect(permissionOf(role(), 'leads')).toEqual({ create: false, read: 'none', update: 'none', delete: 'none' });
  });

  it('adds an entity on the first cell set, leaving the others as they were', () => {
    const r = setRight(role(), 'leads', 'create', true);
    expect(r.permissions.leads).toEqual({ create: true, read: 'none', update: 'none', delete: 'none' });
    expect(r.permissions.accounts).toEqual(role().permissions.accounts);
  });

  it('narrows update and delete with read, and widens read with them', () => {
    expect(setRight(role(), 'accounts', 'read', 'own').permissions.accounts).toEqual({ create: true, read: 'own', update: 'own', delete: 'none' });
    expect(setRight(role(), 'accounts', 'read', 'none').permissions.accounts).toMatchObject({ read: 'none', update: 'none', delete: 'none' });
    expect(setRight(role(), 'accounts', 'delete', 'all').permissions.accounts).toEqual({ create: true, read: 'all', update: 'own', delete: 'all' });
    expect(setRight(role(), 'accounts', 'update', 'team').permissions.accounts).toMatchObject({ read: 'team', update: 'team' });
  });

  it('does not mutate the role it is given', () => {
    const r = role();
    setRight(r, 'accounts', 'read', 'none');
    expect(r).toEqual(role());
  });

  it('sets a whole column', () => {
    const r = setColumn(role(), ['accounts', 'leads'], 'read', 'all');
    expect([r.permissions.accounts!.read, r.permissions.leads!.read]).toEqual(['all', 'all']);
  });

  it('offers owner scopes only where records have an owner', () => {
    expect(scopesFor({ ownership: 'owned' })).toEqual(['none', 'own', 'team', 'teamTree', 'all']);
    expect(scopesFor({ ownership: 'none' })).toEqual(['none', 'all']);
    expect(scopesFor({ ownership: 'none', parentField: 'order' })).toHaveLength(5);
  });

  it('lists a pool entity once and finds its pointer', () => {
    let r = setPool(setPool(role(), 'leads', true), 'leads', true);
    r = setPool(r, 'accounts', true);
    expect(r.pool).toEqual(['leads', 'accounts']);
    expect(poolPointer(r, 'accounts')).toBe('/pool/1');
    expect(poolPointer(r, 'contacts')).toBeUndefined();
    expect(setPool(r, 'leads', false).pool).toEqual(['accounts']);
  });

  it('finds and removes entities the draft no longer has', () => {
    const r = setPool({ ...role(), permissions: { ...role().permissions, old: { create: false, read: 'all', update: 'none', delete: 'none' } } }, 'gone', true);
    expect(strayEntities(r, ['accounts'])).toEqual(['old', 'gone']);
    const cleaned = removeEntity(removeEntity(r, 'old'), 'gone');
    expect(strayEntities(cleaned, ['accounts'])).toEqual([]);
    expect(Object.keys(cleaned.permissions)).toEqual(['accounts']);
  });
});

describe('settings', () => {
  it('puts Asia/Shanghai first and keeps a current zone the browser does not list', () => {
    expect(orderedTimeZones(['Africa/Abidjan', 'Asia/Shanghai', 'Europe/Paris'])).toEqual(['Asia/Shanghai', 'Africa/Abidjan', 'Europe/Paris']);
    expect(orderedTimeZones(['Europe/Paris'], 'UTC')).toEqual(['Asia/Shanghai', 'UTC', 'Europe/Paris']);
    expect(orderedTimeZones(['Europe/Paris'], 'Europe/Paris')).toEqual(['Asia/Shanghai', 'Europe/Paris']);
  });

  it('patches only what changed', () => {
    const before = { timeZone: 'Asia/Shanghai', currency: 'CNY', locale: 'zh-CN', fiscalYearStartMonth: 1 };
    expect(settingsPatch(before, { ...before, currency: 'USD', fiscalYearStartMonth: 4 })).toEqual({ currency: 'USD', fiscalYearStartMonth: 4 });
    expect(settingsPatch(before, before)).toEqual({});
  });
});
