import type { Entity, Field, Layout, Pipeline, Role, View } from '@crm/metadata';

/** Document bodies as the editors handle them (the server validates them for real). */
export type EntityBody = Entity;
export type FieldBody = Field & { options?: OptionBody[]; target?: string; [k: string]: unknown };
export type OptionBody = { id: string; key: string; label: { 'zh-CN'?: string; en?: string }; active?: boolean; color?: string };
export type LayoutBody = Layout;
export type ViewBody = View;
export type PipelineBody = Pipeline;
export type RoleBody = Role;
