import { Alert, Button, Divider, Input, Segmented, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Layout, LayoutItem } from '@crm/metadata';
import { fieldTypes, isFieldType } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { newId } from '../entities/keys.js';
import { useDraft } from '../state/draft-context.js';
import { issuesUnder } from '../state/issues.js';
import { RuleBuilder, type RuleField } from '@crm/ui';
import type { EntityBody } from '../model.js';
import type { LayoutEditor } from './editor.js';
import { itemTitle } from './canvas.js';
import { issuesText } from '../state/issues.js';
import {
  conditionalRule, findItem, removeItem, removeSection, sectionOf, setColumns, setConditionalRule, setHelpText, setLabelText,
  setSectionLabel, setSpan, type ConditionalKind, type ItemPos,
} from './layout-ops.js';

const RULES: [ConditionalKind, string, string, string, string][] = [
  ['visibleIf', '显示条件', 'Visible when', '满足条件时才显示此字段；不设置则总是显示。', 'Shown only while the condition holds; always shown without one.'],
  ['requiredIf', '必填条件', 'Required when', '满足条件时此字段必填。', 'Required while the condition holds.'],
  ['readOnlyIf', '只读条件', 'Read-only when', '满足条件时此字段不可修改。', 'Cannot be changed while the condition holds.'],
];

/** The right-hand panel: settings of what is selected on the canvas (or of the layout when nothing is). */
export function Properties(p: { ed: LayoutEditor; entityId: string }) {
  const { ed } = p;
  const sel = ed.selection;
  if (sel?.kind === 'section') {
    const s = sectionOf(ed.layout, sel.id);
    if (s) return <SectionProps ed={ed} sectionId={s.id} />;
  }
  if (sel?.kind === 'item') {
    const pos = findItem(ed.layout, sel.uid);
    const item = pos && sectionOf(ed.layout, pos.sectionId)?.items[pos.index];
    if (pos && item) return <ItemProps ed={ed} pos={pos} item={item} entityId={p.entityId} />;
  }
  return <LayoutProps ed={ed} />;
}

function Panel(p: { title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="layout-props" data-testid={p.testId}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>{p.title}</Typography.Title>
      {p.children}
    </div>
  );
}

function LabelInputs(p: { value: { 'zh-CN'?: string; en?: string } | undefined; onChange: (lang: 'zh-CN' | 'en', text: string) => void; testId: string; textarea?: boolean }) {
  const C = p.textarea ? Input.TextArea : Input;
  return (
    <div className="layout-props-labels">
      <C prefix={p.textarea ? undefined : '中'} placeholder={p.textarea ? '中文' : undefined} value={p.value?.['zh-CN'] ?? ''} onChange={(e) => p.onChange('zh-CN', e.target.value)} data-testid={`${p.testId}-zh`} autoSize={p.textarea ? { minRows: 2 } : undefined} />
      <C prefix={p.textarea ? undefined : 'EN'} placeholder={p.textarea ? 'English' : undefined} value={p.value?.en ?? ''} onChange={(e) => p.onChange('en', e.target.value)} data-testid={`${p.testId}-en`} autoSize={p.textarea ? { minRows: 2 } : undefined} />
    </div>
  );
}

function LayoutProps(p: { ed: LayoutEditor }) {
  const { ed } = p;
  const { lang } = ed;
  return (
    <Panel title={tr(lang, '表单布局', 'Form layout')} testId="layout-properties">
      <Typography.Text type="secondary">{tr(lang, '布局名称', 'Layout name')}</Typography.Text>
      <LabelInputs value={ed.layout.label} testId="layout-label"
        onChange={(l, text) => ed.change((x): Layout => ({ ...x, label: setLabelText(x.label, l, text) ?? { [l]: text } }), `label:${l}`)} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {tr(lang, '从左侧拖动字段到分区中；点击字段或分区，在这里设置它。', 'Drag fields from the left into a section; click a field or a section to set it up here.')}
      </Typography.Paragraph>
    </Panel>
  );
}

function SectionProps(p: { ed: LayoutEditor; sectionId: string }) {
  const { ed } = p;
  const { lang } = ed;
  const s = sectionOf(ed.layout, p.sectionId)!;
  return (
    <Panel title={tr(lang, '分区', 'Section')} testId="section-properties">
      <Typography.Text type="secondary">{tr(lang, '分区标题', 'Title')}</Typography.Text>
      <LabelInputs value={s.label} testId="section-label" onChange={(l, text) => ed.change((x) => setSectionLabel(x, s.id, l, text), `section:${s.id}:${l}`)} />
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>{tr(lang, '列数', 'Columns')}</Typography.Text>
      <Segmented value={s.columns} options={[1, 2, 3, 4]} onChange={(v) => ed.change((x) => setColumns(x, s.id, Number(v)))} data-testid="section-props-columns" />
      <Divider />
      <Button danger onClick={() => { ed.change((x) => removeSection(x, s.id)); ed.select(null); }} data-testid="section-props-delete">
        {tr(lang, `删除分区${s.items.length ? `（${s.items.length} 项回到待放置）` : ''}`, `Delete section${s.items.length ? ` (${s.items.length} items back to the palette)` : ''}`)}
      </Button>
    </Panel>
  );
}

function ItemProps(p: { ed: LayoutEditor; pos: ItemPos; item: LayoutItem; entityId: string }) {
  const { ed, pos, item } = p;
  const { lang } = ed;
  const section = sectionOf(ed.layout, pos.sectionId)!;
  const remove = (
    <Button danger style={{ marginTop: 16 }} onClick={() => { ed.change((x) => removeItem(x, pos)); ed.select(null); }} data-testid="item-props-remove">
      {tr(lang, '从布局移除', 'Remove from layout')}
    </Button>
  );
  if (item.kind === 'help') {
    return (
      <Panel title={tr(lang, '说明文字', 'Help text')} testId="item-properties">
        <LabelInputs textarea value={item.text} testId="help-text" onChange={(l, text) => ed.change((x) => setHelpText(x, pos, l, text), `help:${pos.sectionId}:${pos.index}:${l}`)} />
        {remove}
      </Panel>
    );
  }
  if (item.kind === 'relatedList') {
    return (
      <Panel title={tr(lang, '相关列表', 'Related list')} testId="item-properties">
        <Typography.Paragraph>{itemTitle(ed, item)}</Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {tr(lang, `显示 ${item.entity} 中 ${item.field} 指向当前记录的记录。`, `Shows the ${item.entity} records whose ${item.field} points at this record.`)}
        </Typography.Paragraph>
        {remove}
      </Panel>
    );
  }
  const field = ed.fields.get(item.field);
  return (
    <Panel testId="item-properties" title={<>{labelOf(field?.label, lang) || item.field} <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}><code>{item.field}</code></Typography.Text></>}>
      {field && <div style={{ marginBottom: 8 }}>
        <Tag>{isFieldType(field.type) ? labelOf(fieldTypes[field.type].label, lang) : field.type}</Tag>
        {field.required && <Tag color="red">{tr(lang, '必填', 'required')}</Tag>}
        {field.archived && <Tag color="error">{tr(lang, '已归档', 'archived')}</Tag>}
      </div>}
      {field?.archived && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={tr(lang, '这个字段已归档，不能留在布局中，请移除。', 'This field is archived and cannot stay in the layout: remove it.')} />}
      {!field && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={tr(lang, '对象没有这个字段，请移除。', 'The entity has no such field: remove it.')} />}
      <Typography.Text type="secondary">{tr(lang, '占几列', 'Width (columns)')}</Typography.Text>
      <div>
        <Segmented value={Math.min(item.span ?? 1, section.columns)} data-testid="item-span"
          options={[1, 2, 3, 4].filter((n) => n <= section.columns).map((n) => ({ value: n, label: <span data-testid={`item-span-${n}`}>{tr(lang, `${n} 列`, `${n}`)}</span> }))}
          onChange={(v) => ed.change((x) => setSpan(x, pos, Number(v)))} />
        {section.columns === 1 && <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>{tr(lang, '分区只有 1 列', 'the section has 1 column')}</Typography.Text>}
      </div>
      {field && <FieldRules ed={ed} entityId={p.entityId} fieldKey={item.field} />}
      {remove}
    </Panel>
  );
}

/** The entity's visibleIf / requiredIf / readOnlyIf rules of one field, each edited with the shared rule builder. */
function FieldRules(p: { ed: LayoutEditor; entityId: string; fieldKey: string }) {
  const d = useDraft();
  const { lang, entity } = p.ed;
  const entityIssues = d.issues[`entity/${p.entityId}`];
  const setRule = (kind: ConditionalKind, when: unknown) => {
    const id = newId('rul');
    d.update<EntityBody>('entity', p.entityId, (e) => ({ ...e, rules: setConditionalRule(e.rules, kind, p.fieldKey, when, id) }), `rule:${kind}:${p.fieldKey}`);
  };
  return (
    <>
      <Divider style={{ margin: '16px 0 8px' }}>{tr(lang, '条件规则', 'Conditional rules')}</Divider>
      {RULES.map(([kind, zh, en, helpZh, helpEn]) => {
        const rule = conditionalRule(entity.rules, kind, p.fieldKey);
        const index = rule ? entity.rules.indexOf(rule) : -1;
        const issues = index >= 0 ? issuesUnder(entityIssues, `/rules/${index}`) : [];
        return (
          <div key={kind} className="layout-rule" data-active={rule ? 'true' : 'false'}>
            <div className="layout-rule-head">
              <Typography.Text strong>{tr(lang, zh, en)}</Typography.Text>
              {rule && <Button size="small" type="link" onClick={() => setRule(kind, undefined)} data-testid={`rule-clear-${kind}`}>{tr(lang, '清除', 'Clear')}</Button>}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, helpZh, helpEn)}</Typography.Text>
            <RuleBuilder fields={entity.fields as unknown as RuleField[]} ownership={entity.ownership} value={rule?.when} lang={lang}
              onChange={(logic) => setRule(kind, logic)} testId={`rule-${kind}`} />
            {issues.length > 0 && <div className="issue-text">{issuesText(issues)}</div>}
          </div>
        );
      })}
    </>
  );
}
