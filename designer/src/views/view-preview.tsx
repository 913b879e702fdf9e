import { Alert, Card, Empty, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, labelOf, widgets, type UiField, type WidgetContext } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody, ViewBody } from '../model.js';
import { groupRecords, previewQueries, type Rec } from './view-ops.js';

type Loaded = { records: Rec[]; filtered: boolean; sorted: boolean } | { error: string } | null;

const DEBOUNCE_MS = 400;
/** A list shows the first page; a board needs more records to fill its columns, of which it shows a few each. */
const SAMPLE = { list: 20, kanban: 100 } as const;
const CARDS_PER_COLUMN = 5;

/**
 * Sample records of the published entity shown the way the view would show
 * them (columns or kanban cards), with the draft's sort and filter when the
 * server accepts them.
 */
export function ViewPreview(p: { view: ViewBody; entity: EntityBody }) {
  const d = useDraft();
  const { lang, api, ws } = d;
  const published = d.published[docKey('entity', p.entity.id)]?.body as EntityBody | undefined;
  const [members, setMembers] = useState<WidgetContext['members']>([]);
  const [loaded, setLoaded] = useState<Loaded>(null);

  useEffect(() => {
    api.get<{ data: { id: string; name: string }[] }>(`/api/w/${ws}/members`).then((r) => setMembers(r.data)).catch(() => setMembers([]));
  }, [api, ws]);

  // Relation titles come from `expand`, limited to relations the published entity knows (an unknown one is a 400).
  const shown = p.view.type === 'kanban' ? [...(p.view.cardFields ?? [])] : p.view.columns;
  const expand = shown.filter((k) => published?.fields.some((f) => f.key === k && f.type === 'relation'));
  const request = JSON.stringify({ type: p.view.type, sort: p.view.sort, filter: p.view.filter ?? null, expand, key: published?.key });

  useEffect(() => {
    if (!published) return;
    let live = true;
    const t = setTimeout(async () => {
      for (const q of previewQueries(p.view, { expand, limit: SAMPLE[p.view.type] })) {
        try {
          const r = await api.get<{ data: Rec[] }>(`/api/w/${ws}/records/${published.key}?${q.query}`);
          if (live) setLoaded({ records: r.data, filtered: q.filtered, sorted: q.sorted });
          return;
        } catch (err) {
          if (err instanceof ApiError && err.status === 400) continue;
          if (live) setLoaded({ error: err instanceof Error ? err.message : String(err) });
          return;
        }
      }
      if (live) setLoaded({ error: tr(lang, '服务器拒绝了预览请求', 'The server refused the preview request') });
    }, DEBOUNCE_MS);
    return () => { live = false; clearTimeout(t); };
    // `request` stands for every input of the query.
  }, [request, api, ws]);

  const ctx: WidgetContext = useMemo(() => ({ lang, api, ws, members }), [lang, api, ws, members]);
  const field = (key: string) => p.entity.fields.find((f) => f.key === key) as FieldBody | undefined;

  let body;
  if (!published) body = <Alert type="info" title={tr(lang, '这个对象还没有发布：发布后这里显示示例记录。', 'This entity is not published yet: sample records show here once it is.')} />;
  else if (!loaded) body = <Spin />;
  else if ('error' in loaded) body = <Alert type="warning" title={loaded.error} />;
  else {
    const notes: string[] = [];
    if (p.view.filter && !loaded.filtered) notes.push(tr(lang, '筛选条件尚未生效（已发布的对象不认识其中的字段），下面是未筛选的记录。', 'The filter could not be applied yet (the published entity does not know a field it names): records below are unfiltered.'));
    if (p.view.sort.length && !loaded.sorted) notes.push(tr(lang, '排序尚未生效（字段未发布）。', 'The sort could not be applied yet (field not published).'));
    body = (
      <>
        {notes.map((n) => <Alert key={n} type="warning" showIcon style={{ marginBottom: 8 }} title={n} />)}
        {p.view.type === 'kanban'
          ? <KanbanPreview view={p.view} entity={p.entity} records={loaded.records} ctx={ctx} field={field} />
          : <Table<Rec> size="small" rowKey={(r) => String(r.id)} dataSource={loaded.records} pagination={false} scroll={{ x: 'max-content' }}
              data-testid="view-preview-table" locale={{ emptyText: tr(lang, '没有符合条件的记录', 'No matching records') }}
              columns={p.view.columns.map((key) => {
                const f = field(key);
                return {
                  key, title: f ? labelOf(f.label, lang) || key : key, dataIndex: key,
                  render: (_: unknown, r: Rec) => (f ? widgets[f.type].Cell({ field: f as UiField, value: r[key] ?? null, ctx, record: r }) : <span className="crm-empty">—</span>),
                };
              })} />}
      </>
    );
  }
  return (
    <div style={{ marginTop: 16 }} data-testid="view-preview">
      <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
        {tr(lang, '预览', 'Preview')}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', marginLeft: 8 }}>
          {tr(lang, `已发布数据中的前 ${SAMPLE[p.view.type]} 条记录`, `First ${SAMPLE[p.view.type]} records of the published data`)}
        </Typography.Text>
      </Typography.Title>
      {body}
    </div>
  );
}

function KanbanPreview(p: { view: ViewBody; entity: EntityBody; records: Rec[]; ctx: WidgetContext; field: (k: string) => FieldBody | undefined }) {
  const { lang } = p.ctx;
  const group = p.view.groupBy ? p.field(p.view.groupBy) : undefined;
  if (!group || group.type !== 'select') return <Empty description={tr(lang, '选择分组字段后显示看板', 'Choose a group-by field to see the board')} />;
  const cards = (p.view.cardFields ?? []).map(p.field).filter((f): f is FieldBody => !!f);
  return (
    <div style={{ display: 'flex', gap: 10, overflowX: 'auto', alignItems: 'flex-start', paddingBottom: 8 }} data-testid="view-preview-kanban">
      {groupRecords(p.records, group).map((col) => (
        <div key={col.key ?? '(none)'} data-column={col.key ?? ''} style={{ flex: '0 0 180px', background: '#eef1f6', borderRadius: 8, padding: 8 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '2px 2px 8px' }}>
            {col.option
              ? <Tag color={col.option.color}>{labelOf(col.option.label, lang) || col.option.key}{col.option.active === false ? tr(lang, '（停用）', ' (inactive)') : ''}</Tag>
              : <Tag>{tr(lang, '未填写', 'No value')}</Tag>}
            <Typography.Text type="secondary">{col.records.length}</Typography.Text>
          </div>
          {col.records.slice(0, CARDS_PER_COLUMN).map((r) => (
            <Card key={String(r.id)} size="small" style={{ marginBottom: 8 }}>
              <div style={{ fontWeight: 500, marginBottom: 4 }}>{String(r[p.entity.titleField] ?? '—')}</div>
              {cards.map((f) => (
                <div key={f.key} style={{ fontSize: 12, color: '#555' }}>
                  {labelOf(f.label, lang)}：{widgets[f.type].Cell({ field: f as UiField, value: r[f.key] ?? null, ctx: p.ctx, record: r })}
                </div>
              ))}
            </Card>
          ))}
          {col.records.length > CARDS_PER_COLUMN && (
            <Typography.Text type="secondary" style={{ fontSize: 12, paddingLeft: 4 }}>{tr(lang, `还有 ${col.records.length - CARDS_PER_COLUMN} 条`, `${col.records.length - CARDS_PER_COLUMN} more`)}</Typography.Text>
          )}
        </div>
      ))}
    </div>
  );
}
