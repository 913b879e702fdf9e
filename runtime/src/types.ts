import type { Label, UiField, UiLayout } from '@crm/ui';

export interface NavEntity {
  key: string;
  label: Label;
  pluralLabel: Label;
  titleField: string;
  ownership: 'owned' | 'none';
  canCreate: boolean;
  conversion: boolean;
  /** Records are activities or tasks: the record page's timeline and quick actions show them. */
  isActivity: boolean;
  fields: UiField[];
  archivedFields: { key: string; label: Label }[];
  layout: UiLayout | null;
  views: { id: string; label: Label; type: 'list' | 'kanban'; columns: string[]; sort: { field: string; direction: 'asc' | 'desc' }[]; filter?: unknown }[];
  related: { entity: string; field: string; label: Label }[];
}

export interface Navigation {
  workspace: { slug: string; role: string };
  entities: NavEntity[];
}

export interface Me { id: string; name: string; email: string; workspaces: { slug: string; name: string; role: string }[] }

/** A layout for entities whose document has none: every field, two columns. */
export function layoutOf(e: NavEntity): UiLayout {
  return e.layout ?? { tabs: [{ id: 'main', label: { 'zh-CN': '详情', en: 'Details' }, sections: [{ id: 'all', columns: 2, items: e.fields.map((f) => ({ kind: 'field' as const, field: f.key })) }] }] };
}
