import { Alert, Button, Divider, Empty, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { labelOf, RecordDetails, RecordForm, widgets, type Lang, type UiField, type WidgetContext } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, LayoutBody, ViewBody } from '../model.js';
import './preview.css';
import { expandable, fallbackLayout, listColumns, liveFields, recordTitle, ruleEffects, withoutHidden, withRequired } from './preview-ops.js';

type Rec = Record<string, unknown>;
type Mode = 'form' | 'details';

/** What the preview needs from the workspace besides the draft: sample records, members, time zone, who is looking. */
interface Samples { records: Rec[]; error: string | null; loading: boolean }

/**
 * The entity's form as users will get it after publishing: the draft layout
 * and fields drawn by the runtime's own components (@crm/ui RecordForm /
 * RecordDetails), on a few real records of the published entity, with the
 * draft conditional rules applied. Nothing typed here is saved.
 */
export function PreviewTab(p: { entityId: string }) {
  const d = useDraft();
  const { lang, api, ws } = d;
  const entity = d.docs[docKey('entity', p.entityId)]?.body as EntityBody | undefined;
  const publishedEntity = d.published[docKey('entity', p.entityId)]?.body as EntityBody | undefined;
  const isPublished = !!publishedEntity && publishedEntity.key === entity?.key;
  const layouts = entity ? docsOf<LayoutBody>(d.docs, 'layout').filter((l) => l.body.entity === entity.key) : [];
  const [layoutId, setLayoutId] = useState<string | null>(null);
  const layoutDoc = layouts.find((l) => l.id === layoutId) ?? layouts[0];

  const [samples, setSamples] = useState<Samples>({ records: [], error: null, loading: false });
  const [members, setMembers] = useState<WidgetContext['members']>([]);
  const [env, setEnv] = useState<{ timeZone: string; userId?: string }>({ timeZone: 'Asia/Shanghai' });
  const [recordId, setRecordId] = useState<string | null>(null);
  const [value, setValue] = useState<Rec>({});
  const [mode, setMode] = useState<Mode>('form');

  const key = entity?.key;
  const expand = expandable(isPublished ? publishedEntity : undefined).join(',');
  useEffect(() => {
    if (!key || !isPublished) { setSamples({ records: [], error: null, loading: false }); return; }
    let live = true;
    setSamples((s) => ({ ...s, loading: true }));
    api.get<{ data: Rec[] }>(`/api/w/${ws}/records/${key}?limit=5${expand ? `&expand=${expand}` : ''}`).then(
      (r) => { if (live) setSamples({ records: r.data, error: null, loading: false }); },
      (err: unknown) => { if (live) setSamples({ records: [], error: err instanceof Error ? err.message : String(err), loading: false }); },
    );
    return () => { live = false; };
  }, [api, ws, key, isPublished, expand]);

  useEffect(() => {
    api.get<{ data: { id: string; name: string; status?: string }[] }>(`/api/w/${ws}/members`).then((r) => setMembers(r.data), () => setMembers([]));
    Promise.all([
      api.get<{ data: { workspace?: { settings?: { timeZone?: string } } } }>(`/api/w/${ws}/navigation`).catch(() => null),
      api.get<{ data: { id: string } }>('/api/auth/me').catch(() => null),
    ]).then(([nav, me]) => setEnv({ timeZone: nav?.data.workspace?.settings?.timeZone ?? 'Asia/Shanghai', userId: me?.data.id }));
  }, [api, ws]);

  // The first sample is shown until another is picked; a fresh copy each time so edits here never leak.
  const current = samples.records.find((r) => r.id === recordId) ?? samples.records[0];
  useEffect(() => { setValue(current ? { ...current } : {}); }, [current]);

  const fields = useMemo(() => (entity ? liveFields(entity) : []), [entity]);
  const evalCtx = useMemo(() => ({ now: new Date(), timeZone: env.timeZone, ...(env.userId ? { user: { id: env.userId, teams: [] } } : {}) }), [env]);
  const effects = useMemo(() => (entity ? ruleEffects(entity, value, evalCtx) : null), [entity, value, evalCtx]);
  if (!entity || !effects) return null;

  const ctx: WidgetContext = { lang, api, ws, members };
  const baseLayout = layoutDoc ? layoutDoc.body : fallbackLayout(fields);
  const layout = withoutHidden(baseLayout, effects.hidden);
  const formFields = withRequired(fields, effects.required);
  const views = docsOf<ViewBody>(d.docs, 'view');
  const list = listColumns(views, entity.key, fields);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const nameOf = (k: string) => labelOf(byKey.get(k)?.label, lang) || k;

  return (
    <div className="preview-tab" data-testid="preview">
      <div className="crm-toolbar">
        {layouts.length > 1 && (
          <Select value={layoutDoc!.id} style={{ width: 200 }} onChange={setLayoutId} data-testid="preview-layout-select"
            options={layouts.map((l) => ({ value: l.id, label: labelOf(l.body.label, lang) || l.id }))} />
        )}
        <Typography.Text type="secondary">{tr(lang, '示例记录', 'Sample record')}</Typography.Text>
        <Select style={{ width: 260 }} value={current ? String(current.id) : undefined} onChange={setRecordId} data-testid="preview-record-select"
          disabled={!samples.records.length} loading={samples.loading}
          placeholder={isPublished ? tr(lang, '没有记录', 'No records') : tr(lang, '发布后才有记录', 'Records exist after publishing')}
          options={samples.records.map((r) => ({ value: String(r.id), label: recordTitle(r, entity.titleField) }))} />
        <Segmented value={mode} onChange={(v) => setMode(v as Mode)} data-testid="preview-mode"
          options={[{ value: 'form', label: tr(lang, '编辑表单', 'Form') }, { value: 'details', label: tr(lang, '详情', 'Details') }]} />
        {mode === 'form' && <Button onClick={() => setValue(current ? { ...current } : {})} data-testid="preview-reset">{tr(lang, '还原', 'Reset')}</Button>}
        <Typography.Text type="secondary" style={{ marginLeft: 'auto', fontSize: 12 }}>
          {layoutDoc ? tr(lang, `草稿布局：${labelOf(layoutDoc.body.label, lang)}`, `Draft layout: ${labelOf(layoutDoc.body.label, lang)}`) : tr(lang, '没有表单布局：按运行时的默认方式显示全部字段', 'No form layout: every field, as the app shows it by default')}
        </Typography.Text>
      </div>
      {!isPublished && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="preview-unpublished"
          title={tr(lang, '这个对象还没有发布：发布后才会有记录。下面是一张空白表单。', 'This entity is not published yet: records exist only after publishing. Below is an empty form.')} />
      )}
      {samples.error && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={samples.error} />}
      {isPublished && !samples.loading && !samples.error && !samples.records.length && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={tr(lang, '已发布的对象中还没有记录：显示空白表单。', 'The published entity has no records yet: showing an empty form.')} />
      )}
      <RuleLegend lang={lang} effects={effects} nameOf={nameOf} />
      <div className="preview-card" data-testid={`preview-${mode}`}>
        {mode === 'form'
          ? <RecordForm fields={formFields} layout={layout} value={value} errors={{}} ctx={ctx} readOnly={effects.readOnly}
              onChange={(k, v) => { if (!effects.readOnly.has(k)) setValue((x) => ({ ...x, [k]: v })); }} />
          : <RecordDetails fields={formFields} layout={layout} record={value} ctx={ctx} />}
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 6 }}>
        {tr(lang, '这里的修改不会保存，只用来试一试表单和条件规则。', 'Nothing typed here is saved: it is for trying the form and its conditional rules.')}
      </Typography.Paragraph>

      <Divider titlePlacement="start">{tr(lang, '列表预览', 'List preview')}</Divider>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {list.view
          ? tr(lang, `列来自列表视图「${labelOf(views.find((v) => v.id === list.view)?.body.label, lang)}」`, `Columns of the list view "${labelOf(views.find((v) => v.id === list.view)?.body.label, lang)}"`)
          : tr(lang, '这个对象还没有列表视图：显示前几个字段。', 'This entity has no list view yet: showing its first fields.')}
      </Typography.Paragraph>
      <Table<Rec> rowKey={(r) => String(r.id)} size="small" pagination={false} dataSource={samples.records} data-testid="preview-list"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={isPublished ? tr(lang, '没有记录', 'No records') : tr(lang, '发布后才有记录', 'Records exist after publishing')} /> }}
        onRow={(r) => ({ onClick: () => setRecordId(String(r.id)), style: { cursor: 'pointer' } })}
        rowClassName={(r) => (r === current ? 'preview-row-current' : '')}
        columns={list.columns.map((f: UiField) => ({
          key: f.key, title: labelOf(f.label, lang) || f.key,
          render: (_: unknown, r: Rec) => widgets[f.type].Cell({ field: f, value: r[f.key] ?? null, ctx, record: r }),
        }))} />
    </div>
  );
}

/** Which draft conditional rules change the form for this record right now. */
function RuleLegend(p: { lang: Lang; effects: ReturnType<typeof ruleEffects>; nameOf: (k: string) => string }) {
  const { lang, effects } = p;
  const groups: [Set<string>, string, string, string][] = [
    [effects.hidden, '已隐藏', 'hidden', 'default'],
    [effects.required, '必填', 'required', 'orange'],
    [effects.readOnly, '只读', 'read-only', 'purple'],
  ];
  if (!groups.some(([s]) => s.size) && !effects.broken.length) return null;
  return (
    <Space wrap size={4} style={{ marginBottom: 8 }} data-testid="preview-rules">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '条件规则对当前记录：', 'Conditional rules for this record:')}</Typography.Text>
      {groups.flatMap(([set, zh, en, color]) => [...set].map((k) => (
        <Tag key={`${zh}-${k}`} color={color} data-testid={`preview-rule-${en}-${k}`}>{p.nameOf(k)} · {tr(lang, zh, en)}</Tag>
      )))}
      {effects.broken.length > 0 && <Tag color="error">{tr(lang, `${effects.broken.length} 条规则有问题，未应用`, `${effects.broken.length} rule(s) with problems not applied`)}</Tag>}
    </Space>
  );
}
