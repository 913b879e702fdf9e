import { useDroppable } from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, Input, Popconfirm, Segmented, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { LayoutItem, LayoutSection } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { newId } from '../entities/keys.js';
import { issuesUnder, type DocIssue } from '../state/issues.js';
import { itemDndId, sectionDndId, tabDndId, type DragData } from './dnd.js';
import { issuesText } from '../state/issues.js';
import type { LayoutEditor } from './editor.js';
import {
  addSection, addTab, canRemoveTab, conditionalRule, itemUids, newSection, removeItem, removeSection, removeTab, renameTab, setColumns,
  shiftSection, shiftTab, type ConditionalKind,
} from './layout-ops.js';

/** Where the pointer would drop a dragged block: before or after this item (drawn as a bar). */
export interface DropHint { uid: string; after: boolean }

const RULE_BADGE: Record<ConditionalKind, [string, string, string]> = {
  visibleIf: ['条件显示', 'visible when', 'blue'],
  requiredIf: ['条件必填', 'required when', 'orange'],
  readOnlyIf: ['条件只读', 'read-only when', 'purple'],
};

/** The form being designed: its tabs, their sections, and the items of each in a grid of the section's columns. */
export function Canvas(p: { ed: LayoutEditor; hint: DropHint | null; dragging: boolean }) {
  const { ed } = p;
  const { lang, layout } = ed;
  const tabIndex = Math.max(0, layout.tabs.findIndex((t) => t.id === ed.activeTab));
  const tab = layout.tabs[tabIndex]!;
  const tabIssues = issuesUnder(ed.issues, `/tabs/${tabIndex}/label`);
  const addNewTab = () => {
    const id = newId('tab');
    ed.change((l) => addTab(l, { id, label: { 'zh-CN': `标签页 ${l.tabs.length + 1}`, en: `Tab ${l.tabs.length + 1}` }, sections: [newSection(newId('sec'))] }));
    ed.setActiveTab(id);
  };
  return (
    <div className="layout-canvas" data-testid="layout-canvas">
      <Tabs type="card" size="small" activeKey={tab.id} onChange={ed.setActiveTab}
        tabBarExtraContent={<Button size="small" onClick={addNewTab} data-testid="add-tab">{tr(lang, '+ 标签页', '+ Tab')}</Button>}
        items={layout.tabs.map((t, i) => ({ key: t.id, label: <TabHeader ed={ed} tabId={t.id} index={i} dragging={p.dragging} /> }))} />
      <div className="layout-tab-toolbar">
        <Typography.Text type="secondary">{tr(lang, '标签页名称', 'Tab name')}</Typography.Text>
        <Input size="small" prefix="中" style={{ width: 130 }} value={tab.label['zh-CN'] ?? ''} data-testid="tab-label-zh"
          onChange={(e) => ed.change((l) => renameTab(l, tab.id, 'zh-CN', e.target.value), `tab:${tab.id}:zh`)} status={tabIssues.length ? 'error' : undefined} />
        <Input size="small" prefix="EN" style={{ width: 130 }} value={tab.label.en ?? ''} data-testid="tab-label-en"
          onChange={(e) => ed.change((l) => renameTab(l, tab.id, 'en', e.target.value), `tab:${tab.id}:en`)} status={tabIssues.length ? 'error' : undefined} />
        <Tooltip title={tr(lang, '左移', 'Move left')}><Button size="small" disabled={tabIndex === 0} onClick={() => ed.change((l) => shiftTab(l, tab.id, -1))} data-testid="tab-left">←</Button></Tooltip>
        <Tooltip title={tr(lang, '右移', 'Move right')}><Button size="small" disabled={tabIndex === layout.tabs.length - 1} onClick={() => ed.change((l) => shiftTab(l, tab.id, 1))} data-testid="tab-right">→</Button></Tooltip>
        <Tooltip title={canRemoveTab(layout, tab.id) ? '' : tr(lang, '只能删除空的标签页（且至少保留一个）', 'Only an empty tab can be deleted (one must remain)')}>
          <Button size="small" danger disabled={!canRemoveTab(layout, tab.id)} data-testid="tab-delete"
            onClick={() => { ed.change((l) => removeTab(l, tab.id)); ed.setActiveTab(layout.tabs[tabIndex === 0 ? 1 : tabIndex - 1]?.id ?? ''); }}>
            {tr(lang, '删除', 'Delete')}
          </Button>
        </Tooltip>
        {tabIssues.length > 0 && <span className="issue-text">{issuesText(tabIssues)}</span>}
      </div>
      {tab.sections.length === 0 && <Typography.Paragraph type="secondary">{tr(lang, '这个标签页还没有分区。', 'This tab has no section yet.')}</Typography.Paragraph>}
      {tab.sections.map((s, si) => (
        <SectionView key={s.id} ed={ed} section={s} pointer={`/tabs/${tabIndex}/sections/${si}`} first={si === 0} last={si === tab.sections.length - 1} hint={p.hint} />
      ))}
      <Button type="dashed" block onClick={() => { const id = newId('sec'); ed.change((l) => addSection(l, tab.id, newSection(id))); ed.select({ kind: 'section', id }); }} data-testid="add-section">
        {tr(lang, '+ 添加分区', '+ Add section')}
      </Button>
    </div>
  );
}

/** A tab's header is a drop target too: dropping an item there moves it into that tab. */
function TabHeader(p: { ed: LayoutEditor; tabId: string; index: number; dragging: boolean }) {
  const t = p.ed.layout.tabs[p.index]!;
  const { setNodeRef, isOver } = useDroppable({ id: tabDndId(t.id), data: { target: { kind: 'tab', tabId: t.id } } satisfies DragData });
  const bad = issuesUnder(p.ed.issues, `/tabs/${p.index}`).length > 0;
  return (
    <span ref={setNodeRef} className={`layout-tab-header${isOver && p.dragging ? ' is-over' : ''}`} data-testid={`layout-tab-${t.id}`}>
      {labelOf(t.label, p.ed.lang) || tr(p.ed.lang, '（无名称）', '(no name)')}
      {bad && <Tag color="error" style={{ marginLeft: 6, marginRight: 0 }}>!</Tag>}
    </span>
  );
}

function SectionView(p: { ed: LayoutEditor; section: LayoutSection; pointer: string; first: boolean; last: boolean; hint: DropHint | null }) {
  const { ed, section: s } = p;
  const { lang } = ed;
  const { setNodeRef, isOver } = useDroppable({ id: sectionDndId(s.id), data: { target: { kind: 'section', sectionId: s.id } } satisfies DragData });
  const uids = itemUids(s);
  const selected = ed.selection?.kind === 'section' && ed.selection.id === s.id;
  const own = ed.issues.filter((i) => i.pointer === p.pointer || (i.pointer.startsWith(`${p.pointer}/`) && !i.pointer.startsWith(`${p.pointer}/items/`)));
  return (
    <div ref={setNodeRef} className={`layout-section${selected ? ' is-selected' : ''}${isOver ? ' is-over' : ''}`} data-testid={`layout-section-${s.id}`}>
      <div className="layout-section-head" onClick={() => ed.select({ kind: 'section', id: s.id })}>
        <Typography.Text strong className="layout-section-title">
          {labelOf(s.label, lang) || <Typography.Text type="secondary" italic>{tr(lang, '（未命名分区）', '(untitled section)')}</Typography.Text>}
        </Typography.Text>
        <span onClick={(e) => e.stopPropagation()} className="layout-section-tools">
          <Segmented size="small" value={s.columns} data-testid={`section-columns-${s.id}`}
            options={[1, 2, 3, 4].map((n) => ({ value: n, label: <span data-testid={`section-columns-${s.id}-${n}`}>{tr(lang, `${n} 列`, `${n} col`)}</span> }))}
            onChange={(v) => ed.change((l) => setColumns(l, s.id, Number(v)))} />
          <Tooltip title={tr(lang, '上移', 'Move up')}><Button size="small" type="text" disabled={p.first} onClick={() => ed.change((l) => shiftSection(l, s.id, -1))} data-testid={`section-up-${s.id}`}>↑</Button></Tooltip>
          <Tooltip title={tr(lang, '下移', 'Move down')}><Button size="small" type="text" disabled={p.last} onClick={() => ed.change((l) => shiftSection(l, s.id, 1))} data-testid={`section-down-${s.id}`}>↓</Button></Tooltip>
          <Popconfirm title={tr(lang, '删除这个分区？其中的字段回到左侧待放置列表。', 'Delete this section? Its fields go back to the palette.')}
            disabled={s.items.length === 0} onConfirm={() => { ed.change((l) => removeSection(l, s.id)); ed.select(null); }}
            okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}>
            <Button size="small" type="text" danger data-testid={`section-delete-${s.id}`}
              onClick={() => { if (s.items.length === 0) { ed.change((l) => removeSection(l, s.id)); ed.select(null); } }}>✕</Button>
          </Popconfirm>
        </span>
      </div>
      {own.length > 0 && <div className="issue-text">{issuesText(own)}</div>}
      <SortableContext items={uids.map(itemDndId)} strategy={rectSortingStrategy}>
        <div className="layout-grid" style={{ gridTemplateColumns: `repeat(${s.columns}, minmax(0, 1fr))` }}>
          {s.items.map((item, i) => (
            <ItemCard key={uids[i]} ed={ed} item={item} uid={uids[i]!} columns={s.columns} sectionId={s.id} index={i}
              issues={issuesUnder(ed.issues, `${p.pointer}/items/${i}`)} hint={p.hint?.uid === uids[i] ? p.hint : null} />
          ))}
          {s.items.length === 0 && <div className="layout-empty" style={{ gridColumn: `span ${s.columns}` }}>{tr(lang, '把字段拖到这里', 'Drag fields here')}</div>}
        </div>
      </SortableContext>
    </div>
  );
}

/** The test id of an item: fields by key (the journeys' handle), the others by what they show. */
export function itemTestId(item: LayoutItem, uid: string): string {
  if (item.kind === 'field') return `layout-item-${item.field}`;
  if (item.kind === 'relatedList') return `layout-item-related-${item.entity}-${item.field}`;
  return `layout-item-${uid.replace(/[:#]/g, '-')}`;
}

function ItemCard(p: { ed: LayoutEditor; item: LayoutItem; uid: string; columns: number; sectionId: string; index: number; issues: DocIssue[]; hint: DropHint | null }) {
  const { ed, item } = p;
  const { lang } = ed;
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: itemDndId(p.uid),
    data: { source: { kind: 'item', uid: p.uid }, target: { kind: 'item', uid: p.uid }, label: itemTitle(ed, item) } satisfies DragData,
  });
  const span = item.kind === 'field' ? Math.min(item.span ?? 1, p.columns) : p.columns;
  const selected = ed.selection?.kind === 'item' && ed.selection.uid === p.uid;
  const field = item.kind === 'field' ? ed.fields.get(item.field) : undefined;
  const rules = item.kind === 'field'
    ? (Object.keys(RULE_BADGE) as ConditionalKind[]).filter((k) => conditionalRule(ed.entity.rules, k, item.field)) : [];
  const hintClass = p.hint ? (p.columns > 1 ? (p.hint.after ? ' drop-right' : ' drop-left') : (p.hint.after ? ' drop-below' : ' drop-above')) : '';
  const testId = itemTestId(item, p.uid);
  return (
    <div ref={setNodeRef} {...attributes} {...listeners}
      className={`layout-item layout-item-${item.kind}${selected ? ' is-selected' : ''}${isDragging ? ' is-dragging' : ''}${p.issues.length ? ' has-issue' : ''}${hintClass}`}
      style={{ gridColumn: `span ${span}`, transform: CSS.Translate.toString(transform), transition }}
      data-testid={testId} onClick={() => ed.select({ kind: 'item', uid: p.uid })}>
      <div className="layout-item-row">
        <span className="layout-item-title">
          {item.kind === 'relatedList' && <Tag color="geekblue">{tr(lang, '相关列表', 'Related list')}</Tag>}
          {item.kind === 'help' && <Tag>{tr(lang, '说明', 'Help')}</Tag>}
          {field?.required && <span className="layout-required">*</span>}
          {itemTitle(ed, item)}
        </span>
        {item.kind === 'field' && field?.archived && <Tag color="error" data-testid="item-archived">{tr(lang, '已归档', 'archived')}</Tag>}
        {item.kind === 'field' && !field && <Tag color="error">{tr(lang, '字段不存在', 'no such field')}</Tag>}
        <Tooltip title={tr(lang, '从布局移除', 'Remove from layout')}>
          <Button size="small" type="text" className="layout-item-remove" data-testid={`remove-${testId}`} aria-label={tr(lang, '移除', 'Remove')}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={(e) => { e.stopPropagation(); ed.change((l) => removeItem(l, { sectionId: p.sectionId, index: p.index })); if (selected) ed.select(null); }}>✕</Button>
        </Tooltip>
      </div>
      {item.kind === 'field' && (
        <div className="layout-item-meta">
          <code>{item.field}</code>
          {rules.map((k) => <Tag key={k} color={RULE_BADGE[k][2]} className="layout-rule-tag">{tr(lang, RULE_BADGE[k][0], RULE_BADGE[k][1])}</Tag>)}
        </div>
      )}
      {item.kind === 'help' && <div className="layout-item-meta layout-help-text">{labelOf(item.text, lang)}</div>}
      {p.issues.length > 0 && <div className="issue-text">{issuesText(p.issues)}</div>}
    </div>
  );
}

export function itemTitle(ed: LayoutEditor, item: LayoutItem): string {
  if (item.kind === 'field') return labelOf(ed.fields.get(item.field)?.label, ed.lang) || item.field;
  if (item.kind === 'help') return tr(ed.lang, '说明文字', 'Help text');
  const r = ed.related.find((x) => x.entity === item.entity && x.field === item.field);
  if (!r) return `${item.entity} · ${item.field}`;
  const [open, close] = ed.lang === 'en' ? [' (', ')'] : ['（', '）'];
  return `${labelOf(r.label, ed.lang) || r.entity}${open}${labelOf(r.fieldLabel, ed.lang) || r.field}${close}`;
}
