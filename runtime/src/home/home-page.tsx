import { App, Badge, Button, Card, Empty, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, labelOf, type Api, type UiField, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import { useLiveChanges } from '../live/index.js';
import type { NavEntity, Navigation } from '../types.js';
import { and, byStatus, dueTodayOrOverdue, mine } from '../tasks/task-filters.js';
import { completion, listAll, patchRecord, zoneOf, type Rec } from '../tasks/task-actions.js';
import { TaskItem } from '../tasks/task-item.js';
import { dayKey } from '../tasks/zoned-days.js';
import { NotificationList, openNotification } from './notification-list.js';
import { ago } from './notification-text.js';
import { shortMoney, summarise, type StageSummary } from './pipeline-summary.js';
import { useNotifications } from './use-notifications.js';
import '../tasks/tasks.css';

interface RecentRecord { entity: string; id: string; title: string; at: string; source: 'changed' | 'owned' }

/** Home shows the most urgent few; the tasks screen has them all. */
const HOME_TASKS = 5;

/** The stage field of an entity's pipeline and its open stages (outcome stages, won or lost, are closed). */
async function openStages(api: Api, ws: string, entity: NavEntity): Promise<{ field: UiField; stages: string[] } | undefined> {
  const field = entity.fields.find((f) => f.type === 'select' && typeof f.pipeline === 'string') ?? entity.fields.find((f) => f.key === 'stage' && f.type === 'select');
  if (!field) return undefined;
  let closed = ['won', 'lost'];
  try {
    const meta = await api.get<{ documents: { kind: string; id: string; body: { entity?: string; field?: string; stages?: { key: string; outcome?: string }[] } }[] }>(`/api/w/${ws}/meta`);
    const pipeline = meta.documents.find((d) => d.kind === 'pipeline' && d.body.entity === entity.key && d.body.field === field.key);
    if (pipeline?.body.stages) closed = pipeline.body.stages.filter((s) => s.outcome).map((s) => s.key);
  } catch {
    // The outcome keys of the default pipeline are a fair guess when the pipeline cannot be read.
  }
  return { field, stages: (field.options ?? []).filter((o) => o.active !== false && !closed.includes(o.key)).map((o) => o.key) };
}

const money = (amount: string, currency: string, lang: 'zh-CN' | 'en') => `${currency === 'CNY' ? '¥' : `${currency} `}${shortMoney(amount, lang)}`;

/**
 * Home: what a rep acts on today. My tasks due today or overdue (completed
 * with one click), my open opportunities per stage, my notifications, and
 * the records I changed lately. Every figure comes from the list API (or the
 * recent/notification endpoints) under the caller's own permissions.
 */
export function HomePage(p: { nav: Navigation; ctx: WidgetContext; me?: { name: string } }) {
  const { message } = App.useApp();
  const en = p.ctx.lang === 'en';
  const tz = zoneOf(p.nav);
  const settings = (p.nav.workspace as { settings?: { currency?: string } }).settings;
  const tasksEntity = p.nav.entities.find((e) => e.key === 'tasks');
  const oppEntity = p.nav.entities.find((e) => e.key === 'opportunities');
  const [tasks, setTasks] = useState<Rec[] | null>(null);
  const [pipeline, setPipeline] = useState<{ field: UiField; rows: StageSummary[] } | null | undefined>(undefined);
  const [recent, setRecent] = useState<RecentRecord[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const notes = useNotifications(p.ctx.api, p.ctx.ws, 6);
  const now = new Date();
  const labels = useMemo(() => new Map(p.nav.entities.map((e) => [e.key, labelOf(e.label, p.ctx.lang)])), [p.nav]);

  const loadTasks = async () => {
    if (!tasksEntity) return setTasks([]);
    const keys = tasksEntity.fields.map((f) => f.key);
    if (!keys.includes('due')) return setTasks([]);
    try {
      setTasks(await listAll(p.ctx.api, p.ctx.ws, tasksEntity.key,
        { filter: and(mine(keys), byStatus(keys, 'open'), dueTodayOrOverdue()), sort: 'due', expand: keys.includes('account') ? ['account'] : [] }, 200));
    } catch {
      setTasks([]);
    }
  };

  useEffect(() => {
    void loadTasks();
    p.ctx.api.get<{ data: RecentRecord[] }>(`/api/w/${p.ctx.ws}/recent?limit=8`).then((r) => setRecent(r.data), () => setRecent([]));
    if (!oppEntity) { setPipeline(null); return; }
    void (async () => {
      const open = await openStages(p.ctx.api, p.ctx.ws, oppEntity);
      if (!open || !open.stages.length) return setPipeline(null);
      const amount = oppEntity.fields.some((f) => f.key === 'amount') ? 'amount' : undefined;
      const records = await listAll(p.ctx.api, p.ctx.ws, oppEntity.key,
        { filter: and(mine([]), { in: [{ var: open.field.key }, open.stages] }), fields: [open.field.key, ...(amount ? [amount] : [])], sort: '-updated_at' }, 2000);
      setPipeline({ field: open.field, rows: summarise(records.map((r) => ({ stage: r[open.field.key], amount: amount ? r[amount] : null })), open.stages) });
    })().catch(() => setPipeline(null));
  }, [p.ctx.ws]);

  useLiveChanges(tasksEntity?.key ?? 'tasks', () => void loadTasks());

  const toggle = async (task: Rec, done: boolean) => {
    setBusy(String(task.id));
    try {
      await patchRecord(p.ctx.api, p.ctx.ws, 'tasks', task, completion(done));
      message.success(en ? 'Completed' : '已完成');
      setTasks((ts) => (ts ?? []).filter((t) => t.id !== task.id));
    } catch (err) {
      if (err instanceof ApiError) message.error(err.message, 6);
      else throw err;
      void loadTasks();
    } finally {
      setBusy(null);
    }
  };

  const max = Math.max(1, ...(pipeline?.rows.map((r) => r.count) ?? []));
  const totalOpen = pipeline?.rows.reduce((a, r) => a + r.count, 0) ?? 0;
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(now));
  const greeting = en ? (hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening') : (hour < 12 ? '早上好' : hour < 18 ? '下午好' : '晚上好');
  const today = dayKey(now, tz);

  const tasksCard = tasksEntity && (
    <Card className="crm-home-card" data-testid="home-tasks"
      title={<span>{en ? 'My tasks: today and overdue' : '我的任务：今天及逾期'} <Badge count={tasks?.length ?? 0} showZero color={tasks?.length ? '#d4380d' : '#98a2b3'} /></span>}
      extra={<Button type="link" onClick={() => go(`/app/${p.ctx.ws}/tasks`)}>{en ? 'All tasks' : '全部任务'}</Button>}>
      {tasks === null ? <Skeleton active paragraph={{ rows: 3 }} /> : tasks.length === 0
        ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={en ? 'Nothing due today' : '今天没有到期的任务'} />
        : <>
          {tasks.slice(0, HOME_TASKS).map((t) => <TaskItem key={String(t.id)} task={t} fields={tasksEntity.fields} ctx={p.ctx} tz={tz} now={now} busy={busy === t.id} onToggle={(x, d) => void toggle(x, d)} />)}
          {tasks.length > HOME_TASKS && <Button block type="dashed" onClick={() => go(`/app/${p.ctx.ws}/tasks`)} data-testid="home-tasks-more">
            {en ? `${tasks.length - HOME_TASKS} more` : `还有 ${tasks.length - HOME_TASKS} 项`}</Button>}
        </>}
    </Card>
  );

  const pipelineCard = oppEntity && pipeline !== null && (
    <Card className="crm-home-card" data-testid="home-pipeline"
      title={<span>{en ? 'My open opportunities' : '我的进行中商机'} <Typography.Text type="secondary" style={{ fontWeight: 400 }}>{pipeline ? totalOpen : ''}</Typography.Text></span>}
      extra={<Button type="link" onClick={() => go(`/app/${p.ctx.ws}/${oppEntity.key}`)}>{en ? 'Open list' : '查看列表'}</Button>}>
      {pipeline === undefined ? <Skeleton active paragraph={{ rows: 4 }} /> : pipeline.rows.map((r) => {
        const option = pipeline.field.options?.find((o) => o.key === r.stage);
        return (
          <div key={r.stage} className="crm-stage-row" data-stage={r.stage} onClick={() => go(`/app/${p.ctx.ws}/${oppEntity.key}`)}>
            <Tag color={option?.color} style={{ overflow: 'hidden', textOverflow: 'ellipsis', marginInlineEnd: 0 }}>{option ? labelOf(option.label, p.ctx.lang) : r.stage}</Tag>
            <div className="crm-stage-bar"><div style={{ width: `${(r.count / max) * 100}%`, background: option?.color ?? undefined, opacity: r.count ? 1 : 0 }} /></div>
            <div className="crm-stage-figures"><span data-testid={`home-pipeline-count-${r.stage}`}>{r.count}</span>{money(r.amount, settings?.currency ?? 'CNY', p.ctx.lang)}</div>
          </div>
        );
      })}
    </Card>
  );

  const notificationsCard = (
    <Card className="crm-home-card" data-testid="home-notifications"
      title={<span>{en ? 'Notifications' : '通知'} {notes.unread > 0 && <Badge count={notes.unread} />}</span>}
      extra={<Button type="link" disabled={!notes.unread} onClick={() => void notes.markAll()}>{en ? 'Mark all read' : '全部已读'}</Button>}>
      {notes.items === null ? <Skeleton active paragraph={{ rows: 2 }} />
        : <NotificationList items={notes.items} ctx={p.ctx} tz={tz} onOpen={(n) => void openNotification(n, p.ctx.ws, notes.markRead)} />}
    </Card>
  );

  const recentCard = (
    <Card className="crm-home-card" data-testid="home-recent" title={en ? 'Recent records' : '最近的记录'}>
      {recent === null ? <Skeleton active paragraph={{ rows: 3 }} /> : recent.length === 0
        ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={en ? 'Nothing yet' : '暂无记录'} />
        : recent.map((r) => (
          <div key={`${r.entity}/${r.id}`} className="crm-recent-item" role="link" tabIndex={0} data-testid={`recent-${r.id}`}
            onClick={() => go(`/app/${p.ctx.ws}/${r.entity}/${r.id}`)} onKeyDown={(e) => { if (e.key === 'Enter') go(`/app/${p.ctx.ws}/${r.entity}/${r.id}`); }}>
            <Tag style={{ marginInlineEnd: 0 }}>{labels.get(r.entity) ?? r.entity}</Tag>
            <span className="crm-recent-title">{r.title || (en ? '(untitled)' : '（无标题）')}</span>
            <span className="crm-recent-when">{ago(r.at, now, p.ctx.lang, (iso) => dayKey(iso, tz))}</span>
          </div>
        ))}
    </Card>
  );

  return (
    <div className="crm-page" data-testid="home">
      <div className="crm-home-greeting crm-page-head">
        <Typography.Title level={4}>{greeting}{p.me ? (en ? `, ${p.me.name}` : `，${p.me.name}`) : ''}</Typography.Title>
        <Typography.Text type="secondary">{today}</Typography.Text>
      </div>
      <div className="crm-home-grid">
        <div className="crm-home-col">{tasksCard}{pipelineCard}</div>
        <div className="crm-home-col">{notificationsCard}{recentCard}</div>
      </div>
    </div>
  );
}
