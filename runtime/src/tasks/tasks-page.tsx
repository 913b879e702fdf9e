import { App, Button, Empty, Segmented, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import { useLiveChanges } from '../live/index.js';
import type { NavEntity, Navigation } from '../types.js';
import { and, byStatus, mine } from './task-filters.js';
import { completion, listAll, patchRecord, seesOthers, zoneOf, type Rec } from './task-actions.js';
import { TaskItem } from './task-item.js';
import { addDays, dayKey } from './zoned-days.js';
import './tasks.css';

type Scope = 'mine' | 'team';

/** Open tasks in groups a rep acts on: overdue, today, tomorrow, later, undated. */
function groups(tasks: Rec[], tz: string, now: Date, en: boolean): { key: string; label: string; items: Rec[] }[] {
  const today = dayKey(now, tz);
  const tomorrow = addDays(today, 1);
  const out = [
    { key: 'overdue', label: en ? 'Overdue' : '已逾期', items: [] as Rec[] },
    { key: 'today', label: en ? 'Today' : '今天', items: [] as Rec[] },
    { key: 'tomorrow', label: en ? 'Tomorrow' : '明天', items: [] as Rec[] },
    { key: 'later', label: en ? 'Later' : '以后', items: [] as Rec[] },
    { key: 'none', label: en ? 'No due date' : '无截止时间', items: [] as Rec[] },
  ];
  for (const t of tasks) {
    const due = typeof t.due === 'string' ? t.due : null;
    const day = due ? dayKey(due, tz) : null;
    const g = !due ? 4 : Date.parse(due) < now.getTime() ? 0 : day === today ? 1 : day === tomorrow ? 2 : 3;
    out[g]!.items.push(t);
  }
  return out.filter((g) => g.items.length);
}

/**
 * My tasks (and my team's, for those who may see them): open or done, each
 * completed with one click (a PATCH with the version held, so a task changed
 * meanwhile shows the server's conflict message instead of overwriting it).
 * The generic table of the tasks entity stays one switch away.
 */
export function TasksPage(p: { nav: Navigation; entity: NavEntity; ctx: WidgetContext; renderList?: () => ReactNode }) {
  const { message } = App.useApp();
  const en = p.ctx.lang === 'en';
  const tz = zoneOf(p.nav);
  const keys = useMemo(() => p.entity.fields.map((f) => f.key), [p.entity]);
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const [scope, setScope] = useState<Scope>('mine');
  const [team, setTeam] = useState(false);
  const [table, setTable] = useState(false);
  const [tasks, setTasks] = useState<Rec[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const now = new Date();

  useEffect(() => { seesOthers(p.ctx.api, p.ctx.ws, p.entity.key).then(setTeam, () => setTeam(false)); }, [p.ctx.ws]);

  const load = async () => {
    const filter = and(scope === 'mine' ? mine(keys) : undefined, byStatus(keys, status));
    const sort = keys.includes('due') ? (status === 'open' ? 'due' : '-due') : '-updated_at';
    const expand = keys.includes('account') ? ['account'] : [];
    try {
      setTasks(await listAll(p.ctx.api, p.ctx.ws, p.entity.key, { filter, sort, expand }, status === 'open' ? 1000 : 200));
    } catch (err) {
      setTasks([]);
      message.error((err as Error).message);
    }
  };
  useEffect(() => { setTasks(null); void load(); }, [status, scope, p.ctx.ws]);
  // Someone else completed, added or moved a task: show it without a reload.
  useLiveChanges(p.entity.key, () => void load());

  const toggle = async (task: Rec, done: boolean) => {
    setBusy(String(task.id));
    try {
      const res = await patchRecord(p.ctx.api, p.ctx.ws, p.entity.key, task, completion(done));
      message.success(done ? (en ? 'Completed' : '已完成') : (en ? 'Reopened' : '已重新打开'));
      // It leaves this list (open <-> done); keep the fresh version in case it is toggled back from elsewhere.
      setTasks((ts) => (ts ?? []).filter((t) => t.id !== res.data.id));
    } catch (err) {
      if (err instanceof ApiError) message.error(err.message, 6);
      else throw err;
      void load();
    } finally {
      setBusy(null);
    }
  };

  // The generic table (views, filters, bulk actions) of the tasks entity, full width, with the way back.
  if (table && p.renderList) {
    return (
      <div>
        <div className="crm-toolbar crm-page-head" style={{ padding: '12px 24px 0', margin: 0 }}>
          <Button type="link" onClick={() => setTable(false)} data-testid="task-table-toggle">{en ? '‹ My tasks as cards' : '‹ 返回卡片视图'}</Button>
        </div>
        {p.renderList()}
      </div>
    );
  }

  const item = (t: Rec) => <TaskItem key={String(t.id)} task={t} fields={p.entity.fields} ctx={p.ctx} tz={tz} now={now} showOwner={scope === 'team'} busy={busy === t.id} onToggle={(x, d) => void toggle(x, d)} />;
  return (
    <div className="crm-page crm-tasks" data-testid="tasks-page">
      <div className="crm-toolbar crm-page-head">
        <Typography.Title level={4} style={{ margin: 0 }}>{en ? 'Tasks' : '任务'}</Typography.Title>
        <span className="crm-toolbar-spacer" />
        <Button onClick={() => go(`/app/${p.ctx.ws}/calendar`)}>{en ? 'Calendar' : '日历'}</Button>
        {p.entity.canCreate && <Button type="primary" onClick={() => go(`/app/${p.ctx.ws}/${p.entity.key}/new`)} data-testid="new-task">{en ? 'New task' : '新建任务'}</Button>}
      </div>
      <div className="crm-toolbar">
        <Segmented value={status} onChange={(v) => setStatus(v as 'open' | 'done')} data-testid="task-status"
          options={[{ value: 'open', label: en ? 'To do' : '待办' }, { value: 'done', label: en ? 'Done' : '已完成' }]} />
        {team && <Segmented value={scope} onChange={(v) => setScope(v as Scope)} data-testid="task-scope"
          options={[{ value: 'mine', label: en ? 'Mine' : '我的' }, { value: 'team', label: en ? 'My team' : '我的团队' }]} />}
        {p.renderList && <Button type="link" onClick={() => setTable(true)} data-testid="task-table-toggle">{en ? 'Table' : '表格视图'}</Button>}
      </div>
      {tasks === null ? <Spin style={{ margin: 40 }} /> : tasks.length === 0
        ? <Empty description={status === 'open' ? (en ? 'Nothing to do. Well done!' : '没有待办任务') : (en ? 'No completed tasks' : '还没有已完成的任务')} />
        : status === 'open'
          ? groups(tasks, tz, now, en).map((g) => (
            <section key={g.key} data-testid={`task-group-${g.key}`}>
              <div className="crm-task-group">{g.label}<Typography.Text type="secondary">{g.items.length}</Typography.Text></div>
              {g.items.map(item)}
            </section>
          ))
          : tasks.map(item)}
    </div>
  );
}
