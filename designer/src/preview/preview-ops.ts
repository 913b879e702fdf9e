import { ruleSchemaFor } from '@crm/metadata';
import { evaluate, type EvalContext } from '@crm/rules';
import type { UiField, UiLayout } from '@crm/ui';

/**
 * What the preview renders: the draft entity's live fields and layout, with
 * the draft conditional rules applied to the record being shown, the same way
 * the records service decides them on a write (server/src/records/checks.ts).
 */

type Label = { 'zh-CN'?: string; en?: string };
interface FieldLike { key: string; type: string; label: Label; archived?: boolean; required?: boolean; [k: string]: unknown }
interface RuleLike { id: string; kind: string; field?: string; when?: unknown }
export interface PreviewEntity { key: string; ownership?: string; hasActivities?: boolean; fields: readonly FieldLike[]; rules: readonly RuleLike[] }

/** Fields a form can show: archived ones are out of use. */
export const liveFields = (entity: PreviewEntity): UiField[] => entity.fields.filter((f) => !f.archived) as unknown as UiField[];

/** The runtime's stand-in for an entity without a layout (runtime/src/types.ts layoutOf): every field, two columns. */
export const fallbackLayout = (fields: readonly UiField[]): UiLayout => ({
  tabs: [{ id: 'main', label: { 'zh-CN': '详情', en: 'Details' }, sections: [{ id: 'all', columns: 2, items: fields.map((f) => ({ kind: 'field' as const, field: f.key })) }] }],
});

export interface RuleEffects {
  hidden: Set<string>;
  required: Set<string>;
  readOnly: Set<string>;
  /** Rules that do not validate against the draft fields (the designer shows their issues; the preview ignores them). */
  broken: string[];
}

/**
 * The fields a record's state hides, requires or locks. A field is hidden
 * when its visibleIf does not hold, required / read-only while its
 * requiredIf / readOnlyIf holds.
 */
export function ruleEffects(entity: PreviewEntity, record: Readonly<Record<string, unknown>>, ctx: EvalContext): RuleEffects {
  const out: RuleEffects = { hidden: new Set(), required: new Set(), readOnly: new Set(), broken: [] };
  const live = new Set(entity.fields.filter((f) => !f.archived).map((f) => f.key));
  const schema = ruleSchemaFor({ ownership: entity.ownership, hasActivities: entity.hasActivities, fields: entity.fields as never });
  for (const r of entity.rules) {
    if (r.kind !== 'visibleIf' && r.kind !== 'requiredIf' && r.kind !== 'readOnlyIf') continue;
    if (!r.field || !live.has(r.field)) continue;
    let holds: boolean;
    try {
      holds = evaluate(r.when, schema, record, ctx);
    } catch {
      out.broken.push(r.id);
      continue;
    }
    if (r.kind === 'visibleIf' && !holds) out.hidden.add(r.field);
    if (r.kind === 'requiredIf' && holds) out.required.add(r.field);
    if (r.kind === 'readOnlyIf' && holds) out.readOnly.add(r.field);
  }
  return out;
}

/** The layout without the hidden fields (sections left empty disappear in the form as they do in the runtime). */
export function withoutHidden(layout: UiLayout, hidden: ReadonlySet<string>): UiLayout {
  if (!hidden.size) return layout;
  return {
    tabs: layout.tabs.map((t) => ({
      ...t,
      sections: t.sections.map((s) => ({ ...s, items: s.items.filter((i) => i.kind !== 'field' || !hidden.has(i.field)) })),
    })),
  };
}

/** The fields with the conditionally required ones marked required. */
export const withRequired = (fields: readonly UiField[], required: ReadonlySet<string>): UiField[] =>
  fields.map((f) => (required.has(f.key) && !f.required ? { ...f, required: true } : f));

interface ViewLike { id: string; body: { entity: string; type: string; columns?: string[] } }

/**
 * The list preview's columns: those of the entity's first list view (by id,
 * as the designer lists them), else its first six fields; unknown and
 * archived fields are left out.
 */
export function listColumns(views: readonly ViewLike[], entityKey: string, fields: readonly UiField[]): { view: string | null; columns: UiField[] } {
  const view = views.filter((v) => v.body.entity === entityKey && v.body.type === 'list').sort((a, b) => a.id.localeCompare(b.id))[0];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  if (!view) return { view: null, columns: fields.slice(0, 6) };
  return { view: view.id, columns: (view.body.columns ?? []).flatMap((k) => byKey.get(k) ?? []) };
}

/** Relation fields to `?expand=` on the sample records: only those the published table has. */
export const expandable = (published: PreviewEntity | undefined): string[] =>
  (published?.fields ?? []).filter((f) => f.type === 'relation' && !f.archived).map((f) => f.key);

/** A record's name in the switcher. */
export const recordTitle = (record: Readonly<Record<string, unknown>>, titleField: string): string => {
  const v = record[titleField];
  return v === null || v === undefined || v === '' ? String(record.id ?? '') : String(v);
};
