import { fieldTypes } from '../field-types/registry.js';
import { SORTABLE_SYSTEM_COLUMNS, type View } from '../schemas/view.js';
import { checkRule, checkUnique, liveEntity, liveField, type Ctx } from './context.js';
import { ptr, type Sinks } from './issue.js';

/** Columns, sort, filter, kanban grouping and card fields name live fields of the entity; roles exist. */
export function checkView(v: View, sinks: Sinks, ctx: Ctx): void {
  const { own, ref } = sinks;
  checkUnique(v.columns, (i) => ptr('columns', i), own);
  checkUnique(v.sort.map((s) => s.field), (i) => ptr('sort', i, 'field'), own);
  checkUnique(v.cardFields ?? [], (i) => ptr('cardFields', i), own);
  checkUnique(v.roles ?? [], (i) => ptr('roles', i), own);
  (v.roles ?? []).forEach((r, i) => {
    if (!ctx.roles.has(r)) ref(ptr('roles', i), 'META_UNKNOWN_ROLE', { role: r });
  });
  if (v.type === 'kanban' && !v.groupBy) own('/groupBy', 'META_REQUIRED', { property: 'groupBy' });

  const e = liveEntity(ctx, v.entity, '/entity', ref);
  if (!e) return;
  v.columns.forEach((c, i) => liveField(e, c, ptr('columns', i), ref));
  const systemSortable = new Set<string>(SORTABLE_SYSTEM_COLUMNS.filter((c) => c !== 'last_activity_at' || e.body.hasActivities));
  v.sort.forEach((s, i) => {
    if (systemSortable.has(s.field)) return;
    const f = liveField(e, s.field, ptr('sort', i, 'field'), ref);
    if (f && !fieldTypes[f.type].sortable) ref(ptr('sort', i, 'field'), 'META_NOT_SORTABLE', { field: f.key });
  });
  if (v.filter) checkRule(v.filter, e, '/filter', sinks, false);
  if (v.groupBy) {
    const g = liveField(e, v.groupBy, '/groupBy', ref);
    if (g && g.type !== 'select') ref('/groupBy', 'META_FIELD_WRONG_TYPE', { field: g.key, expected: 'select' });
  }
  (v.cardFields ?? []).forEach((c, i) => liveField(e, c, ptr('cardFields', i), ref));
}
