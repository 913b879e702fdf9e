import { DndContext, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, ColorPicker, Input, Tag } from 'antd';
import { useDraft } from '../state/draft-context.js';
import type { EntityBody, FieldBody, OptionBody } from '../model.js';
import { tr } from '../shell/i18n.js';
import { patchField } from './field-ops.js';
import { addOption, moveOption, optionKeyFor, removeOption } from './option-ops.js';

/**
 * A select's options: add, rename (zh/en), colour, drag to reorder,
 * deactivate. A published option is never deleted (records keep its key);
 * one added in this draft can be.
 */
export function OptionsEditor(p: { entityId: string; field: FieldBody }) {
  const d = useDraft();
  const { lang } = d;
  const published = (d.published[`entity/${p.entityId}`]?.body as EntityBody | undefined)?.fields.find((f) => f.id === p.field.id) as FieldBody | undefined;
  const publishedIds = new Set((published?.options ?? []).map((o) => o.id));
  const options = p.field.options ?? [];
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  const set = (next: OptionBody[], tag?: string) => d.update<EntityBody>('entity', p.entityId, (e) => patchField(e, p.field.id, { options: next }), tag);
  const onDragEnd = (e: DragEndEvent) => { if (e.over) set(moveOption(options, String(e.active.id), String(e.over.id))); };
  const locked = !!p.field.pipeline;
  return (
    <div data-testid="options-editor">
      {locked && <div style={{ color: '#64748b', marginBottom: 6 }}>{tr(lang, '这些选项是销售流程的阶段，增删与排序请在“销售流程”中进行；名称和颜色可在此修改。', 'These options are pipeline stages: add, remove and reorder them in Pipeline; labels and colours can change here.')}</div>}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={options.map((o) => o.id)} strategy={verticalListSortingStrategy}>
          {options.map((o) => (
            <OptionRow key={o.id} option={o} published={publishedIds.has(o.id)} locked={locked} lang={lang}
              onChange={(next, tag) => set(options.map((x) => (x.id === o.id ? next : x)), tag)}
              onRemove={() => set(removeOption(options, o.id, publishedIds.has(o.id)))} />
          ))}
        </SortableContext>
      </DndContext>
      {!locked && <Button size="small" type="dashed" onClick={() => set(addOption(options, lang))} data-testid="add-option">{tr(lang, '+ 添加选项', '+ Add option')}</Button>}
    </div>
  );
}

function OptionRow(p: { option: OptionBody; published: boolean; locked: boolean; lang: 'zh-CN' | 'en'; onChange: (o: OptionBody, tag?: string) => void; onRemove: () => void }) {
  const { option: o, lang } = p;
  const { attributes, listeners, setNodeRef, transform, transition } = useSortable({ id: o.id, disabled: p.locked });
  const inactive = o.active === false;
  return (
    <div ref={setNodeRef} style={{ display: 'flex', gap: 6, alignItems: 'center', marginBottom: 4, transform: CSS.Transform.toString(transform), transition, opacity: inactive ? 0.55 : 1 }} data-testid={`option-${o.key}`}>
      {!p.locked && <span className="drag-handle" {...attributes} {...listeners}>⠿</span>}
      <Input size="small" style={{ width: 130 }} value={o.label['zh-CN'] ?? ''} placeholder="中文"
        onChange={(e) => {
          const label = { ...o.label, 'zh-CN': e.target.value };
          // Until published the key follows the label; afterwards it is what records store.
          p.onChange(p.published ? { ...o, label } : { ...o, label, key: optionKeyFor(e.target.value, o) }, `opt.${o.id}.zh`);
        }} data-testid={`option-label-${o.key}`} />
      <Input size="small" style={{ width: 120 }} value={o.label.en ?? ''} placeholder="English" onChange={(e) => p.onChange({ ...o, label: { ...o.label, en: e.target.value || undefined } }, `opt.${o.id}.en`)} />
      <code style={{ fontSize: 12, color: '#64748b', minWidth: 80 }}>{o.key}</code>
      <ColorPicker size="small" value={o.color ?? null} allowClear onChange={(c) => p.onChange({ ...o, color: c.cleared ? undefined : c.toHexString().slice(0, 7) })} />
      {inactive && <Tag>{tr(lang, '已停用', 'inactive')}</Tag>}
      {p.published
        ? <Button size="small" type="link" onClick={() => p.onChange({ ...o, active: inactive ? true : false })} data-testid={`toggle-${o.key}`}>{inactive ? tr(lang, '启用', 'Activate') : tr(lang, '停用', 'Deactivate')}</Button>
        : !p.locked && <Button size="small" type="link" danger onClick={p.onRemove}>{tr(lang, '删除', 'Delete')}</Button>}
    </div>
  );
}
