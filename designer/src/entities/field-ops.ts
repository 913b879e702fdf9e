import { FIELD_TYPES, fieldTypes, type FieldType } from '@crm/metadata';
import type { EntityBody, FieldBody } from '../model.js';
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
  const label = { 'zh-CN': `新${name['zh-CN']}`, en: `New ${name.en.toLowerCase()}` };
  const key = uniqueKey(ctx.lang === 'en' ? label.en : label['zh-CN'], id, takenKeys(e));
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
