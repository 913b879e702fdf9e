import type { FieldType } from '@crm/metadata';
import type { Lang } from './labels.js';
import type { Api } from './api.js';

/** A field as the runtime sees it (from the published entity document). */
export interface UiField {
  key: string;
  type: FieldType;
  label: { 'zh-CN'?: string; en?: string };
  required?: boolean;
  options?: { key: string; label: { 'zh-CN'?: string; en?: string }; color?: string; active?: boolean }[];
  target?: string;
  [k: string]: unknown;
}

export interface WidgetContext { lang: Lang; api: Api; ws: string; titles?: Record<string, string>; members?: { id: string; name: string; status?: string }[]; /** The signed-in user (quick actions assign tasks to them). */ userId?: string }

