import { Button, Empty, Popconfirm, Space, Switch, Table, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import dayjs from 'dayjs';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf, type Doc } from '../state/documents.js';
import { navigate } from '../shell/router.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody } from '../model.js';
import { publishState, PublishTag } from './flow-page.js';
import type { FlowBody } from './flow-ops.js';
import { NewFlowButton } from './new-flow.js';
import { StatusTag } from './runs-table.js';
import type { Run } from './runs-ops.js';
import { countSteps } from './step-tree.js';
import { triggerSummary } from './trigger-summary.js';
import './flows.css';

/** The last run of each published flow (one small request per flow). */
function useLastRuns(ids: string[]): Record<string, Run | null> {
  const { api, ws } = useDraft();
  const [last, setLast] = useState<Record<string, Run | null>>({});
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(ids.map((id) => api.get<{ data: Run[] }>(`/api/w/${ws}/automation/runs?flow=${encodeURIComponent(id)}&limit=1`)
      .then((r) => [id, r.data[0] ?? null] as const, () => [id, null] as const)))
      .then((pairs) => live && setLast(Object.fromEntries(pairs)));
    return () => { live = false; };
  }, [api, ws, key]);
  return last;
}

/**
 * The workspace's automations: name, trigger in words, on/off, last run; a
 * flow never published can be deleted, a published one is switched off (its
 * runs and history stay).
 */
export function FlowsPage() {
  const d = useDraft();
  const { lang } = d;
  const flows = docsOf<FlowBody>(d.docs, 'flow');
  const entities = docsOf<EntityBody>(d.docs, 'entity').map((e) => e.body);
  const publishedIds = flows.filter((f) => d.published[docKey('flow', f.id)]).map((f) => f.id);
  const last = useLastRuns(publishedIds);
  const setEnabled = (id: string, enabled: boolean) => d.update<FlowBody>('flow', id, (f) => ({ ...f, enabled }));
  return (
    <div data-testid="flows-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>{tr(lang, '自动化', 'Automations')}</Typography.Title>
          <Typography.Text type="secondary">{tr(lang, '记录变化、到了某个时间或点击按钮时，自动更新记录、分配负责人、发通知或调用其他系统。', 'When records change, at a time, or on a button: update records, assign owners, notify people or call other systems.')}</Typography.Text>
        </div>
        <Space>
          <Button onClick={() => navigate({ page: 'failedRuns' })} data-testid="open-failed">{tr(lang, '失败的运行', 'Failed runs')}</Button>
          <NewFlowButton />
        </Space>
      </Space>
      <Table<Doc<FlowBody>> rowKey="id" size="middle" dataSource={flows} pagination={false} data-testid="flows-table"
        locale={{ emptyText: <Empty description={tr(lang, '还没有自动化，点击“新建自动化”开始', 'No automations yet: click "New automation" to start')} /> }}
        onRow={(f) => ({ 'data-testid': `flow-row-${f.id}` } as never)}
        columns={[
          {
            title: tr(lang, '名称', 'Name'), key: 'name', render: (_: unknown, f) => (
              <a onClick={() => navigate({ page: 'flow', flowId: f.id, tab: 'design' })} data-testid={`open-flow-${f.id}`}>
                {labelOf(f.body.label, lang) || f.id} <code className="flow-id">{f.id}</code>
              </a>
            ),
          },
          { title: tr(lang, '触发条件', 'Trigger'), key: 'trigger', render: (_: unknown, f) => (f.body.trigger ? triggerSummary(f.body.trigger, entities, lang) : '—') },
          { title: tr(lang, '步骤', 'Steps'), key: 'steps', width: 70, render: (_: unknown, f) => countSteps(Array.isArray(f.body.steps) ? f.body.steps : []) },
          {
            title: tr(lang, '启用', 'On'), key: 'enabled', width: 80, render: (_: unknown, f) => (
              <Tooltip title={tr(lang, '发布后生效', 'Applies once published')}>
                <Switch size="small" checked={f.body.enabled} onChange={(v) => setEnabled(f.id, v)} data-testid={`flow-enabled-${f.id}`} />
              </Tooltip>
            ),
          },
          { title: tr(lang, '状态', 'State'), key: 'state', width: 130, render: (_: unknown, f) => <PublishTag state={publishState(f.body, d.published[docKey('flow', f.id)]?.body)} lang={lang} /> },
          {
            title: tr(lang, '最近运行', 'Last run'), key: 'last', width: 190, render: (_: unknown, f) => {
              const r = last[f.id];
              if (!r) return <Typography.Text type="secondary">{publishedIds.includes(f.id) ? tr(lang, '还没有运行', 'Not run yet') : '—'}</Typography.Text>;
              return <a onClick={() => navigate({ page: 'flow', flowId: f.id, tab: 'runs' })}><StatusTag status={r.status} lang={lang} /> {dayjs(r.createdAt).format('MM-DD HH:mm')}</a>;
            },
          },
          {
            title: '', key: 'actions', width: 90, render: (_: unknown, f) => (publishedIds.includes(f.id)
              ? (
                <Tooltip title={tr(lang, '已发布的自动化不能删除，可以停用（运行记录会保留）', 'A published flow is switched off rather than deleted (its runs are kept)')}>
                  <Button size="small" type="text" disabled>{tr(lang, '删除', 'Delete')}</Button>
                </Tooltip>
              )
              : (
                <Popconfirm title={tr(lang, '删除这个未发布的自动化？', 'Delete this unpublished flow?')} okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}
                  onConfirm={() => d.edit('flow', f.id, null)}>
                  <Button size="small" danger type="text" data-testid={`delete-flow-${f.id}`}>{tr(lang, '删除', 'Delete')}</Button>
                </Popconfirm>
              )),
          },
        ]} />
    </div>
  );
}
