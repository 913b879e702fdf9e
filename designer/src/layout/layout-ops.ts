import type { EntityRule, Layout, LayoutItem, LayoutSection, LayoutTab } from '@crm/metadata';

/**
 * Pure edits of a layout document (and of the entity rules the layout
 * designer shows). Every function returns a new body and leaves the input
 * untouched; ids of existing tabs and sections are never regenerated, new ones
 * are passed in by the caller (so the functions stay deterministic).
 */

type LabelText = { 'zh-CN'?: string; en?: string };
export type Lang = 'zh-CN' | 'en';
export type ConditionalKind = 'visibleIf' | 'requiredIf' | 'readOnlyIf';

/** What the ops need to know of a field. */
export interface FieldLike { key: string; type: string; label: LabelText; archived?: boolean; target?: unknown }
export interface EntityLike { key: string; label: LabelText; fields: readonly FieldLike[] }

export const MIN_COLUMNS = 1;
export const MAX_COLUMNS = 4;

export const clampColumns = (n: number): number =>
  Number.isFinite(n) ? Math.min(MAX_COLUMNS, Math.max(MIN_COLUMNS, Math.round(n))) : MIN_COLUMNS;

// ---------------------------------------------------------------------------
// Finding things

export interface SectionPos { tab: number; section: number }

export function findSection(layout: Layout, sectionId: string): SectionPos | null {
  for (let t = 0; t < layout.tabs.length; t++) {
    const s = layout.tabs[t]!.sections.findIndex((x) => x.id === sectionId);
    if (s >= 0) return { tab: t, section: s };
  }
  return null;
}

export const sectionOf = (layout: Layout, sectionId: string): LayoutSection | undefined => {
  const pos = findSection(layout, sectionId);
  return pos ? layout.tabs[pos.tab]!.sections[pos.section] : undefined;
};

/** The tab that holds a section (its id), for "which tab is this in". */
export const tabOfSection = (layout: Layout, sectionId: string): string | undefined => {
  const pos = findSection(layout, sectionId);
  return pos ? layout.tabs[pos.tab]!.id : undefined;
};

/**
 * An id for each item that survives moves: items have no id of their own in
 * the document, so fields are named by their key, related lists by
 * entity.field and help blocks by their rank among the section's help blocks.
 * A repeat (a field placed twice, which the server refuses) gets `#n`.
 */
export function itemUids(section: LayoutSection): string[] {
  const seen = new Map<string, number>();
  let help = 0;
  return section.items.map((item) => {
    const base = item.kind === 'field' ? `field:${item.field}`
      : item.kind === 'relatedList' ? `related:${item.entity}.${item.field}`
      : `help:${section.id}:${help++}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}#${n}` : base;
  });
}

export interface ItemPos { sectionId: string; index: number }

/** Where the item with this uid is now (see itemUids). */
export function findItem(layout: Layout, uid: string): ItemPos | null {
  for (const tab of layout.tabs) {
    for (const s of tab.sections) {
      const i = itemUids(s).indexOf(uid);
      if (i >= 0) return { sectionId: s.id, index: i };
    }
  }
  return null;
}

export const itemAt = (layout: Layout, pos: ItemPos): LayoutItem | undefined => sectionOf(layout, pos.sectionId)?.items[pos.index];

/** Keys of the fields the layout shows (anywhere). */
export function placedFields(layout: Layout): Set<string> {
  const out = new Set<string>();
  for (const t of layout.tabs) for (const s of t.sections) for (const i of s.items) if (i.kind === 'field') out.add(i.field);
  return out;
}

/** The palette: the entity's live fields that no section shows yet, in the entity's order. */
export const unplacedFields = <F extends FieldLike>(fields: readonly F[], layout: Layout): F[] => {
  const placed = placedFields(layout);
  return fields.filter((f) => !f.archived && !placed.has(f.key));
};

/** Placed fields the server will refuse: archived, or not (any more) a field of the entity. */
export function stalePlacements(layout: Layout, fields: readonly FieldLike[]): { field: string; reason: 'archived' | 'unknown' }[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  return [...placedFields(layout)].flatMap((key): { field: string; reason: 'archived' | 'unknown' }[] => {
    const f = byKey.get(key);
    return !f ? [{ field: key, reason: 'unknown' }] : f.archived ? [{ field: key, reason: 'archived' }] : [];
  });
}

export interface RelatedChoice { entity: string; field: string; label: LabelText; fieldLabel: LabelText }

/** Related lists this entity can show: every live relation field of any entity that targets it. */
export function relatedChoices(entities: readonly EntityLike[], entityKey: string): RelatedChoice[] {
  return entities.flatMap((e) => e.fields
    .filter((f) => f.type === 'relation' && f.target === entityKey && !f.archived)
    .map((f) => ({ entity: e.key, field: f.key, label: e.label, fieldLabel: f.label })));
}

/** Related lists not placed yet (a list shown twice is noise). */
export function unplacedRelated(layout: Layout, choices: readonly RelatedChoice[]): RelatedChoice[] {
  const placed = new Set<string>();
  for (const t of layout.tabs) for (const s of t.sections) for (const i of s.items) if (i.kind === 'relatedList') placed.add(`${i.entity}.${i.field}`);
  return choices.filter((c) => !placed.has(`${c.entity}.${c.field}`));
}

// ---------------------------------------------------------------------------
// Internal helpers

const mapSection = (layout: Layout, sectionId: string, fn: (s: LayoutSection) => LayoutSection): Layout => ({
  ...layout,
  tabs: layout.tabs.map((t) => (t.sections.some((s) => s.id === sectionId) ? { ...t, sections: t.sections.map((s) => (s.id === sectionId ? fn(s) : s)) } : t)),
});

const mapTab = (layout: Layout, tabId: string, fn: (t: LayoutTab) => LayoutTab): Layout => ({
  ...layout,
  tabs: layout.tabs.map((t) => (t.id === tabId ? fn(t) : t)),
});

const clampIndex = (i: number, length: number): number => Math.max(0, Math.min(length, Math.trunc(Number.isFinite(i) ? i : length)));

function moveInArray<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [x] = out.splice(from, 1);
  out.splice(clampIndex(to, out.length), 0, x!);
  return out;
}

/** A label with one language set (or cleared); undefined when no language is left. */
export function setLabelText(label: LabelText | undefined, lang: Lang, text: string): LabelText | undefined {
  const next: LabelText = { ...label };
  const v = text.trim() === '' ? undefined : text;
  if (v === undefined) delete next[lang];
  else next[lang] = v;
  return next['zh-CN'] === undefined && next.en === undefined ? undefined : next;
}

// ---------------------------------------------------------------------------
// Items

/** Inserts an item at `index` of a section (end when omitted or out of range). */
export function insertItem(layout: Layout, sectionId: string, item: LayoutItem, index?: number): Layout {
  return mapSection(layout, sectionId, (s) => {
    const items = [...s.items];
    items.splice(clampIndex(index ?? items.length, items.length), 0, item);
    return { ...s, items };
  });
}

/** Places a field; a field already placed elsewhere is moved instead, so a field never shows twice. */
export function placeField(layout: Layout, fieldKey: string, sectionId: string, index?: number): Layout {
  for (const t of layout.tabs) {
    for (const s of t.sections) {
      const at = s.items.findIndex((i) => i.kind === 'field' && i.field === fieldKey);
      if (at >= 0) return moveItem(layout, { sectionId: s.id, index: at }, { sectionId, index: index ?? Number.POSITIVE_INFINITY });
    }
  }
  return insertItem(layout, sectionId, { kind: 'field', field: fieldKey }, index);
}

export function removeItem(layout: Layout, pos: ItemPos): Layout {
  return mapSection(layout, pos.sectionId, (s) => ({ ...s, items: s.items.filter((_, i) => i !== pos.index) }));
}

/**
 * Moves an item so that it ends at `to.index` of `to.sectionId` (clamped):
 * within a section this is arrayMove(from, to); across sections the item is
 * inserted before what is at `to.index` now. A span wider than the target
 * section is narrowed to its columns.
 */
export function moveItem(layout: Layout, from: ItemPos, to: { sectionId: string; index: number }): Layout {
  const source = sectionOf(layout, from.sectionId);
  const target = sectionOf(layout, to.sectionId);
  const item = source?.items[from.index];
  if (!source || !target || !item) return layout;
  if (from.sectionId === to.sectionId) {
    const index = clampIndex(to.index, source.items.length - 1);
    if (index === from.index) return layout;
    return mapSection(layout, from.sectionId, (s) => ({ ...s, items: moveInArray(s.items, from.index, index) }));
  }
  return insertItem(removeItem(layout, from), to.sectionId, fitSpan(item, target.columns), to.index);
}

export function updateItem(layout: Layout, pos: ItemPos, fn: (item: LayoutItem) => LayoutItem): Layout {
  return mapSection(layout, pos.sectionId, (s) => ({ ...s, items: s.items.map((it, i) => (i === pos.index ? fn(it) : it)) }));
}

const fitSpan = (item: LayoutItem, columns: number): LayoutItem => {
  if (item.kind !== 'field' || item.span === undefined) return item;
  const span = Math.min(item.span, columns);
  if (span > 1) return { ...item, span };
  const { span: _drop, ...rest } = item;
  return rest;
};

/** How many columns a field spans, clamped to its section's columns; 1 is the default and is not stored. */
export function setSpan(layout: Layout, pos: ItemPos, span: number): Layout {
  const section = sectionOf(layout, pos.sectionId);
  if (!section) return layout;
  return updateItem(layout, pos, (item) => (item.kind === 'field' ? fitSpan({ ...item, span: clampColumns(span) }, section.columns) : item));
}

export function setHelpText(layout: Layout, pos: ItemPos, lang: Lang, text: string): Layout {
  return updateItem(layout, pos, (item) => {
    if (item.kind !== 'help') return item;
    // The schema wants a non-empty text; an emptied block keeps a blank-free placeholder in the other language or itself.
    return { ...item, text: setLabelText(item.text, lang, text) ?? { [lang]: text } };
  });
}

// ---------------------------------------------------------------------------
// Sections

export function newSection(id: string, columns = 2, items: LayoutItem[] = [], label?: LabelText): LayoutSection {
  return { id, ...(label ? { label } : {}), columns: clampColumns(columns), items };
}

/** Adds a section to a tab at `index` (end when omitted). */
export function addSection(layout: Layout, tabId: string, section: LayoutSection, index?: number): Layout {
  return mapTab(layout, tabId, (t) => {
    const sections = [...t.sections];
    sections.splice(clampIndex(index ?? sections.length, sections.length), 0, section);
    return { ...t, sections };
  });
}

/** Adds a section right after another one (in the same tab). */
export function addSectionAfter(layout: Layout, afterSectionId: string, section: LayoutSection): Layout {
  const pos = findSection(layout, afterSectionId);
  if (!pos) return layout;
  return addSection(layout, layout.tabs[pos.tab]!.id, section, pos.section + 1);
}

/** Removes a section; its fields go back to the palette. */
export function removeSection(layout: Layout, sectionId: string): Layout {
  return { ...layout, tabs: layout.tabs.map((t) => ({ ...t, sections: t.sections.filter((s) => s.id !== sectionId) })) };
}

/** Moves a section by `delta` places within its tab (clamped). */
export function shiftSection(layout: Layout, sectionId: string, delta: number): Layout {
  const pos = findSection(layout, sectionId);
  if (!pos) return layout;
  const tab = layout.tabs[pos.tab]!;
  const to = clampIndex(pos.section + delta, tab.sections.length - 1);
  if (to === pos.section) return layout;
  return mapTab(layout, tab.id, (t) => ({ ...t, sections: moveInArray(t.sections, pos.section, to) }));
}

/** Sets a section's column count (clamped to 1–4); spans wider than the new count are narrowed. */
export function setColumns(layout: Layout, sectionId: string, columns: number): Layout {
  const n = clampColumns(columns);
  return mapSection(layout, sectionId, (s) => ({ ...s, columns: n, items: s.items.map((i) => fitSpan(i, n)) }));
}

export function setSectionLabel(layout: Layout, sectionId: string, lang: Lang, text: string): Layout {
  return mapSection(layout, sectionId, (s) => {
    const label = setLabelText(s.label, lang, text);
    const { label: _old, ...rest } = s;
    return label ? { ...rest, label } : rest;
  });
}

// ---------------------------------------------------------------------------
// Tabs

export function addTab(layout: Layout, tab: LayoutTab, index?: number): Layout {
  const tabs = [...layout.tabs];
  tabs.splice(clampIndex(index ?? tabs.length, tabs.length), 0, tab);
  return { ...layout, tabs };
}

export function renameTab(layout: Layout, tabId: string, lang: Lang, text: string): Layout {
  // A tab's label is required: clearing the last language keeps the typed (empty) text so the server names the problem.
  return mapTab(layout, tabId, (t) => ({ ...t, label: setLabelText(t.label, lang, text) ?? { [lang]: text } }));
}

export function shiftTab(layout: Layout, tabId: string, delta: number): Layout {
  const from = layout.tabs.findIndex((t) => t.id === tabId);
  if (from < 0) return layout;
  const to = clampIndex(from + delta, layout.tabs.length - 1);
  return to === from ? layout : { ...layout, tabs: moveInArray(layout.tabs, from, to) };
}

/** A tab can go when nothing is placed in it and it is not the last one (a layout has at least one tab). */
export const canRemoveTab = (layout: Layout, tabId: string): boolean => {
  const tab = layout.tabs.find((t) => t.id === tabId);
  return !!tab && layout.tabs.length > 1 && tab.sections.every((s) => s.items.length === 0);
};

export function removeTab(layout: Layout, tabId: string): Layout {
  return canRemoveTab(layout, tabId) ? { ...layout, tabs: layout.tabs.filter((t) => t.id !== tabId) } : layout;
}

/**
 * Moves an item to the end of a tab's first section; a tab without sections
 * gets one with `newSectionId`. Used when an item is dropped on a tab header.
 */
export function moveItemToTab(layout: Layout, from: ItemPos, tabId: string, newSectionId: string): Layout {
  const tab = layout.tabs.find((t) => t.id === tabId);
  if (!tab || !itemAt(layout, from)) return layout;
  if (tab.sections.some((s) => s.id === from.sectionId)) return layout;
  let next = layout;
  let target = tab.sections[0]?.id;
  if (!target) {
    next = addSection(next, tabId, newSection(newSectionId, 2));
    target = newSectionId;
  }
  return moveItem(next, from, { sectionId: target, index: Number.POSITIVE_INFINITY });
}

// ---------------------------------------------------------------------------
// Drag and drop, as data

/** What is being dragged: an item of the canvas, or a new block from the palette. */
export type DragSource =
  | { kind: 'item'; uid: string }
  | { kind: 'new'; item: LayoutItem }
  | { kind: 'newSection' };

/** Where it is dropped. `after`: the pointer is past the middle of the item it is over. */
export type DropTarget =
  | { kind: 'item'; uid: string; after?: boolean }
  | { kind: 'section'; sectionId: string }
  | { kind: 'tab'; tabId: string }
  | { kind: 'palette' };

/**
 * The layout after a drop, or null when the drop changes nothing (so no
 * empty undo step is recorded). `newId` names a section the drop creates.
 */
export function applyDrop(layout: Layout, source: DragSource, target: DropTarget, newId: () => string): Layout | null {
  const next = dropResult(layout, source, target, newId);
  return next === layout ? null : next;
}

function dropResult(layout: Layout, source: DragSource, target: DropTarget, newId: () => string): Layout {
  if (source.kind === 'newSection') {
    if (target.kind === 'palette') return layout;
    if (target.kind === 'tab') return addSection(layout, target.tabId, newSection(newId()));
    const sectionId = target.kind === 'section' ? target.sectionId : findItem(layout, target.uid)?.sectionId;
    return sectionId ? addSectionAfter(layout, sectionId, newSection(newId())) : layout;
  }

  if (source.kind === 'new') {
    if (target.kind === 'palette') return layout;
    const place = (sectionId: string, index?: number) =>
      source.item.kind === 'field' ? placeField(layout, source.item.field, sectionId, index) : insertItem(layout, sectionId, source.item, index);
    if (target.kind === 'section') return place(target.sectionId);
    if (target.kind === 'item') {
      const pos = findItem(layout, target.uid);
      return pos ? place(pos.sectionId, pos.index + (target.after ? 1 : 0)) : layout;
    }
    const tab = layout.tabs.find((t) => t.id === target.tabId);
    if (!tab) return layout;
    if (tab.sections[0]) return place(tab.sections[0].id);
    const id = newId();
    const withSection = addSection(layout, tab.id, newSection(id));
    return source.item.kind === 'field' ? placeField(withSection, source.item.field, id) : insertItem(withSection, id, source.item);
  }

  const from = findItem(layout, source.uid);
  if (!from) return layout;
  if (target.kind === 'palette') return removeItem(layout, from);
  if (target.kind === 'tab') return moveItemToTab(layout, from, target.tabId, newId());
  if (target.kind === 'section') {
    const section = sectionOf(layout, target.sectionId);
    if (!section) return layout;
    // Dropped on the section's free space: to its end.
    const end = target.sectionId === from.sectionId ? section.items.length - 1 : section.items.length;
    return moveItem(layout, from, { sectionId: target.sectionId, index: end });
  }
  const over = findItem(layout, target.uid);
  if (!over) return layout;
  if (over.sectionId === from.sectionId) return moveItem(layout, from, over);
  return moveItem(layout, from, { sectionId: over.sectionId, index: over.index + (target.after ? 1 : 0) });
}

// ---------------------------------------------------------------------------
// New layouts

/** A first layout for an entity: one tab, one two-column section with every live field. */
export function newLayout(entity: EntityLike, ids: { layout: string; tab: string; section: string }): Layout {
  const name = entity.label['zh-CN'] ?? entity.label.en ?? entity.key;
  const nameEn = entity.label.en ?? entity.label['zh-CN'] ?? entity.key;
  return {
    id: ids.layout,
    entity: entity.key,
    schemaVersion: 1,
    label: { 'zh-CN': `${name}表单`, en: `${nameEn} form` },
    tabs: [{
      id: ids.tab,
      label: { 'zh-CN': '详情', en: 'Details' },
      sections: [newSection(ids.section, 2, entity.fields.filter((f) => !f.archived).map((f) => ({ kind: 'field' as const, field: f.key })), { 'zh-CN': '基本信息', en: 'Details' })],
    }],
  };
}

// ---------------------------------------------------------------------------
// Conditional rules of a field (entity document)

type ConditionalRule = Extract<EntityRule, { field: string }>;

export const isConditional = (r: EntityRule): r is ConditionalRule =>
  r.kind === 'visibleIf' || r.kind === 'requiredIf' || r.kind === 'readOnlyIf';

export const conditionalRule = (rules: readonly EntityRule[], kind: ConditionalKind, field: string): ConditionalRule | undefined =>
  rules.filter(isConditional).find((r) => r.kind === kind && r.field === field);

/**
 * Sets the condition of one kind for one field: updates the existing rule
 * (keeping its id and place), creates one with `newId` or, for `undefined`,
 * removes it.
 */
export function setConditionalRule(rules: readonly EntityRule[], kind: ConditionalKind, field: string, when: unknown, newId: string): EntityRule[] {
  const at = rules.findIndex((r) => isConditional(r) && r.kind === kind && r.field === field);
  if (when === undefined || when === null) return at < 0 ? [...rules] : rules.filter((_, i) => i !== at);
  const logic = when as Record<string, unknown>;
  if (at >= 0) return rules.map((r, i) => (i === at ? { ...(r as ConditionalRule), when: logic } : r));
  return [...rules, { id: newId, kind, field, when: logic }];
}
