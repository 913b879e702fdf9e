import { FIELD_TYPES, fieldTypes, type FieldType } from '@crm/metadata';
import type { EntityBody, FieldBody, LayoutBody, PipelineBody, ViewBody } from '../model.js';
import { withDoc, type DocSet } from '../state/documents.js';
import { newId, proposeKey } from './keys.js';

/** Palette groups, in the order a business user looks for them. */
export const TYPE_GROUPS: { zh: string; en: string; types: FieldType[] }[] = [
  { zh: '文本', en: 'Text', types: ['text', 'textarea', 'richtext', 'email', 'phone', 'url'] },
  { zh: '数字与日期', en: 'Numbers & dates', types: ['integer', 'decimal', 'currency', 'percent', 'date', 'datetime', 'boolean'] },
  { zh: '选择与关联', en: 'Choices & links', types: ['select', 'multiselect', 'relation', 'user', 'address', 'file'] },
  { zh: '计算', en: 'Computed', types: ['autonumber', 'formula', 'lookup', 'rollup'] },
];
// Every registered type appears in the palette exactly once (a new type without a group fails this at load).
const grouped = TYPE_GROUPS.flatMap((g) => g.types);
if (grouped.length !== FIELD_TYPES.length || FIELD_TYPES.some((t) => !grouped.includes(t))) throw new Error('field palette out of date');

/** Keys already used by the entity's fields (archived included: a key is never reused) and columns. */
export function takenKeys(e: EntityBody): Set<string> {
  return new Set(e.fields.flatMap((f) => (f.type === 'address' ? [f.key, ...['province', 'city', 'district', 'detail'].map((p) => `${f.key}_${p}`)] : [f.key])));
}

/** A key from the label that no field of the entity uses yet (`name`, `name_2`, ...). */
export function uniqueKey(label: string, id: string, taken: ReadonlySet<string>): string {
  const base = proposeKey(label, id);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const k = `${base.slice(0, 36)}_${i}`;
    if (!taken.has(k)) return k;
  }
}

/** A new field of `type` with the settings its type needs to be valid (the user then edits them). */
export function newField(type: FieldType, e: EntityBody, ctx: { entities: readonly EntityBody[]; lang: 'zh-CN' | 'en' }): FieldBody {
  const id = newId('fld');
  const name = fieldTypes[type].label;
  // A label in the designer's language only; the key is what the settings panel derives from the label, so it follows renames.
  const label = ctx.lang === 'en' ? { en: `New ${name.en.toLowerCase()}` } : { 'zh-CN': `新${name['zh-CN']}` };
  const key = uniqueKey(label.en ?? label['zh-CN'] ?? '', id, takenKeys(e));
  const f: FieldBody = { id, key, type, label };
  const other = ctx.entities.find((x) => x.key !== e.key && !x.archived);
  switch (type) {
    case 'select': case 'multiselect':
      f.options = [1, 2].map((i) => ({ id: newId('opt'), key: `option_${i}`, label: { 'zh-CN': `选项${i}`, en: `Option ${i}` }, active: true }));
      break;
    case 'relation': f.target = other?.key ?? e.key; f.onDelete = 'keep'; break;
    case 'autonumber': f.pattern = `${e.key.slice(0, 3).toUpperCase()}-{YYYY}-{0000}`; break;
    case 'formula': f.expression = null; f.resultType = 'decimal'; break;
    case 'currency': f.scale = 2; break;
    case 'lookup': {
      const rel = e.fields.find((x) => x.type === 'relation' && !x.archived);
      f.through = rel?.key ?? ''; f.field = 'id'; break;
    }
    case 'rollup': {
      const child = ctx.entities.find((x) => x.fields.some((y) => y.type === 'relation' && y.target === e.key));
      f.child = child?.key ?? ''; f.via = child?.fields.find((y) => y.type === 'relation' && y.target === e.key)?.key ?? '';
      f.aggregate = 'count'; f.resultType = 'integer'; break;
    }
  }
  return f;
}

export function insertField(e: EntityBody, f: FieldBody, index = e.fields.length): EntityBody {
  const fields = [...e.fields];
  fields.splice(Math.max(0, Math.min(index, fields.length)), 0, f);
  return { ...e, fields };
}

export function moveField(e: EntityBody, fromId: string, toId: string): EntityBody {
  const from = e.fields.findIndex((f) => f.id === fromId);
  const to = e.fields.findIndex((f) => f.id === toId);
  if (from < 0 || to < 0 || from === to) return e;
  const fields = [...e.fields];
  const [f] = fields.splice(from, 1);
  fields.splice(to, 0, f!);
  return { ...e, fields };
}

export function patchField(e: EntityBody, id: string, patch: Partial<FieldBody> | ((f: FieldBody) => FieldBody)): EntityBody {
  return {
    ...e,
    fields: e.fields.map((f) => {
      if (f.id !== id) return f;
      const next = typeof patch === 'function' ? patch(f as FieldBody) : { ...f, ...patch };
      // `undefined` means "not set": drop the key so the document stays minimal.
      return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as FieldBody;
    }),
  };
}

/**
 * Removing a field: a published one is archived (its column and values stay,
 * restorable); one that exists only in the draft simply goes.
 */
export function removeField(e: EntityBody, id: string, published: boolean): EntityBody {
  if (published) return patchField(e, id, { archived: true });
  return { ...e, fields: e.fields.filter((f) => f.id !== id), rules: e.rules.filter((r) => !('field' in r) || e.fields.find((f) => f.id === id)?.key !== r.field) };
}

/**
 * Takes a field out of use everywhere in one step: the entity (archived or,
 * if never published, removed), and every form, view and stage gate that
 * names it, which would otherwise refuse to publish. Rules whose conditions
 * read it are left for the validator to point at: rewriting a condition is
 * the designer's call.
 */
export function takeFieldOutOfUse(docs: DocSet, entityId: string, fieldId: string, published: boolean): DocSet {
  const entity = docs[`entity/${entityId}`]?.body as EntityBody | undefined;
  const field = entity?.fields.find((f) => f.id === fieldId);
  if (!entity || !field) return docs;
  const key = field.key;
  let next = withDoc(docs, 'entity', entityId, removeField(entity, fieldId, published));
  for (const doc of Object.values(docs)) {
    const b = doc.body as { entity?: string };
    if (b.entity !== entity.key) continue;
    if (doc.kind === 'layout') {
      const l = doc.body as LayoutBody;
      const uses = l.tabs.some((t) => t.sections.some((s) => s.items.some((i) => i.kind === 'field' && i.field === key)));
      if (uses) next = withDoc(next, 'layout', doc.id, { ...l, tabs: l.tabs.map((t) => ({ ...t, sections: t.sections.map((s) => ({ ...s, items: s.items.filter((i) => !(i.kind === 'field' && i.field === key)) })) })) });
    } else if (doc.kind === 'view') {
      const v = doc.body as ViewBody;
      const uses = v.columns.includes(key) || v.sort.some((s) => s.field === key) || v.groupBy === key || (v.cardFields ?? []).includes(key);
      if (!uses) continue;
      const columns = v.columns.filter((c) => c !== key);
      const { groupBy: _g, ...rest } = v;
      next = withDoc(next, 'view', doc.id, {
        ...(v.groupBy === key ? rest : v),
        columns: columns.length ? columns : [entity.titleField],
        sort: v.sort.filter((s) => s.field !== key),
        ...(v.cardFields ? { cardFields: v.cardFields.filter((c) => c !== key) } : {}),
      });
    } else if (doc.kind === 'pipeline') {
      const p = doc.body as PipelineBody;
      if (!p.stages.some((s) => s.gate?.requiredFields?.includes(key))) continue;
      next = withDoc(next, 'pipeline', doc.id, {
        ...p,
        stages: p.stages.map((s) => {
          if (!s.gate?.requiredFields?.includes(key)) return s;
          const requiredFields = s.gate.requiredFields.filter((k) => k !== key);
          const gate = { ...s.gate, requiredFields };
          if (!requiredFields.length) delete (gate as { requiredFields?: string[] }).requiredFields;
          const { gate: _old, ...stage } = s;
          return Object.keys(gate).length ? { ...stage, gate } : stage;
        }),
      });
    }
  }
  return next;
}

/** Adds a field and places it at the end of the entity's form (first layout, first tab, last section), in one step. */
export function addFieldWithPlacement(docs: DocSet, entityId: string, field: FieldBody, index?: number): DocSet {
  const entity = docs[`entity/${entityId}`]?.body as EntityBody | undefined;
  if (!entity) return docs;
  let next = withDoc(docs, 'entity', entityId, insertField(entity, field, index));
  const layout = Object.values(docs).filter((d) => d.kind === 'layout' && (d.body as LayoutBody).entity === entity.key).sort((a, b) => a.id.localeCompare(b.id))[0];
  const l = layout?.body as LayoutBody | undefined;
  const tab = l?.tabs[0];
  if (layout && l && tab && tab.sections.length) {
    const last = tab.sections.length - 1;
    next = withDoc(next, 'layout', layout.id, {
      ...l,
      tabs: l.tabs.map((t, ti) => (ti ? t : { ...t, sections: t.sections.map((s, si) => (si === last ? { ...s, items: [...s.items, { kind: 'field' as const, field: field.key }] } : s)) })),
    });
  }
  return next;
}

/**
 * A field's key changed (allowed until it is published): every form, view,
 * rule, gate and title that named the old key follows, in the same step.
 */
export function renameKeyEverywhere(docs: DocSet, entityId: string, from: string, to: string): DocSet {
  const entity = docs[`entity/${entityId}`]?.body as EntityBody | undefined;
  if (!entity || from === to) return docs;
  const swap = (k: string) => (k === from ? to : k);
  // Rules are data: rename `{"var": from}` wherever it appears.
  const inRule = (x: unknown): unknown => Array.isArray(x) ? x.map(inRule)
    : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, k === 'var' && v === from ? to : inRule(v)])) : x;
  let next = withDoc(docs, 'entity', entityId, {
    ...entity,
    titleField: swap(entity.titleField),
    fields: entity.fields.map((f) => (f.key === from ? { ...f, key: to } : f.type === 'formula' ? { ...f, expression: inRule(f.expression) } : f)),
    rules: entity.rules.map((r) => inRule('field' in r ? { ...r, field: swap(r.field) } : r) as EntityBody['rules'][number]),
  });
  for (const doc of Object.values(docs)) {
    if ((doc.body as { entity?: string }).entity !== entity.key) continue;
    if (doc.kind === 'layout') {
      const l = doc.body as LayoutBody;
      next = withDoc(next, 'layout', doc.id, { ...l, tabs: l.tabs.map((t) => ({ ...t, sections: t.sections.map((s) => ({ ...s, items: s.items.map((i) => (i.kind === 'field' ? { ...i, field: swap(i.field) } : i)) })) })) });
    } else if (doc.kind === 'view') {
      const v = doc.body as ViewBody;
      next = withDoc(next, 'view', doc.id, inRule({
        ...v, columns: v.columns.map(swap), sort: v.sort.map((s) => ({ ...s, field: swap(s.field) })),
        ...(v.groupBy ? { groupBy: swap(v.groupBy) } : {}), ...(v.cardFields ? { cardFields: v.cardFields.map(swap) } : {}),
      }));
    } else if (doc.kind === 'pipeline') {
      const p = doc.body as PipelineBody;
      next = withDoc(next, 'pipeline', doc.id, inRule({
        ...p, field: swap(p.field),
        stages: p.stages.map((s) => (s.gate?.requiredFields ? { ...s, gate: { ...s.gate, requiredFields: s.gate.requiredFields.map(swap) } } : s)),
      }));
    }
  }
  return next;
}
