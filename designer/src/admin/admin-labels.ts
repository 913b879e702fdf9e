import type { Scope } from '@crm/metadata';
import type { Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { ScopedRight, SystemRole } from './admin-ops.js';

/** Names shown for the server's enums, one entry per value so a new value fails to compile until it is named. */
type Names<K extends string> = Record<K, readonly [zh: string, en: string]>;

export const SYSTEM_ROLE_NAMES: Names<SystemRole> = {
  owner: ['所有者', 'Owner'],
  admin: ['管理员', 'Admin'],
  designer: ['设计者', 'Designer'],
  member: ['成员', 'Member'],
};

export const SYSTEM_ROLE_HINTS: Names<SystemRole> = {
  owner: ['全部权限，可任命管理员', 'Everything, appoints admins'],
  admin: ['管理成员、团队与设置', 'Manages members, teams and settings'],
  designer: ['可修改并发布对象设计', 'Edits and publishes the design'],
  member: ['按业务角色使用 CRM', 'Uses the CRM by business role'],
};

export const SCOPE_NAMES: Names<Scope> = {
  none: ['无', 'None'],
  own: ['本人', 'Own'],
  team: ['本团队', 'Team'],
  teamTree: ['本团队及下级', 'Team and below'],
  all: ['全部', 'All'],
};

export const RIGHT_NAMES: Names<ScopedRight | 'create'> = {
  create: ['新建', 'Create'],
  read: ['查看', 'Read'],
  update: ['编辑', 'Update'],
  delete: ['删除', 'Delete'],
};

export const nameOf = <K extends string>(names: Names<K>, key: K, lang: Lang): string => {
  const n = names[key];
  return n ? tr(lang, n[0], n[1]) : key;
};

export const MONTHS: readonly (readonly [string, string])[] = Array.from({ length: 12 }, (_, i) => [`${i + 1} 月`, new Date(2000, i, 1).toLocaleString('en', { month: 'long' })] as const);
