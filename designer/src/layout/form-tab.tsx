import { DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragMoveEvent, type DragStartEvent } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { Alert, Button, Empty, Select, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import type { Layout } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import { newId } from '../entities/keys.js';
import type { EntityBody, FieldBody, LayoutBody } from '../model.js';
import { Canvas, type DropHint } from './canvas.js';
import { collide, dropsAfter, pointerOf, type DragData } from './dnd.js';
import type { LayoutEditor, Selection } from './editor.js';
import { applyDrop, findItem, newLayout, relatedChoices, sectionOf, stalePlacements, type DragSource, type DropTarget } from './layout-ops.js';
import { issuesText } from '../state/issues.js';
import { Palette } from './palette.js';
import { Properties } from './properties.js';
import './layout.css';

// Scroll only when the pointer is really at the window's edge: a wide band makes drops near the bottom land somewhere else.
const AUTO_SCROLL = { threshold: { x: 0, y: 0.06 } };

/** The form layout designer of one entity: palette, canvas and properties, over the entity's layout documents. */
export function FormTab(p: { entityId: string }) {
  const d = useDraft();
  const { lang } = d;
  const entity = d.docs[docKey('entity', p.entityId)]?.body as EntityBody | undefined;
  const layouts = entity ? docsOf<LayoutBody>(d.docs, 'layout').filter((l) => l.body.entity === entity.key) : [];
  const [chosen, setChosen] = useState<string | null>(null);
  const current = layouts.find((l) => l.id === chosen) ?? layouts[0];
  if (!entity) return null;

  const create = () => {
    const wanted = `lay_${entity.key}`;
    const id = d.docs[docKey('layout', wanted)] || wanted.length > 64 ? newId('lay') : wanted;
    d.edit('layout', id, newLayout(entity, { layout: id, tab: newId('tab'), section: newId('sec') }));
    setChosen(id);
  };

  if (!current) {
    return (
      <Empty description={tr(lang, '这个对象还没有表单布局', 'This entity has no form layout yet')} style={{ padding: 40 }}>
        <Button type="primary" onClick={create} data-testid="create-layout">{tr(lang, '创建表单布局', 'Create form layout')}</Button>
      </Empty>
    );
  }
  return (
    <>
      {layouts.length > 1 && (
        <div className="layout-chooser">
          <Typography.Text type="secondary">{tr(lang, '布局', 'Layout')}</Typography.Text>
          <Select value={current.id} style={{ width: 260 }} onChange={setChosen} data-testid="layout-select"
            options={layouts.map((l) => ({ value: l.id, label: labelOf(l.body.label, lang) || l.id }))} />
        </div>
      )}
      <LayoutDesigner key={current.id} layoutId={current.id} layout={current.body} entity={entity} entityId={p.entityId} />
    </>
  );
}

function LayoutDesigner(p: { layoutId: string; layout: Layout; entity: EntityBody; entityId: string }) {
  const d = useDraft();
  const { lang } = d;
  const { layout, entity } = p;
  const [selection, select] = useState<Selection>(null);
  const [activeTab, setActiveTab] = useState(layout.tabs[0]?.id ?? '');
  const [drag, setDrag] = useState<{ label: string; source?: DragSource } | null>(null);
  const [hint, setHint] = useState<DropHint | null>(null);

  const fields = useMemo(() => new Map((entity.fields as FieldBody[]).map((f) => [f.key, f])), [entity.fields]);
  const related = useMemo(() => relatedChoices(docsOf<EntityBody>(d.docs, 'entity').filter((e) => !e.body.archived).map((e) => e.body), entity.key), [d.docs, entity.key]);
  const change = useCallback((fn: (l: Layout) => Layout, tag?: string) => d.update<Layout>('layout', p.layoutId, fn, tag), [d.update, p.layoutId]);
  const issues = d.issues[docKey('layout', p.layoutId)] ?? [];
  const tab = layout.tabs.some((t) => t.id === activeTab) ? activeTab : layout.tabs[0]!.id;
  const ed: LayoutEditor = { lang, layout, entity, fields, related, issues, change, selection, select, activeTab: tab, setActiveTab };

  const sensors = useSensors(
    // A few pixels before a drag starts, so a click still selects (and a test's mouse can drag with steps).
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  /** The drop a pointer at the end of this event would make. */
  const targetOf = (e: DragMoveEvent | DragEndEvent): DropTarget | null => {
    const target = (e.over?.data.current as DragData | undefined)?.target;
    if (!target || target.kind !== 'item' || !e.over) return target ?? null;
    const pos = findItem(layout, target.uid);
    const columns = pos ? sectionOf(layout, pos.sectionId)?.columns ?? 1 : 1;
    const point = pointerOf(e.activatorEvent, e.active.rect.current.initial, e.active.rect.current.translated);
    return { ...target, after: point ? dropsAfter(point, e.over.rect, columns) : false };
  };

  const onStart = (e: DragStartEvent) => {
    const data = e.active.data.current as DragData | undefined;
    setDrag({ label: data?.label ?? '…', source: data?.source });
  };
  const onMove = (e: DragMoveEvent) => {
    const source = (e.active.data.current as DragData | undefined)?.source;
    const target = targetOf(e);
    // Within its own section an item shows its place by the others moving aside; elsewhere a bar marks before/after.
    const same = source?.kind === 'item' && target?.kind === 'item' && findItem(layout, source.uid)?.sectionId === findItem(layout, target.uid)?.sectionId;
    // A new section lands after the whole section, whatever item the pointer is over: no bar.
    const next = target?.kind === 'item' && !same && source?.kind !== 'newSection' ? { uid: target.uid, after: !!target.after } : null;
    setHint((h) => (h?.uid === next?.uid && h?.after === next?.after ? h : next));
  };
  const onEnd = (e: DragEndEvent) => {
    setDrag(null);
    setHint(null);
    const source = (e.active.data.current as DragData | undefined)?.source;
    const target = targetOf(e);
    if (source && target) drop(source, target);
  };

  const drop = (source: DragSource, target: DropTarget) => {
    const created: string[] = [];
    const next = applyDrop(layout, source, target, () => { const id = newId('sec'); created.push(id); return id; });
    if (!next) return;
    change(() => next);
    if (source.kind === 'newSection' && created[0]) select({ kind: 'section', id: created[0] });
    else if (source.kind === 'new' && source.item.kind === 'field') select({ kind: 'item', uid: `field:${source.item.field}` });
    if (target.kind === 'tab') setActiveTab(target.tabId);
  };

  /** A click on a palette block: into the selected section (or the one of the selected item), else the last section of the tab. */
  const add = (source: DragSource) => {
    const t = layout.tabs.find((x) => x.id === tab)!;
    const selected = selection?.kind === 'section' ? selection.id : selection?.kind === 'item' ? findItem(layout, selection.uid)?.sectionId : undefined;
    const sectionId = selected && t.sections.some((s) => s.id === selected) ? selected : t.sections[t.sections.length - 1]?.id;
    drop(source, sectionId ? { kind: 'section', sectionId } : { kind: 'tab', tabId: t.id });
  };

  const stale = stalePlacements(layout, entity.fields);
  const loose = issues.filter((i) => !i.pointer.startsWith('/tabs/'));
  return (
    <DndContext sensors={sensors} collisionDetection={collide} autoScroll={AUTO_SCROLL} onDragStart={onStart} onDragMove={onMove} onDragEnd={onEnd}
      onDragCancel={() => { setDrag(null); setHint(null); }}>
      {loose.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 8 }} data-testid="layout-issues" title={issuesText(loose)} />}
      {stale.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="layout-stale"
          title={tr(lang, `布局中有已归档或不存在的字段：${stale.map((s) => s.field).join('、')}。发布前请移除。`, `The layout shows archived or unknown fields: ${stale.map((s) => s.field).join(', ')}. Remove them before publishing.`)} />
      )}
      <div className="layout-designer">
        <Palette ed={ed} related={related} onAdd={add} removing={drag?.source?.kind === 'item'} />
        <Canvas ed={ed} hint={hint} dragging={drag !== null} />
        <Properties ed={ed} entityId={p.entityId} />
      </div>
      <DragOverlay dropAnimation={null}>{drag && <div className="layout-overlay">{drag.label}</div>}</DragOverlay>
    </DndContext>
  );
}
