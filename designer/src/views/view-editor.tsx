import { Button, Radio, Select, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { labelOf, type Lang } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf } from '../state/documents.js';
import { issuesUnder, type DocIssue } from '../state/issues.js';
import { RuleBuilder, type RuleField } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { EntityBody, RoleBody, ViewBody } from '../model.js';
import { SortableList } from './sortable-list.js';
import { LabelInputs } from './label-inputs.js';
import {
  addCardField, addColumn, addSort, columnFields, groupByFields, MAX_CARD_FIELDS, MAX_SORT, moveCardField, moveColumn, moveSort,
  removeCardField, removeColumn, removeSortAt, setFilter, setGroupBy, setLabel, setRoles, setSortAt, sortKeys,
} from './view-ops.js';

/** The settings of one view; every change is one undo step (typing coalesces by tag). */
export function ViewEditor(p: { view: ViewBody; entity: EntityBody }) {
  const d = useDraft();
  const { lang } = d;
  const { view, entity } = p;
  const issues = d.issues[docKey('view', view.id)] ?? [];
  const change = (fn: (v: ViewBody) => ViewBody, tag?: string) => d.update<ViewBody>('view', view.id, fn, tag);
  const keys = sortKeys(entity);
  const nameOf = (key: string) => {
    const f = entity.fields.find((x) => x.key === key);
    const k = keys.find((x) => x.key === key);
    return labelOf(f?.label ?? k?.label, lang) || key;
  };
  const roles = docsOf<RoleBody>(d.docs, 'role').map((r) => r.body);
  const candidates = columnFields(entity);
  const stray = issues.filter((i) => !['label', 'columns', 'sort', 'filter', 'roles', 'groupBy', 'cardFields'].includes(i.pointer.split('/')[1] ?? ''));

  return (
    <div style={{ background: '#fff', borderRadius: 8, padding: 16, border: '1px solid #eee' }} data-testid="view-editor">
      {stray.length > 0 && <Issues list={stray} />}
      <Row label={tr(lang, '名称', 'Name')} issues={issuesUnder(issues, '/label')}>
        <LabelInputs value={view.label} testId="view-label" onChange={(l, text) => change((v) => setLabel(v, l, text), `label-${l}`)} />
      </Row>
      <Row label={tr(lang, '类型', 'Type')}>
        <Tag color={view.type === 'kanban' ? 'purple' : 'blue'}>{view.type === 'kanban' ? tr(lang, '看板', 'Kanban') : tr(lang, '列表', 'List')}</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}><code>{view.id}</code></Typography.Text>
      </Row>

      <Row label={tr(lang, '列', 'Columns')} issues={issuesUnder(issues, '/columns')}>
        <SortableList layout="chips" testId="view-columns" dragLabel={tr(lang, '拖动排序', 'Drag to reorder')}
          onMove={(from, to) => change((v) => moveColumn(v, from, to))}
          items={view.columns.map((key, i) => ({
            id: key, testId: `view-column-${key}`,
            content: <KeyLine name={nameOf(key)} fieldKey={key} issues={issuesUnder(issues, `/columns/${i}`)}
              removeTestId={`view-column-remove-${key}`}
              onRemove={view.columns.length > 1 ? () => change((v) => removeColumn(v, key)) : undefined} lang={lang} />,
          }))} />
        <AddSelect lang={lang} testId="view-add-column" placeholder={tr(lang, '+ 添加列', '+ Add column')}
          options={candidates.filter((f) => !view.columns.includes(f.key)).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))}
          onPick={(key) => change((v) => addColumn(v, key))} />
      </Row>

      <Row label={tr(lang, '默认排序', 'Default sort')} issues={issuesUnder(issues, '/sort')}>
        {view.sort.length > 0 && (
          <SortableList testId="view-sort" dragLabel={tr(lang, '拖动排序', 'Drag to reorder')}
            onMove={(from, to) => change((v) => moveSort(v, from, to))}
            items={view.sort.map((s, i) => ({
              id: `${s.field}`, testId: `view-sort-${i}`,
              content: (
                <>
                  <Typography.Text type="secondary" style={{ width: 18 }}>{i + 1}.</Typography.Text>
                  <Select size="small" showSearch optionFilterProp="label" style={{ width: 200 }} value={s.field}
                    status={issuesUnder(issues, `/sort/${i}`).length ? 'error' : undefined}
                    onChange={(field) => change((v) => setSortAt(v, i, { field }))}
                    options={keys.map((k) => ({ value: k.key, label: labelOf(k.label, lang) || k.key, disabled: k.key !== s.field && view.sort.some((x) => x.field === k.key) }))} />
                  <Radio.Group size="small" optionType="button" buttonStyle="solid" value={s.direction} data-testid={`view-sort-direction-${i}`}
                    onChange={(e) => change((v) => setSortAt(v, i, { direction: e.target.value as 'asc' | 'desc' }))}
                    options={[{ value: 'asc', label: tr(lang, '升序', 'Ascending') }, { value: 'desc', label: tr(lang, '降序', 'Descending') }]} />
                  <Button size="small" type="text" style={{ marginLeft: 'auto' }} onClick={() => change((v) => removeSortAt(v, i))} aria-label={tr(lang, '删除', 'Remove')}>✕</Button>
                </>
              ),
            }))} />
        )}
        <Button size="small" style={{ marginTop: 6 }} disabled={view.sort.length >= MAX_SORT} onClick={() => change((v) => addSort(v, keys))} data-testid="view-add-sort">
          {tr(lang, `+ 排序条件（最多 ${MAX_SORT} 个）`, `+ Sort key (up to ${MAX_SORT})`)}
        </Button>
      </Row>

      <Row label={tr(lang, '默认筛选', 'Default filter')} issues={issuesUnder(issues, '/filter')}>
        <RuleBuilder fields={entity.fields as unknown as RuleField[]} ownership={entity.ownership} value={view.filter} lang={lang} testId="view-filter"
          onChange={(logic) => change((v) => setFilter(v, logic), 'filter')} />
        {!view.filter && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '没有条件：显示全部记录', 'No condition: every record shows')}</Typography.Text>}
      </Row>

      <Row label={tr(lang, '可见角色', 'Visible to')} issues={issuesUnder(issues, '/roles')}>
        <Select mode="multiple" allowClear style={{ width: '100%' }} value={view.roles ?? []} data-testid="view-roles"
          placeholder={tr(lang, '所有人（不限角色）', 'Everyone (any role)')}
          onChange={(r: string[]) => change((v) => setRoles(v, r))}
          options={roles.map((r) => ({ value: r.key, label: labelOf(r.label, lang) || r.key }))} />
      </Row>

      {view.type === 'kanban' && (
        <>
          <Row label={tr(lang, '分组字段', 'Group by')} issues={issuesUnder(issues, '/groupBy')}>
            <Select style={{ width: 260 }} value={view.groupBy} data-testid="view-group-by" status={!view.groupBy || issuesUnder(issues, '/groupBy').length ? 'error' : undefined}
              placeholder={tr(lang, '选择一个单选字段', 'Choose a select field')}
              onChange={(key: string) => change((v) => setGroupBy(v, key))}
              options={groupByFields(entity).map((f) => ({
                value: f.key,
                label: <>{labelOf(f.label, lang) || f.key}{f.pipeline ? <Tag color="geekblue" style={{ marginLeft: 6 }}>{tr(lang, '销售流程阶段', 'pipeline stage')}</Tag> : null}</>,
              }))} />
            {!groupByFields(entity).length && <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>{tr(lang, '看板需要一个单选字段，请先在“字段”里添加。', 'A kanban needs a select field: add one under Fields first.')}</Typography.Text>}
          </Row>
          <Row label={tr(lang, '卡片字段', 'Card fields')} issues={issuesUnder(issues, '/cardFields')}>
            <SortableList layout="chips" testId="view-card-fields" dragLabel={tr(lang, '拖动排序', 'Drag to reorder')}
              onMove={(from, to) => change((v) => moveCardField(v, from, to))}
              items={(view.cardFields ?? []).map((key, i) => ({
                id: key, testId: `view-card-field-${key}`,
                content: <KeyLine name={nameOf(key)} fieldKey={key} issues={issuesUnder(issues, `/cardFields/${i}`)} removeTestId={`view-card-field-remove-${key}`}
                onRemove={() => change((v) => removeCardField(v, key))} lang={lang} />,
              }))} />
            <AddSelect lang={lang} testId="view-add-card-field" disabled={(view.cardFields ?? []).length >= MAX_CARD_FIELDS}
              placeholder={tr(lang, `+ 添加卡片字段（最多 ${MAX_CARD_FIELDS} 个）`, `+ Add card field (up to ${MAX_CARD_FIELDS})`)}
              options={candidates.filter((f) => !(view.cardFields ?? []).includes(f.key)).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))}
              onPick={(key) => change((v) => addCardField(v, key))} />
          </Row>
        </>
      )}
    </div>
  );
}

function Row(p: { label: string; children: ReactNode; issues?: readonly DocIssue[] }) {
  return (
    <div style={{ display: 'flex', gap: 12, marginBottom: 14 }}>
      <div style={{ width: 96, flex: '0 0 96px', color: '#555', paddingTop: 4 }}>{p.label}</div>
      <div style={{ flex: 1, minWidth: 0 }}>
        {p.children}
        {p.issues && p.issues.length > 0 && <Issues list={p.issues} />}
      </div>
    </div>
  );
}

function Issues(p: { list: readonly DocIssue[] }) {
  return <div className="issue-text" data-testid="view-issues">{[...new Set(p.list.map((i) => i.message))].join('；')}</div>;
}

function KeyLine(p: { name: string; fieldKey: string; issues: readonly DocIssue[]; onRemove?: () => void; lang: Lang; removeTestId: string }) {
  return (
    <>
      <span style={{ color: p.issues.length ? '#dc2626' : undefined }}>{p.name}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}><code>{p.fieldKey}</code></Typography.Text>
      {p.onRemove && (
        <Button size="small" type="text" style={{ marginLeft: 'auto', width: 22, minWidth: 22, padding: 0 }} onClick={(e) => { e.stopPropagation(); p.onRemove!(); }}
          aria-label={tr(p.lang, '移除', 'Remove')} data-testid={p.removeTestId}>✕</Button>
      )}
    </>
  );
}

/** A select that adds what is picked and clears itself. */
function AddSelect(p: { lang: Lang; placeholder: string; options: { value: string; label: string }[]; onPick: (key: string) => void; testId: string; disabled?: boolean }) {
  return (
    <Select showSearch optionFilterProp="label" size="small" style={{ width: 260, marginTop: 6 }} value={null} placeholder={p.placeholder}
      disabled={p.disabled || !p.options.length} data-testid={p.testId} onChange={(key: string | null) => key && p.onPick(key)} options={p.options}
      notFoundContent={tr(p.lang, '没有可添加的字段', 'No field left to add')} />
  );
}
