import { Button, Input, Select, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { labelOf, widgets, type WidgetContext } from '@crm/ui';
import { go } from './session.js';
import type { NavEntity, Navigation } from './types.js';
import { Kanban } from './kanban.js';

interface Page { data: Record<string, unknown>[]; nextCursor: string | null; total?: number }

/** A list view of an entity: the view's columns, filter and sort; search; sort by column; keyset pages. */
export function ListPage(p: { nav: Navigation; entity: NavEntity; ctx: WidgetContext }) {
  const e = p.entity;
  const en = p.ctx.lang === 'en';
  const views = e.views;
  const [viewId, setViewId] = useState(views[0]?.id);
  const view = views.find((v) => v.id === viewId);
  const columns = (view?.columns ?? e.fields.slice(0, 6).map((f) => f.key)).map((k) => e.fields.find((f) => f.key === k)).filter((f) => !!f);
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<string>(view?.sort.map((s) => (s.direction === 'desc' ? '-' : '') + s.field).join(',') ?? '');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    if (view?.type === 'kanban') return;
    const params = new URLSearchParams({ limit: '20', total: 'true' });
    if (q) params.set('q', q);
    if (sort) params.set('sort', sort);
    if (view?.filter) params.set('filter', JSON.stringify(view.filter));
    const rel = columns.filter((c) => c.type === 'relation').map((c) => c.key);
    if (rel.length) params.set('expand', rel.join(','));
    if (cursor) params.set('cursor', cursor);
    p.ctx.api.get<Page>(`/api/w/${p.ctx.ws}/records/${e.key}?${params}`).then(setPage, (err) => setError((err as Error).message));
  }, [q, sort, cursor, viewId]);

  return (
    <div className="crm-page">
      <div className="crm-toolbar">
        <Typography.Title level={4} style={{ margin: 0, marginRight: 'auto' }}>{labelOf(e.pluralLabel, p.ctx.lang)}</Typography.Title>
        {views.length > 1 && <Select data-testid="view-select" value={viewId} style={{ minWidth: 160 }} onChange={(v) => { setViewId(v); setCursors([null]); }} options={views.map((v) => ({ value: v.id, label: labelOf(v.label, p.ctx.lang) }))} />}
        <Input.Search allowClear placeholder={en ? 'Search' : '搜索'} style={{ width: 220 }} onSearch={(v) => { setQ(v); setCursors([null]); }} data-testid="list-search" />
        {e.canCreate && <Button type="primary" onClick={() => go(`/app/${p.ctx.ws}/${e.key}/new`)} data-testid="new-record">{en ? 'New' : '新建'}</Button>}
      </div>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {view?.type === 'kanban' ? <Kanban entity={e} view={view} ctx={p.ctx} /> : <>
      <Table
        rowKey="id" size="middle" loading={!page} pagination={false} scroll={{ x: true }}
        dataSource={page?.data ?? []}
        onRow={(r) => ({ onClick: () => go(`/app/${p.ctx.ws}/${e.key}/${String(r.id)}`), style: { cursor: 'pointer' } })}
        onChange={(_pg, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(s?.order ? `${s.order === 'descend' ? '-' : ''}${String(s.field)}` : '');
          setCursors([null]);
        }}
        columns={columns.map((f) => ({
          key: f.key, dataIndex: f.key, title: labelOf(f.label, p.ctx.lang),
          sorter: !['multiselect', 'file', 'address', 'richtext', 'textarea', 'lookup'].includes(f.type),
          render: (_: unknown, r: Record<string, unknown>) => widgets[f.type].Cell({ field: f, value: r[f.key] ?? null, ctx: p.ctx, record: r }),
        }))}
      />
      <div className="crm-toolbar" style={{ marginTop: 12, justifyContent: 'flex-end' }}>
        <Typography.Text type="secondary">{page?.total !== undefined ? (en ? `${page.total} records` : `共 ${page.total} 条`) : ''}</Typography.Text>
        <Button disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>{en ? 'Previous' : '上一页'}</Button>
        <Button disabled={!page?.nextCursor} onClick={() => setCursors([...cursors, page!.nextCursor])}>{en ? 'Next' : '下一页'}</Button>
      </div>
      </>}
    </div>
  );
}
