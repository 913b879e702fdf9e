import { useDraggable, useDroppable } from '@dnd-kit/core';
import { Empty, Typography } from 'antd';
import type { ReactNode } from 'react';
import { fieldTypes, isFieldType, type LayoutItem } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { PALETTE_DND_ID, type DragData } from './dnd.js';
import type { LayoutEditor } from './editor.js';
import { unplacedFields, unplacedRelated, type DragSource, type RelatedChoice } from './layout-ops.js';

export const HELP_DEFAULT = { 'zh-CN': '在这里写下填写说明', en: 'Write a note for the people filling in this form' };

/**
 * The blocks that can go on the canvas: fields not placed yet, a section,
 * a help text and the related lists. Drag one onto the canvas, or click it to
 * add it to the selected section. Dropping a placed item here removes it.
 */
export function Palette(p: { ed: LayoutEditor; related: RelatedChoice[]; onAdd: (source: DragSource) => void; removing: boolean }) {
  const { ed } = p;
  const { lang } = ed;
  const { setNodeRef, isOver } = useDroppable({ id: PALETTE_DND_ID, data: { target: { kind: 'palette' } } satisfies DragData });
  const fields = unplacedFields(ed.entity.fields, ed.layout);
  const related = unplacedRelated(ed.layout, p.related);
  return (
    <div ref={setNodeRef} className={`layout-palette${isOver && p.removing ? ' is-over' : ''}`} data-testid="palette">
      <Typography.Text strong>{tr(lang, '未放置的字段', 'Fields not placed')}</Typography.Text>
      <div className="layout-palette-group">
        {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tr(lang, '所有字段都已放置', 'Every field is placed')} />}
        {fields.map((f) => (
          <Chip key={f.key} id={`palette:field:${f.key}`} testId={`palette-field-${f.key}`} source={{ kind: 'new', item: { kind: 'field', field: f.key } }}
            label={labelOf(f.label, lang) || f.key} onAdd={p.onAdd}
            hint={isFieldType(f.type) ? labelOf(fieldTypes[f.type].label, lang) : f.type} />
        ))}
      </div>
      <Typography.Text strong>{tr(lang, '布局元素', 'Blocks')}</Typography.Text>
      <div className="layout-palette-group">
        <Chip id="palette:section" testId="palette-section" source={{ kind: 'newSection' }} label={tr(lang, '分区', 'Section')} hint={tr(lang, '一组字段', 'a group of fields')} onAdd={p.onAdd} icon="▭" />
        <Chip id="palette:help" testId="palette-help" source={{ kind: 'new', item: { kind: 'help', text: HELP_DEFAULT } }} label={tr(lang, '说明文字', 'Help text')} hint={tr(lang, '给填写人的提示', 'a note for users')} onAdd={p.onAdd} icon="ℹ" />
      </div>
      <Typography.Text strong>{tr(lang, '相关列表', 'Related lists')}</Typography.Text>
      <div className="layout-palette-group">
        {related.length === 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '没有可添加的相关列表（其它对象的关联字段指向本对象时才有）', 'None to add (another entity needs a relation field pointing here)')}</Typography.Text>}
        {related.map((r) => {
          const item: LayoutItem = { kind: 'relatedList', entity: r.entity, field: r.field };
          return (
            <Chip key={`${r.entity}.${r.field}`} id={`palette:related:${r.entity}.${r.field}`} testId={`palette-related-${r.entity}-${r.field}`}
              source={{ kind: 'new', item }} label={labelOf(r.label, lang) || r.entity} hint={`${tr(lang, '按', 'by')} ${labelOf(r.fieldLabel, lang) || r.field}`} onAdd={p.onAdd} icon="☰" />
          );
        })}
      </div>
      {p.removing && <div className="layout-palette-drop">{tr(lang, '拖回这里即从布局中移除', 'Drop here to remove from the layout')}</div>}
    </div>
  );
}

function Chip(p: { id: string; testId: string; source: DragSource; label: string; hint?: string; icon?: ReactNode; onAdd: (s: DragSource) => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: p.id, data: { source: p.source, label: p.label } satisfies DragData });
  return (
    <div ref={setNodeRef} {...listeners} {...attributes} className={`layout-chip${isDragging ? ' is-dragging' : ''}`} data-testid={p.testId}
      onClick={() => p.onAdd(p.source)} title={p.hint}>
      <span className="layout-chip-icon">{p.icon ?? '⋮⋮'}</span>
      <span className="layout-chip-label">{p.label}</span>
      {p.hint && <span className="layout-chip-hint">{p.hint}</span>}
    </div>
  );
}
