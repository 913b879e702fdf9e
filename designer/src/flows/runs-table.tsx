import { App, Button, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import dayjs from 'dayjs';
import { labelOf, type Lang } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody } from '../model.js';
import type { FlowBody } from './flow-ops.js';
import { RunDrawer } from './run-detail.js';
import { durationText, recordHref, runDuration, runsQuery, STATUS_LABELS, type Run, type RunStatus } from './runs-ops.js';
import { useMembers } from './use-workspace.js';

export function StatusTag(p: { status: string; lang: Lang }) {
  const s = STATUS_LABELS[p.status] ?? [p.status, p.status, 'default'];
  return <Tag color={s[2]} data-testid="run-status" data-status={p.status}>{tr(p.lang, s[0], s[1])}</Tag>;
}

const FINAL = new Set(['completed', 'stopped', 'failed']);

/** Runs newest first, a page at a time; refreshed every few seconds while the list is shown. */
export function useRuns(q: { flow?: string; status?: RunStatus }, poll: boolean) {
  const { api, ws } = useDraft();
  const [runs, setRuns] = useState<Run[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const pages = useRef(1);
  const load = useCallback(async () => {
    try {
      // The pages seen so far, again: a new run shifts them all by one.
      const r = await api.get<{ data: Run[]; nextCursor: string | null }>(`/api/w/${ws}/automation/runs${runsQuery({ ...q, limit: Math.min(200, 50 * pages.current) })}`);
      setRuns(r.data); setNext(r.nextCursor); setError(null);
    } catch (err) { setError(err as Error); } finally { setLoading(false); }
  }, [api, ws, q.flow, q.status]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (!poll) return;
    const t = setInterval(() => { if (document.visibilityState === 'visible') void load(); }, 3000);
    return () => clearInterval(t);
  }, [poll, load]);
  const more = async () => {
    if (!next) return;
    const r = await api.get<{ data: Run[]; nextCursor: string | null }>(`/api/w/${ws}/automation/runs${runsQuery({ ...q, limit: 50, cursor: next })}`);
    pages.current += 1;
    setRuns((rs) => [...rs, ...r.data]); setNext(r.nextCursor);
  };
  return { runs, loading, error, reload: load, more: next ? more : undefined, pending: runs.some((r) => !FINAL.has(r.status)) };
}

/**
 * A table of runs: status, the record (opens in the app), what set it off and
 * who, when, how long; a click shows its steps. `showFlow` adds the flow's
 * name (the workspace's failed list); `retry` a one-click retry of failed ones.
 */
export function RunsTable(p: { runs: Run[]; loading: boolean; showFlow?: boolean; retry?: boolean; onChanged: () => void; more?: () => Promise<void>; testId: string }) {
  const d = useDraft();
  const { lang } = d;
  const { message } = App.useApp();
  const members = useMembers();
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const names = Object.fromEntries((members ?? []).map((m) => [m.id, m.name]));
  const flows = Object.fromEntries(docsOf<FlowBody>(d.docs, 'flow').map((f) => [f.id, f.body.label]));
  const entities = Object.fromEntries(docsOf<EntityBody>(d.docs, 'entity').map((e) => [e.body.key, e.body.label]));
  const retry = async (id: string) => {
    setBusy(id);
    try {
      await d.api.send('POST', `/api/w/${d.ws}/automation/runs/${id}/retry`);
      message.success(tr(lang, '已重新排队，将从失败的步骤继续', 'Queued again: it goes on from the step that failed'));
      p.onChanged();
    } catch (err) { message.error((err as Error).message); } finally { setBusy(null); }
  };
  const EVENT: Record<string, [string, string]> = { created: ['新建', 'created'], updated: ['修改', 'updated'], deleted: ['删除', 'deleted'], restored: ['恢复', 'restored'] };
  return (
    <>
      <Table<Run> size="small" rowKey="id" loading={p.loading} dataSource={p.runs} pagination={false} data-testid={p.testId}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' }, 'data-testid': `run-${r.id}` } as never)}
        locale={{ emptyText: tr(lang, '还没有运行记录', 'No runs yet') }}
        columns={[
          { title: tr(lang, '状态', 'Status'), dataIndex: 'status', width: 96, render: (s: string) => <StatusTag status={s} lang={lang} /> },
          ...(p.showFlow ? [{ title: tr(lang, '自动化', 'Flow'), dataIndex: 'flow', render: (f: string) => labelOf(flows[f], lang) || f }] : []),
          {
            title: tr(lang, '记录', 'Record'), key: 'record', render: (_: unknown, r: Run) => {
              const href = recordHref(d.ws, r);
              return href ? <a href={href} onClick={(e) => e.stopPropagation()} data-testid="run-record">{labelOf(entities[r.entity!], lang) || r.entity} · {r.recordId!.slice(0, 8)}</a> : <Typography.Text type="secondary">—</Typography.Text>;
            },
          },
          { title: tr(lang, '触发', 'Trigger'), key: 'event', render: (_: unknown, r: Run) => (r.trigger?.event ? tr(lang, ...(EVENT[r.trigger.event] ?? [r.trigger.event, r.trigger.event])) : '—') + (r.chain?.length ? tr(lang, '（由其他自动化引起）', ' (by another flow)') : '') },
          { title: tr(lang, '触发人', 'Triggered by'), dataIndex: 'triggeredBy', render: (u: string | null) => (u ? names[u] ?? u.slice(0, 8) : tr(lang, '系统', 'system')) },
          { title: tr(lang, '时间', 'Time'), dataIndex: 'createdAt', width: 150, render: (t: string) => dayjs(t).format('YYYY-MM-DD HH:mm:ss') },
          { title: tr(lang, '耗时', 'Took'), key: 'took', width: 90, render: (_: unknown, r: Run) => durationText(runDuration(r)) },
          {
            title: tr(lang, '错误', 'Error'), key: 'error', render: (_: unknown, r: Run) => r.error
              ? <Tooltip title={r.error.message}><Typography.Text type="danger" ellipsis style={{ maxWidth: 260 }}>{r.failedStep ? `${r.failedStep}: ` : ''}{r.error.message ?? r.error.code}</Typography.Text></Tooltip>
              : null,
          },
          ...(p.retry ? [{
            title: '', key: 'retry', width: 90, render: (_: unknown, r: Run) => r.status === 'failed' && (
              <Button size="small" loading={busy === r.id} onClick={(e) => { e.stopPropagation(); void retry(r.id); }} data-testid={`retry-${r.id}`}>{tr(lang, '重试', 'Retry')}</Button>
            ),
          }] : []),
        ]} />
      {p.more && <Button style={{ marginTop: 8 }} onClick={() => void p.more!()}>{tr(lang, '加载更多', 'Load more')}</Button>}
      {open && <RunDrawer runId={open} onClose={() => setOpen(null)} onRetried={p.onChanged} />}
    </>
  );
}
