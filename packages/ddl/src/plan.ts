import { fieldTypes, type ColumnSpec } from '@crm/metadata';
import { conversion } from './conversions.js';
import { indexName } from './names.js';
import type { Action, IndexSpec, PlanEntity, PlanField, PlanIssue, Ref } from './model.js';

/**
 * Diffs the published entities against the draft and returns the steps that
 * take the database from one to the other. Pure: never throws on bad input,
 * never mutates. Nothing is dropped: a field or entity missing from the draft
 * is carried over as archived, an option missing from a field as inactive, so
 * `entities` (what will be published) always keeps every published element.
 *
 *   planSchema([], [opportunities]) -> createTable + createIndex...
 *   planSchema([opp{budget}], [opp{}]) -> archiveField(budget); entities keep budget with archived: true
 */
export function planSchema(published: readonly PlanEntity[], draft: readonly PlanEntity[]): {
  actions: Action[];
  issues: PlanIssue[];
  entities: PlanEntity[];
} {
  const actions: Action[] = [];
  const issues: PlanIssue[] = [];
  const foreignKeys: Action[] = [];
  const draftById = new Map(draft.map((e) => [e.id, e]));
  const entities: PlanEntity[] = [];

  for (const next of draft) {
    const prev = published.find((e) => e.id === next.id);
    if (!prev) {
      entities.push(next);
      if (next.archived) continue;
      planNewEntity(next, actions, foreignKeys);
      continue;
    }
    const merged = mergeEntity(prev, next);
    entities.push(merged);
    planEntityChange(prev, merged, actions, foreignKeys, issues);
  }
  for (const prev of published) {
    if (draftById.has(prev.id)) continue;
    const archived = { ...prev, archived: true };
    entities.push(archived);
    if (!prev.archived) actions.push({ kind: 'archiveEntity', entity: ref(prev), table: prev.key });
  }
  // Indexes go before column type changes (a search index cannot survive text -> number); keys come last.
  const phase = (a: Action) => (a.kind === 'dropIndex' ? 0 : a.kind === 'createIndex' ? 2 : 1);
  const ordered = [...actions].sort((a, b) => phase(a) - phase(b));
  return { actions: [...ordered, ...foreignKeys], issues, entities };
}

/** System columns every entity table has (CONVENTIONS.md §2), some depending on entity settings. */
export function systemColumns(entity: Pick<PlanEntity, 'ownership' | 'hasActivities'>): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    { name: 'id', sqlType: 'uuid' },
    { name: 'created_at', sqlType: 'timestamptz' },
    { name: 'updated_at', sqlType: 'timestamptz' },
    { name: 'created_by', sqlType: 'uuid', references: { kind: 'users' } },
    { name: 'updated_by', sqlType: 'uuid', references: { kind: 'users' } },
    { name: 'version', sqlType: 'integer' },
    { name: 'deleted_at', sqlType: 'timestamptz' },
  ];
  if ((entity.ownership ?? 'owned') === 'owned') cols.push({ name: 'owner_id', sqlType: 'uuid', references: { kind: 'users' } });
  if (entity.hasActivities) cols.push({ name: 'last_activity_at', sqlType: 'timestamptz' });
  return cols;
}

export function fieldColumns(field: PlanField): ColumnSpec[] {
  return fieldTypes[field.type].columns(field);
}

/** The indexes a field asks for: relations and `indexed` get a b-tree, `unique` a partial unique index, `searchable` trigram + grams. */
export function fieldIndexes(table: string, field: PlanField): IndexSpec[] {
  const def = fieldTypes[field.type];
  const cols = def.columns(field);
  const out: IndexSpec[] = [];
  const first = cols[0];
  if (!first) return out;
  const isReference = cols.some((c) => c.references);
  if (field.unique && def.supports.unique) out.push(spec(table, first.name, 'unique'));
  else if ((field.indexed && def.supports.indexed) || isReference) out.push(spec(table, first.name, 'btree'));
  if (field.searchable && def.supports.searchable) {
    for (const c of cols.filter((c) => c.sqlType === 'text')) {
      out.push(spec(table, c.name, 'trigram'), spec(table, c.name, 'grams'));
    }
  }
  return out;
}

function spec(table: string, column: string, kind: IndexSpec['kind']): IndexSpec {
  return { name: indexName(table, column, kind), kind, column };
}

function systemIndexes(table: string, entity: PlanEntity): IndexSpec[] {
  const out = [spec(table, 'updated_at', 'btree')];
  if ((entity.ownership ?? 'owned') === 'owned') out.push(spec(table, 'owner_id', 'btree'));
  return out;
}

function planNewEntity(e: PlanEntity, actions: Action[], foreignKeys: Action[]) {
  const table = e.key;
  const live = e.fields.filter((f) => !f.archived);
  const columns = [...systemColumns(e), ...e.fields.flatMap(fieldColumns)];
  actions.push({ kind: 'createTable', entity: ref(e), table, columns: columns.map(({ references: _r, ...c }) => c) });
  for (const c of systemColumns(e)) {
    if (c.references) foreignKeys.push({ kind: 'addForeignKey', entity: ref(e), table, field: { id: c.name, key: c.name, label: {} }, column: c.name, references: c.references });
  }
  for (const f of e.fields) {
    for (const c of fieldColumns(f)) {
      if (c.references) foreignKeys.push({ kind: 'addForeignKey', entity: ref(e), table, field: ref(f), column: c.name, references: c.references });
    }
  }
  for (const index of systemIndexes(table, e)) actions.push({ kind: 'createIndex', entity: ref(e), table, field: null, index });
  for (const f of live) {
    for (const index of fieldIndexes(table, f)) actions.push({ kind: 'createIndex', entity: ref(e), table, field: ref(f), index });
  }
}

/** Carries over what the draft left out: published fields (archived) and options (inactive). */
function mergeEntity(prev: PlanEntity, next: PlanEntity): PlanEntity {
  const fields = next.fields.map((f) => {
    const old = prev.fields.find((p) => p.id === f.id);
    if (!old?.options || !f.options) return f;
    const missing = old.options.filter((o) => !f.options!.some((n) => n.id === o.id));
    return missing.length ? { ...f, options: [...f.options, ...missing.map((o) => ({ ...o, active: false }))] } : f;
  });
  for (const old of prev.fields) {
    if (!fields.some((f) => f.id === old.id)) fields.push({ ...old, archived: true });
  }
  return { ...next, fields };
}

function planEntityChange(prev: PlanEntity, next: PlanEntity, actions: Action[], foreignKeys: Action[], issues: PlanIssue[]) {
  const table = prev.key;
  const e = ref(prev);
  if (next.key !== prev.key) {
    issues.push({ kind: 'entity', id: next.id, pointer: '/key', code: 'DDL_KEY_IMMUTABLE', params: { from: prev.key, to: next.key } });
    return;
  }
  if (prev.archived && !next.archived) actions.push({ kind: 'restoreEntity', entity: e, table });
  if (!prev.archived && next.archived) actions.push({ kind: 'archiveEntity', entity: e, table });

  const have = new Set([...systemColumns(prev), ...prev.fields.flatMap(fieldColumns)].map((c) => c.name));
  for (const c of systemColumns(next)) {
    if (have.has(c.name)) continue;
    actions.push({ kind: 'addColumn', entity: e, table, field: null, column: { name: c.name, sqlType: c.sqlType } });
    if (c.references) foreignKeys.push({ kind: 'addForeignKey', entity: e, table, field: { id: c.name, key: c.name, label: {} }, column: c.name, references: c.references });
  }
  const prevSysIdx = new Set(systemIndexes(table, prev).map((i) => i.name));
  for (const index of systemIndexes(table, next)) {
    if (!prevSysIdx.has(index.name)) actions.push({ kind: 'createIndex', entity: e, table, field: null, index });
  }

  next.fields.forEach((f, i) => {
    const old = prev.fields.find((p) => p.id === f.id);
    const pointer = `/fields/${i}`;
    if (!old) {
      const clash = prev.fields.find((p) => p.key === f.key);
      if (clash) {
        issues.push({ kind: 'entity', id: next.id, pointer: `${pointer}/key`, code: 'DDL_FIELD_ID_REUSED', params: { key: f.key, id: clash.id } });
        return;
      }
      for (const column of fieldColumns(f)) {
        actions.push({ kind: 'addColumn', entity: e, table, field: ref(f), column: { name: column.name, sqlType: column.sqlType } });
        if (column.references) foreignKeys.push({ kind: 'addForeignKey', entity: e, table, field: ref(f), column: column.name, references: column.references });
      }
      if (!f.archived) for (const index of fieldIndexes(table, f)) actions.push({ kind: 'createIndex', entity: e, table, field: ref(f), index });
      return;
    }
    planFieldChange(e, table, old, f, pointer, next.id, actions, issues);
  });
}

function planFieldChange(e: Ref, table: string, old: PlanField, f: PlanField, pointer: string, entityId: string, actions: Action[], issues: PlanIssue[]) {
  if (old.key !== f.key) {
    issues.push({ kind: 'entity', id: entityId, pointer: `${pointer}/key`, code: 'DDL_KEY_IMMUTABLE', params: { from: old.key, to: f.key } });
    return;
  }
  const fr = ref(f);
  const oldCols = fieldColumns(old);
  const newCols = fieldColumns(f);
  const oldRef = oldCols.find((c) => c.references);
  const newRef = newCols.find((c) => c.references);
  if (JSON.stringify(oldRef?.references) !== JSON.stringify(newRef?.references)) {
    issues.push({ kind: 'entity', id: entityId, pointer: `${pointer}/${f.type === 'relation' ? 'target' : 'type'}`, code: 'DDL_RELATION_TARGET_IMMUTABLE', params: { field: f.key } });
    return;
  }
  // Column layout must stay: same names; a type per column may change when every value converts.
  const sameNames = oldCols.length === newCols.length && oldCols.every((c, i) => c.name === newCols[i]!.name);
  if (!sameNames) {
    issues.push({ kind: 'entity', id: entityId, pointer: `${pointer}/type`, code: 'DDL_TYPE_CHANGE_UNSUPPORTED', params: { field: f.key, from: old.type, to: f.type } });
    return;
  }
  for (let i = 0; i < newCols.length; i++) {
    const from = oldCols[i]!.sqlType;
    const to = newCols[i]!.sqlType;
    if (from === to) continue;
    if (!conversion(from, to)) {
      issues.push({ kind: 'entity', id: entityId, pointer: `${pointer}/type`, code: 'DDL_TYPE_CHANGE_UNSUPPORTED', params: { field: f.key, from: `${old.type} (${from})`, to: `${f.type} (${to})` } });
      return;
    }
    actions.push({ kind: 'alterColumnType', entity: e, table, field: fr, column: newCols[i]!.name, from, to, fromType: old.type, toType: f.type });
  }
  // Becoming a select: stored values must be option keys.
  if ((f.type === 'select' || f.type === 'multiselect') && f.options && old.type !== f.type) {
    actions.push({ kind: 'checkValues', entity: e, table, field: fr, column: newCols[0]!.name, allowed: f.options.map((o) => o.key), array: f.type === 'multiselect' });
  }

  if (!old.archived && f.archived) actions.push({ kind: 'archiveField', entity: e, table, field: fr, columns: newCols.map((c) => c.name) });
  if (old.archived && !f.archived) actions.push({ kind: 'restoreField', entity: e, table, field: fr });

  // Indexes follow the field's flags; an archived field keeps none beyond what it had (its column stays).
  const oldIdx = old.archived ? [] : fieldIndexes(table, old);
  const newIdx = f.archived ? [] : fieldIndexes(table, f);
  for (const index of oldIdx) {
    if (!newIdx.some((n) => n.name === index.name)) actions.push({ kind: 'dropIndex', entity: e, table, field: fr, index });
  }
  for (const index of newIdx) {
    if (!oldIdx.some((o) => o.name === index.name)) actions.push({ kind: 'createIndex', entity: e, table, field: fr, index });
  }

  const prevOptions = new Map((old.options ?? []).map((o) => [o.id, o]));
  for (const o of f.options ?? []) {
    const before = prevOptions.get(o.id);
    if (!before) continue;
    const wasActive = before.active !== false;
    const isActive = o.active !== false;
    if (wasActive && !isActive) actions.push({ kind: 'deactivateOption', entity: e, table, field: fr, column: newCols[0]!.name, option: ref(o), array: f.type === 'multiselect' });
    if (!wasActive && isActive) actions.push({ kind: 'reactivateOption', entity: e, table, field: fr, option: ref(o) });
  }
}

function ref(x: { id: string; key: string; label: Ref['label'] }): Ref {
  return { id: x.id, key: x.key, label: x.label };
}
