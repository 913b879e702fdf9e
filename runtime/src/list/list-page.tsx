import { Button, Card, Checkbox, Dropdown, Empty, Input, Popover, Select, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { labelOf, cells, type UiField, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import type { NavEntity, Navigation } from '../types.js';
import { cycleSort, definitionOf, listParams, moveColumn, toggleColumn, type ListState } from './list-query.js';
import { DataGrid, useGridHeight } from './data-grid.js';
import type { SavedView } from './save-view.js';
import { useLiveTick } from '../live/index.js';
import { useNarrow } from '../shell/use-narrow.js';
import { RecordPage, whenIdle } from '../pages.js';

// Loaded when first needed: the board for kanban views, the filter builder, bulk actions, the save dialog.
const Kanban = lazy(() => import('../kanban/index.js').then((m) => ({ default: m.KanbanBoard })));
const FilterPanel = lazy(() => import('./filter-panel.js').then((m) => ({ default: m.FilterPanel })));
const BulkBar = lazy(() => import('./bulk-bar.js').then((m) => ({ default: m.BulkBar })));
const SaveViewDialog = lazy(() => import('./save-view.js').then((m) => ({ default: m.SaveViewDialog })));

type Rec = Record<string, unknown>;
interface Page { data: Rec[]; nextCursor: string | null; total?: number }
// A small first page paints fast; later pages are larger so a long scroll re-renders the table fewer times.
const FIRST_PAGE = 100;
const NEXT_PAGE = 500;

/**
 * A list of an entity: the designer's views and the user's saved ones,
 * columns to choose and order, multi-column sort, a filter built with the
 * shared rule builder, search, rows loaded page by page as the (virtual)
 * table scrolls, bulk actions on a selection, CSV export of exactly what is
 * shown. On a phone the rows become cards.
 */
export function ListPage(p: { nav: Navigation; entity: NavEntity; ctx: WidgetContext }) {
  const e = p.entity;
  const en = p.ctx.lang === 'en';
  const t = (zh: string, eng: string) => (en ? eng : zh);
  const narrow = useNarrow();
  const live = e.fields;
  const [saved, setSaved] = useState<SavedView[]>([]);
  const [viewKey, setViewKey] = useState<string>(() => (e.views[0] ? `meta:${e.views[0].id}` : 'default'));
  const metaView = e.views.find((v) => `meta:${v.id}` === viewKey);
  const savedView = saved.find((v) => `saved:${v.id}` === viewKey);
  const initial = (): ListState => {
    const d = savedView?.definition ?? metaView;
    return { columns: d?.columns ?? live.slice(0, 6).map((f) => f.key), sort: d?.sort ?? [], filter: d?.filter, q: undefined };
  };
  const [state, setState] = useState<ListState>(initial);
  const [rows, setRows] = useState<Rec[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const generation = useRef(0);

  const loadSaved = useCallback(() => {
    p.ctx.api.get<{ data: SavedView[] }>(`/api/w/${p.ctx.ws}/saved-views?entity=${e.key}`).then((r) => setSaved(r.data), () => setSaved([]));
  }, [e.key]);
  useEffect(loadSaved, [loadSaved]);
  useEffect(() => { setState(initial()); }, [viewKey, saved.length]);

  const columns = useMemo(() => state.columns.map((k) => live.find((f) => f.key === k)).filter((f): f is UiField => !!f), [state.columns.join(), live]);
  const expand = columns.filter((c) => c.type === 'relation').map((c) => c.key);
  const fetchPage = useCallback(async (cursor: string | null) => {
    const gen = cursor ? generation.current : ++generation.current;
    setLoading(true);
    try {
      const page = await p.ctx.api.get<Page>(`/api/w/${p.ctx.ws}/records/${e.key}?${listParams(state, { cursor, limit: cursor ? NEXT_PAGE : FIRST_PAGE, expand, total: !cursor })}`);
      if (gen !== generation.current) return;
      setRows((r) => (cursor ? [...r, ...page.data] : page.data));
      setNext(page.nextCursor);
      if (!cursor) { setTotal(page.total); setSelected([]); }
      setError(null);
    } catch (err) {
      if (gen === generation.current) setError((err as Error).message);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [JSON.stringify(state), e.key]);
  useEffect(() => { if (metaView?.type !== 'kanban') void fetchPage(null); }, [fetchPage, metaView?.type]);
  // Someone else changed a record of this entity (any may now enter or leave the list): refetch, but never under a
  // bulk selection (once it is cleared).
  const liveTick = useLiveTick(e.key);
  // Nor under a cell being edited in place: the refetch could take its row away, and with it what was typed.
  const [editing, setEditing] = useState<{ id: string; key: string } | null>(null);
  useEffect(() => { if (liveTick && metaView?.type !== 'kanban' && !selected.length && !editing) void fetchPage(null); }, [liveTick, !selected.length, !editing]);

  // Stable callbacks: the grid's rows are memoised on them.
  const open = useCallback((r: Rec) => go(`/app/${p.ctx.ws}/${e.key}/${String(r.id)}`), [p.ctx.ws, e.key]);
  const nextRef = useRef({ next, loading, fetchPage });
  nextRef.current = { next, loading, fetchPage };
  // Rows are on screen: fetch the record page's code while the user reads them.
  useEffect(() => { if (rows.length) whenIdle(() => void RecordPage.preload()); }, [rows.length > 0]);
  const more = useCallback(() => { const n = nextRef.current; if (n.next && !n.loading) void n.fetchPage(n.next); }, []);
  const onSort = useCallback((field: string, additive: boolean) => setState((s) => ({ ...s, sort: cycleSort(s.sort, field, additive) })), []);
  const onRowChanged = useCallback((row: Rec) => setRows((rs) => rs.map((r) => (r.id === row.id ? row : r))), []);
  const gridHeight = useGridHeight(260);
  // A download link cannot send Accept-Language: the language travels in the query.
  const exportHref = `/api/w/${p.ctx.ws}/records/${e.key}/export.csv?${listParams(state)}&lang=${p.ctx.lang}`;
  const isKanban = metaView?.type === 'kanban';
  const canShare = ['owner', 'admin', 'designer'].includes(p.nav.workspace.role);

  const viewOptions = [
    ...(e.views.length ? [{ label: t('视图', 'Views'), options: e.views.map((v) => ({ value: `meta:${v.id}`, label: labelOf(v.label, p.ctx.lang) })) }] : [{ label: t('视图', 'Views'), options: [{ value: 'default', label: t('全部', 'All') }] }]),
    ...(saved.length ? [{ label: t('我保存的与共享的', 'Saved'), options: saved.map((v) => ({ value: `saved:${v.id}`, label: `${v.label}${v.mine ? '' : t('（共享）', ' (shared)')}` })) }] : []),
  ];

  const filterCount = state.filter === undefined ? 0 : 1;
  const toolbar = (
    <div className="crm-toolbar">
      <Typography.Title level={4} style={{ margin: 0, marginRight: 'auto' }}>{labelOf(e.pluralLabel, p.ctx.lang)}</Typography.Title>
      <Select data-testid="view-select" value={viewKey} style={{ minWidth: 160 }} onChange={setViewKey} options={viewOptions} />
      <Input.Search allowClear placeholder={t('搜索', 'Search')} style={{ width: narrow ? '100%' : 200 }} onSearch={(v) => setState((s) => ({ ...s, q: v || undefined }))} data-testid="list-search" />
      {!isKanban && (
        <>
          <Popover trigger="click" placement="bottomRight" content={<Suspense fallback={null}><FilterPanel entity={e} ctx={p.ctx} value={state.filter} onApply={(filter) => setState((s) => ({ ...s, filter }))} /></Suspense>}>
            <Button data-testid="filter-button" type={filterCount ? 'primary' : 'default'} ghost={!!filterCount}>{t('筛选', 'Filter')}{filterCount ? ' ·1' : ''}</Button>
          </Popover>
          {!narrow && (
            <Popover trigger="click" placement="bottomRight" content={<ColumnsPanel fields={live} columns={state.columns} lang={p.ctx.lang} onChange={(c) => setState((s) => ({ ...s, columns: c }))} />}>
              <Button data-testid="columns-button">{t('列', 'Columns')}</Button>
            </Popover>
          )}
          <Dropdown menu={{ items: [
            { key: 'save', label: t('保存为视图…', 'Save as view…'), onClick: () => setSaving(true) },
            ...(savedView?.mine ? [{ key: 'delete', danger: true, label: t('删除这个视图', 'Delete this view'), onClick: async () => {
              await p.ctx.api.send('DELETE', `/api/w/${p.ctx.ws}/saved-views/${savedView.id}`); setViewKey(e.views[0] ? `meta:${e.views[0].id}` : 'default'); loadSaved();
            } }] : []),
            { key: 'csv', label: <a href={exportHref} download data-testid="export-csv">{t('导出 CSV', 'Export CSV')}</a> },
          ] }}>
            <Button data-testid="list-more">{t('更多', 'More')}</Button>
          </Dropdown>
        </>
      )}
      {e.canCreate && <Button type="primary" onClick={() => go(`/app/${p.ctx.ws}/${e.key}/new`)} data-testid="new-record">{t('新建', 'New')}</Button>}
    </div>
  );

  return (
    <div className="crm-page">
      {toolbar}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {isKanban ? <Suspense fallback={null}><Kanban entity={e} view={metaView!} ctx={p.ctx} /></Suspense> : (
        <>
          {selected.length > 0 && <Suspense fallback={null}><BulkBar entity={e} ctx={p.ctx} ids={selected} rows={rows} onDone={() => void fetchPage(null)} onClear={() => setSelected([])} /></Suspense>}
          {narrow ? (
            <div data-testid="list-cards">
              {rows.map((r) => (
                <Card key={String(r.id)} size="small" style={{ marginBottom: 8 }} onClick={() => open(r)} data-testid={`row-${String(r.id)}`}>
                  <div style={{ fontWeight: 600, fontSize: 16, marginBottom: 4 }}>{String(r[e.titleField] ?? '—')}</div>
                  {columns.filter((f) => f.key !== e.titleField).slice(0, 3).map((f) => (
                    <div key={f.key} style={{ color: '#555', fontSize: 13 }}>{labelOf(f.label, p.ctx.lang)}：{cells[f.type]({ field: f, value: r[f.key] ?? null, ctx: p.ctx, record: r })}</div>
                  ))}
                </Card>
              ))}
              {!rows.length && !loading && <Empty />}
              {next && <Button block size="large" onClick={more} loading={loading}>{t('加载更多', 'Load more')}</Button>}
            </div>
          ) : (
            <DataGrid entity={e} columns={columns} rows={rows} ctx={p.ctx} sort={state.sort} onSort={onSort} selected={selected} onSelect={setSelected}
              onOpen={open} onNearEnd={more} onRowChanged={onRowChanged} loading={loading} height={gridHeight} queryKey={JSON.stringify([state.sort, state.filter, state.q, viewKey])}
              editing={editing} onEditing={setEditing} />
          )}
          <div className="crm-toolbar" style={{ marginTop: 8, justifyContent: 'flex-end' }}>
            <Typography.Text type="secondary" data-testid="list-total">
              {total !== undefined ? t(`共 ${total} 条，已加载 ${rows.length} 条`, `${total} records, ${rows.length} loaded`) : ''}
            </Typography.Text>
          </div>
        </>
      )}
      {saving && <Suspense fallback={null}><SaveViewDialog ctx={p.ctx} entity={e} canShare={canShare} current={savedView?.mine ? savedView : undefined} definition={definitionOf(state)}
        onClose={() => setSaving(false)} onSaved={(id) => { setSaving(false); loadSaved(); setViewKey(`saved:${id}`); }} /></Suspense>}
    </div>
  );
}

function ColumnsPanel(p: { fields: UiField[]; columns: string[]; lang: 'zh-CN' | 'en'; onChange: (c: string[]) => void }) {
  const keys = p.fields.map((f) => f.key);
  const ordered = useMemo(() => [...p.columns, ...keys.filter((k) => !p.columns.includes(k))], [p.columns, keys.join()]);
  return (
    <div style={{ maxHeight: 360, overflow: 'auto', width: 260 }} data-testid="columns-panel">
      {ordered.map((k) => {
        const f = p.fields.find((x) => x.key === k)!;
        const on = p.columns.includes(k);
        return (
          <div key={k} style={{ display: 'flex', alignItems: 'center', gap: 4, padding: '2px 0' }}>
            <Checkbox checked={on} onChange={(ev) => p.onChange(toggleColumn(p.columns, k, ev.target.checked, keys))} data-testid={`column-${k}`} style={{ flex: 1 }}>{labelOf(f.label, p.lang)}</Checkbox>
            {on && <Button size="small" type="text" onClick={() => p.onChange(moveColumn(p.columns, k, -1))}>↑</Button>}
            {on && <Button size="small" type="text" onClick={() => p.onChange(moveColumn(p.columns, k, 1))}>↓</Button>}
          </div>
        );
      })}
      <Tag style={{ marginTop: 6 }}>{p.columns.length}</Tag>
    </div>
  );
}

export type { Rec };
