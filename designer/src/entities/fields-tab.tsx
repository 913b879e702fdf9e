import { DndContext, DragOverlay, PointerSensor, KeyboardSensor, closestCenter, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, Card, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { fieldTypes, type FieldType } from '@crm/metadata';
import { labelOf, type Lang } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { issuesUnder } from '../state/issues.js';
import type { EntityBody, FieldBody } from '../model.js';
import { tr } from '../shell/i18n.js';
import { TYPE_GROUPS, addFieldWithPlacement, moveField, newField, patchField, takeFieldOutOfUse } from './field-ops.js';
import { FieldSettings } from './field-settings.js';

/**
 * The entity's fields: drag a type from the palette into the list (or click
 * it) to add a field, drag rows to reorder, open a field's settings.
 * Removing a published field archives it; its values stay and it can be restored.
 */
export function FieldsTab(p: { entityId: string }) {
  const d = useDraft();
  const { lang } = d;
  const entity = d.docs[`entity/${p.entityId}`]!.body as EntityBody;
  const issues = d.issues[`entity/${p.entityId}`];
  const publishedEntity = d.published[`entity/${p.entityId}`]?.body as EntityBody | undefined;
  const publishedIds = new Set((publishedEntity?.fields ?? []).map((f) => f.id));
  const entities = docsOf<EntityBody>(d.docs, 'entity').map((x) => x.body);
  const [editing, setEditing] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const set = (next: EntityBody) => d.edit('entity', p.entityId, next);

  const add = (type: FieldType, index?: number) => {
    const f = newField(type, entity, { entities, lang });
    d.change((docs) => addFieldWithPlacement(docs, p.entityId, f, index));
    setEditing(f.id);
  };
  const onDragEnd = (e: DragEndEvent) => {
    setDragging(null);
    const a = String(e.active.id);
    const over = e.over ? String(e.over.id) : null;
    if (a.startsWith('type:')) {
      if (!over) return;
      const at = over === 'field-list' ? -1 : entity.fields.findIndex((f) => f.id === over);
      // Dropped on the lower half of a row: after it.
      const dragged = e.active.rect.current.translated;
      const below = !!dragged && !!e.over && dragged.top + dragged.height / 2 > e.over.rect.top + e.over.rect.height / 2;
      add(a.slice(5) as FieldType, at < 0 ? undefined : at + (below ? 1 : 0));
    } else if (over && over !== 'field-list') set(moveField(entity, a, over));
  };
  const fieldIndex = (id: string) => entity.fields.findIndex((f) => f.id === id);

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragStart={(e) => setDragging(String(e.active.id))} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
      <div style={{ display: 'grid', gridTemplateColumns: '220px 1fr', gap: 16, alignItems: 'start' }}>
        <Card size="small" title={tr(lang, '字段类型（拖入右侧）', 'Field types (drag right)')} styles={{ body: { padding: 8 } }}>
          {TYPE_GROUPS.map((g) => (
            <div key={g.en} style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, g.zh, g.en)}</Typography.Text>
              <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 4, marginTop: 4 }}>
                {g.types.map((t) => <PaletteType key={t} type={t} lang={lang} onClick={() => add(t)} />)}
              </div>
            </div>
          ))}
        </Card>
        <FieldList>
          <SortableContext items={entity.fields.map((f) => f.id)} strategy={verticalListSortingStrategy}>
            {entity.fields.map((f, i) => (
              <FieldRow key={f.id} field={f as FieldBody} lang={lang} isTitle={f.key === entity.titleField} published={publishedIds.has(f.id)}
                issues={issuesUnder(issues, `/fields/${i}`).map((x) => x.message)}
                onEdit={() => setEditing(f.id)}
                onRemove={() => d.change((docs) => takeFieldOutOfUse(docs, p.entityId, f.id, publishedIds.has(f.id)))}
                onRestore={() => set(patchField(entity, f.id, { archived: undefined }))} />
            ))}
          </SortableContext>
        </FieldList>
      </div>
      <DragOverlay>{dragging?.startsWith('type:') ? <Tag color="blue" style={{ padding: '4px 10px' }}>{labelOf(fieldTypes[dragging.slice(5) as FieldType].label, lang)}</Tag> : null}</DragOverlay>
      {editing && fieldIndex(editing) >= 0 && (
        <FieldSettings entityId={p.entityId} fieldId={editing} locked={publishedIds.has(editing)} onClose={() => setEditing(null)} />
      )}
    </DndContext>
  );
}

function PaletteType(p: { type: FieldType; lang: Lang; onClick: () => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `type:${p.type}` });
  return (
    <Button size="small" ref={setNodeRef} {...attributes} {...listeners} onClick={p.onClick} data-testid={`palette-${p.type}`}
      style={{ opacity: isDragging ? 0.4 : 1, justifyContent: 'flex-start', touchAction: 'none' }}>
      {labelOf(fieldTypes[p.type].label, p.lang)}
    </Button>
  );
}

function FieldList(p: { children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: 'field-list' });
  return (
    <div ref={setNodeRef} data-testid="field-list" style={{ background: isOver ? '#eff6ff' : '#fff', borderRadius: 8, border: '1px solid #e5e7eb', padding: 8, minHeight: 200 }}>
      {p.children}
    </div>
  );
}

function FieldRow(p: { field: FieldBody; lang: Lang; isTitle: boolean; published: boolean; issues: string[]; onEdit: () => void; onRemove: () => void; onRestore: () => void }) {
  const { field: f, lang } = p;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: f.id });
  const flags = [f.required && tr(lang, '必填', 'required'), f.unique && tr(lang, '唯一', 'unique'), f.indexed && tr(lang, '索引', 'indexed'), f.searchable && tr(lang, '可搜索', 'searchable')].filter(Boolean) as string[];
  return (
    <div ref={setNodeRef} data-testid={`field-${f.key}`} className="field-row"
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.5 : f.archived ? 0.55 : 1, borderColor: p.issues.length ? '#fca5a5' : undefined }}>
      <span className="drag-handle" {...attributes} {...listeners} aria-label={tr(lang, '拖动排序', 'Drag to reorder')}>⠿</span>
      <div style={{ flex: 1, minWidth: 0 }}>
        <Space size={6} wrap>
          <b>{labelOf(f.label, lang) || f.key}</b>
          <code style={{ color: '#64748b' }}>{f.key}</code>
          <Tag>{labelOf(fieldTypes[f.type]?.label, lang) || f.type}</Tag>
          {f.type === 'relation' && <Typography.Text type="secondary">→ {String(f.target)}</Typography.Text>}
          {p.isTitle && <Tag color="blue">{tr(lang, '标题字段', 'title')}</Tag>}
          {flags.map((x) => <Tag key={x} color="geekblue" bordered={false}>{x}</Tag>)}
          {f.archived && <Tag color="default">{tr(lang, '已归档（数据保留）', 'archived (values kept)')}</Tag>}
          {!p.published && <Tag color="gold">{tr(lang, '未发布', 'new')}</Tag>}
        </Space>
        {p.issues.map((m, i) => <div key={i} className="issue-text">{m}</div>)}
      </div>
      <Space size={4}>
        <Button size="small" onClick={p.onEdit} data-testid={`edit-${f.key}`}>{tr(lang, '设置', 'Settings')}</Button>
        {f.archived
          ? <Button size="small" onClick={p.onRestore} data-testid={`restore-${f.key}`}>{tr(lang, '恢复', 'Restore')}</Button>
          : !p.isTitle && (
            <Tooltip title={p.published ? tr(lang, '归档后字段从表单和视图中移除，已有数据保留，可随时恢复', 'Taken off forms and views; existing values are kept and can be restored') : undefined}>
              <Button size="small" danger onClick={p.onRemove} data-testid={`remove-${f.key}`}>{p.published ? tr(lang, '归档', 'Archive') : tr(lang, '删除', 'Delete')}</Button>
            </Tooltip>
          )}
      </Space>
    </div>
  );
}
