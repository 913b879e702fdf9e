import { fieldTypes, isFieldType } from '../field-types/registry.js';
import type { Layout } from '../schemas/layout.js';
import { liveEntity, liveField, type Ctx } from './context.js';
import { ptr, type Sinks } from './issue.js';

/** Tab and section ids are unique; every item names a live field of the entity (once) or a relation pointing here. */
export function checkLayout(l: Layout, { own, ref }: Sinks, ctx: Ctx): void {
  const e = liveEntity(ctx, l.entity, '/entity', ref);
  const ids = new Set<string>();
  const seeId = (id: string, at: string) => {
    if (ids.has(id)) own(at, 'META_DUPLICATE_ID', { id });
    ids.add(id);
  };
  const placed = new Set<string>();
  l.tabs.forEach((tab, t) => {
    seeId(tab.id, ptr('tabs', t, 'id'));
    tab.sections.forEach((section, s) => {
      const sat = ptr('tabs', t, 'sections', s);
      seeId(section.id, `${sat}/id`);
      section.items.forEach((item, i) => {
        const at = `${sat}${ptr('items', i)}`;
        if (item.kind === 'field') {
          if (item.span !== undefined && item.span > section.columns) own(`${at}/span`, 'META_OUT_OF_RANGE', { comparison: '<=', limit: section.columns });
          if (placed.has(item.field)) own(`${at}/field`, 'META_DUPLICATE_ITEM', { item: item.field });
          placed.add(item.field);
          if (e) liveField(e, item.field, `${at}/field`, ref);
        } else if (item.kind === 'relatedList') {
          const child = liveEntity(ctx, item.entity, `${at}/entity`, ref);
          const via = child && liveField(child, item.field, `${at}/field`, ref);
          if (via && e && (via.type !== 'relation' || via.target !== e.key)) ref(`${at}/field`, 'META_RELATION_TARGET', { field: via.key, entity: e.key });
        }
      });
    });
  });
  if (!e) return;
  for (const f of e.fields.values()) {
    if (f.required === true && !f.archived && !e.bad.has(f) && f.defaultValue === undefined && isFieldType(f.type) && !fieldTypes[f.type].computed && !placed.has(f.key)) {
      ref('/tabs', 'META_LAYOUT_MISSING_REQUIRED', { field: f.key });
    }
  }
}
