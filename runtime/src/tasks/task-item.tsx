import { Checkbox, Tag } from 'antd';
import { labelOf, type UiField, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import { addDays, dayKey, timeOfDay } from './zoned-days.js';
import { isDone, type Rec } from './task-actions.js';

/** "今天 14:30" / "Tomorrow 09:00" / "11-25 09:00", counted in the workspace zone. */
export function dueLabel(due: string, tz: string, now: Date, lang: 'zh-CN' | 'en'): string {
  const day = dayKey(due, tz);
  const today = dayKey(now, tz);
  const en = lang === 'en';
  const name = day === today ? (en ? 'Today' : '今天') : day === addDays(today, 1) ? (en ? 'Tomorrow' : '明天')
    : day === addDays(today, -1) ? (en ? 'Yesterday' : '昨天') : day.slice(0, 4) === today.slice(0, 4) ? day.slice(5) : day;
  return `${name} ${timeOfDay(due, tz)}`;
}

/**
 * One task as a card: a large checkbox completes it (or reopens it), the
 * subject opens it. Cards rather than table rows so the same list works at
 * 375 px.
 */
export function TaskItem(p: {
  task: Rec; fields: UiField[]; ctx: WidgetContext; tz: string; now: Date; showOwner?: boolean; busy?: boolean;
  onToggle: (task: Rec, done: boolean) => void;
}) {
  const { task, ctx } = p;
  const en = ctx.lang === 'en';
  const id = String(task.id);
  const done = isDone(task);
  const due = typeof task.due === 'string' ? task.due : null;
  const overdue = !done && !!due && Date.parse(due) < p.now.getTime();
  const priority = p.fields.find((f) => f.key === 'priority');
  const option = priority?.options?.find((o) => o.key === task.priority);
  const account = (task.expand as Record<string, { title?: unknown }> | undefined)?.account?.title;
  const owner = p.showOwner ? ctx.members?.find((m) => m.id === task.owner_id)?.name : undefined;
  return (
    <div className={`crm-task${done ? ' crm-task-done' : ''}`} data-testid={`task-${id}`}>
      <Checkbox className="crm-task-check" checked={done} disabled={p.busy} data-testid={`task-done-${id}`}
        aria-label={done ? (en ? 'Reopen' : '重新打开') : (en ? 'Complete' : '完成')}
        onChange={(e) => p.onToggle(task, e.target.checked)} />
      <div className="crm-task-body" role="link" tabIndex={0}
        onClick={() => go(`/app/${ctx.ws}/tasks/${id}`)} onKeyDown={(e) => { if (e.key === 'Enter') go(`/app/${ctx.ws}/tasks/${id}`); }}>
        <div className="crm-task-subject">{String(task.subject ?? '')}</div>
        <div className="crm-task-meta">
          {due && <span className={overdue ? 'crm-task-overdue' : undefined}>{overdue ? (en ? 'Overdue · ' : '已逾期 · ') : ''}{dueLabel(due, p.tz, p.now, ctx.lang)}</span>}
          {option && <Tag color={task.priority === 'high' ? 'red' : task.priority === 'low' ? 'default' : 'blue'} style={{ marginInlineEnd: 0 }}>{labelOf(option.label, ctx.lang)}</Tag>}
          {typeof account === 'string' && <span className="crm-task-related">{account}</span>}
          {owner && <span className="crm-task-owner">{en ? 'Owner: ' : '负责人：'}{owner}</span>}
        </div>
      </div>
    </div>
  );
}
