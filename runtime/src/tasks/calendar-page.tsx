import { App, Button, DatePicker, Modal, Segmented, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { ApiError, labelOf, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import { useLiveChanges } from '../live/index.js';
import type { NavEntity, Navigation } from '../types.js';
import { and, between, mine } from './task-filters.js';
import { completion, isDone, listAll, patchRecord, seesOthers, zoneOf, type Rec } from './task-actions.js';
import { addDays, byDay, dayKey, instantOf, moveToDay, shiftAnchor, timeOfDay, visibleDays, weekday, type CalendarMode } from './zoned-days.js';
import './tasks.css';

/** Activity kinds that are appointments rather than logs (the default CRM's keys); all activities when the entity has no kind. */
const MEETING_KINDS = ['meeting', 'visit'];
const MONTH_CELL_ITEMS = 4;

interface Item {
  id: string;
  source: 'task' | 'meeting';
  entity: NavEntity;
  at: string;
  title: string;
  rec: Rec;
}

function useNarrow(): boolean {
  const query = '(max-width: 768px)';
  const [narrow, setNarrow] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const mq = matchMedia(query);
    const on = () => setNarrow(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}

/**
 * Tasks (by due time) and meetings (activities by when they happen) on a week
 * or month grid in the workspace time zone. Dragging a task to another day
 * keeps its time of day and PATCHes the due date with the version held; a
 * refusal (a conflict, a rule) puts it back and shows the server's message.
 * On a phone the grid becomes an agenda, and a task moves with a date picker.
 */
export function CalendarPage(p: { nav: Navigation; ctx: WidgetContext }) {
  const { message } = App.useApp();
  const en = p.ctx.lang === 'en';
  const tz = zoneOf(p.nav);
  const narrow = useNarrow();
  const tasksEntity = p.nav.entities.find((e) => e.key === 'tasks' && e.fields.some((f) => f.key === 'due'));
  const meetingsEntity = p.nav.entities.find((e) => e.key === 'activities' && e.fields.some((f) => f.key === 'occurred_at'));
  const today = dayKey(new Date(), tz);
  const [mode, setMode] = useState<CalendarMode>(() => (matchMedia('(max-width: 768px)').matches ? 'week' : 'month'));
  const [anchor, setAnchor] = useState(today);
  const [scope, setScope] = useState<'mine' | 'team'>('mine');
  const [team, setTeam] = useState(false);
  const [items, setItems] = useState<Item[] | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [selected, setSelected] = useState<Item | null>(null);
  const days = useMemo(() => visibleDays(anchor, mode), [anchor, mode]);
  const month = anchor.slice(0, 7);

  useEffect(() => {
    if (tasksEntity) seesOthers(p.ctx.api, p.ctx.ws, tasksEntity.key).then(setTeam, () => setTeam(false));
  }, [p.ctx.ws]);

  const load = async () => {
    const from = instantOf(days[0]!, tz).toISOString();
    const to = instantOf(addDays(days[days.length - 1]!, 1), tz).toISOString();
    const out: Item[] = [];
    const fetches: Promise<void>[] = [];
    if (tasksEntity) {
      const keys = tasksEntity.fields.map((f) => f.key);
      fetches.push(listAll(p.ctx.api, p.ctx.ws, tasksEntity.key, { filter: and(scope === 'mine' ? mine(keys) : undefined, between('due', from, to)), sort: 'due' }, 1000)
        .then((rs) => { out.push(...rs.map((r) => ({ id: String(r.id), source: 'task' as const, entity: tasksEntity, at: String(r.due), title: String(r[tasksEntity.titleField] ?? ''), rec: r }))); }));
    }
    if (meetingsEntity) {
      const kind = meetingsEntity.fields.find((f) => f.key === 'kind' && f.type === 'select');
      const kinds = kind ? MEETING_KINDS.filter((k) => kind.options?.some((o) => o.key === k)) : [];
      const filter = and(scope === 'mine' ? mine([]) : undefined, between('occurred_at', from, to), kind && kinds.length ? { in: [{ var: 'kind' }, kinds] } : undefined);
      fetches.push(listAll(p.ctx.api, p.ctx.ws, meetingsEntity.key, { filter, sort: 'occurred_at' }, 1000)
        .then((rs) => { out.push(...rs.map((r) => ({ id: String(r.id), source: 'meeting' as const, entity: meetingsEntity, at: String(r.occurred_at), title: String(r[meetingsEntity.titleField] ?? ''), rec: r }))); }));
    }
    try {
      await Promise.all(fetches);
      setItems(out);
    } catch (err) {
      setItems([]);
      message.error((err as Error).message);
    }
  };
  useEffect(() => { void load(); }, [days[0], days.length, scope, p.ctx.ws]);

  useLiveChanges(tasksEntity?.key ?? 'tasks', () => void load());
  useLiveChanges(meetingsEntity?.key ?? 'activities', () => void load());

  const grouped = useMemo(() => byDay(items ?? [], (i) => i.at, tz), [items, tz]);

  /** Moves a task to `day` (same time of day); optimistic, put back when the server refuses. */
  const reschedule = async (item: Item, day: string) => {
    if (item.source !== 'task' || dayKey(item.at, tz) === day) return;
    const due = moveToDay(item.at, day, tz);
    const before = items;
    setSaving(item.id);
    setItems((xs) => (xs ?? []).map((x) => (x.id === item.id ? { ...x, at: due } : x)));
    try {
      const res = await patchRecord(p.ctx.api, p.ctx.ws, item.entity.key, item.rec, { due });
      setItems((xs) => (xs ?? []).map((x) => (x.id === item.id ? { ...x, at: String(res.data.due), rec: res.data } : x)));
      message.success(en ? `Moved to ${day}` : `已改到 ${day}`);
    } catch (err) {
      setItems(before);
      if (err instanceof ApiError) message.error(err.message, 6);
      else throw err;
    } finally {
      setSaving(null);
    }
  };

  const complete = async (item: Item) => {
    try {
      const res = await patchRecord(p.ctx.api, p.ctx.ws, item.entity.key, item.rec, completion(!isDone(item.rec)));
      setItems((xs) => (xs ?? []).map((x) => (x.id === item.id ? { ...x, rec: res.data } : x)));
      setSelected(null);
    } catch (err) {
      if (err instanceof ApiError) message.error(err.message, 6);
      else throw err;
    }
  };

  const drop = (day: string) => {
    const item = items?.find((x) => x.id === dragging);
    setDragging(null);
    setOver(null);
    if (item) void reschedule(item, day);
  };

  const chip = (item: Item) => {
    const done = item.source === 'task' && isDone(item.rec);
    const overdue = item.source === 'task' && !done && Date.parse(item.at) < Date.now();
    const cls = ['crm-cal-item', item.source === 'task' ? 'crm-cal-task' : 'crm-cal-meeting', done ? 'crm-cal-done' : '', overdue ? 'crm-cal-overdue' : '', saving === item.id ? 'crm-cal-saving' : ''].join(' ');
    return (
      <div key={item.id} className={cls} data-testid={`calendar-item-${item.id}`} title={`${timeOfDay(item.at, tz)} ${item.title}${scope === 'team' ? ` · ${p.ctx.members?.find((m) => m.id === item.rec.owner_id)?.name ?? ''}` : ''}`}
        draggable={item.source === 'task' && !narrow} onDragStart={(e) => { e.dataTransfer.setData('text/plain', item.id); e.dataTransfer.effectAllowed = 'move'; setDragging(item.id); }}
        onDragEnd={() => { setDragging(null); setOver(null); }} onClick={() => setSelected(item)}>
        <span className="crm-cal-time">{timeOfDay(item.at, tz)}</span>{item.title}
      </div>
    );
  };

  const dayProps = (day: string) => ({
    'data-testid': `calendar-day-${day}`,
    onDragOver: (e: DragEvent) => { if (dragging) { e.preventDefault(); if (over !== day) setOver(day); } },
    onDragLeave: () => { if (over === day) setOver(null); },
    onDrop: (e: DragEvent) => { e.preventDefault(); drop(day); },
  });

  const weekdayNames = en ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] : ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
  const title = mode === 'month'
    ? (en ? dayjs(`${month}-01`).locale('en').format('MMMM YYYY') : `${month.slice(0, 4)}年${Number(month.slice(5))}月`)
    : (en ? `${dayjs(days[0]).locale('en').format('MMM D')} – ${dayjs(days[6]).locale('en').format('MMM D, YYYY')}`
      : `${Number(days[0]!.slice(5, 7))}月${Number(days[0]!.slice(8))}日 – ${Number(days[6]!.slice(5, 7))}月${Number(days[6]!.slice(8))}日`);

  const grid = (
    <>
      <div className="crm-cal-head">{weekdayNames.map((d) => <div key={d}>{d}</div>)}</div>
      <div className={`crm-cal crm-cal-${mode}`} data-testid="calendar-grid">
        {days.map((day) => {
          const list = grouped.get(day) ?? [];
          const limit = mode === 'month' && list.length > MONTH_CELL_ITEMS + 1 ? MONTH_CELL_ITEMS : list.length;
          const cls = ['crm-cal-day', mode === 'month' && day.slice(0, 7) !== month ? 'crm-cal-out' : '', day === today ? 'crm-cal-today' : '', over === day ? 'crm-cal-over' : ''].join(' ');
          return (
            <div key={day} className={cls} {...dayProps(day)}>
              <div className="crm-cal-num"><b>{Number(day.slice(8))}</b>{list.length > 0 && <span>{list.length}</span>}</div>
              {list.slice(0, limit).map(chip)}
              {limit < list.length && <a className="crm-cal-more" onClick={() => { setAnchor(day); setMode('week'); }}>{en ? `+${list.length - limit} more` : `还有 ${list.length - limit} 项`}</a>}
            </div>
          );
        })}
      </div>
    </>
  );

  // The agenda: every day of a week; only busy days of a month (a month of empty rows says nothing on a phone).
  const agenda = (
    <div data-testid="calendar-grid">
      {days.filter((d) => (mode === 'week' || (d.slice(0, 7) === month && (grouped.get(d)?.length || d === today)))).map((day) => {
        const list = grouped.get(day) ?? [];
        return (
          <div key={day} className={`crm-agenda-day${day === today ? ' crm-cal-today' : ''}${over === day ? ' crm-cal-over' : ''}`} {...dayProps(day)}>
            <div className="crm-agenda-date"><b>{Number(day.slice(8))}</b>{weekdayNames[weekday(day)]}</div>
            <div className="crm-agenda-items">{list.length ? list.map(chip) : <span className="crm-agenda-empty">{en ? 'Nothing planned' : '没有安排'}</span>}</div>
          </div>
        );
      })}
    </div>
  );

  const sel = selected && items?.find((x) => x.id === selected.id);
  return (
    <div className="crm-page" data-testid="calendar">
      <div className="crm-toolbar crm-page-head">
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="calendar-title">{title}</Typography.Title>
        <span className="crm-toolbar-spacer" />
        <Space.Compact>
          <Button onClick={() => setAnchor(shiftAnchor(anchor, mode, -1))} aria-label={en ? 'Previous' : '上一页'} data-testid="calendar-prev">‹</Button>
          <Button onClick={() => setAnchor(today)} data-testid="calendar-today">{en ? 'Today' : '今天'}</Button>
          <Button onClick={() => setAnchor(shiftAnchor(anchor, mode, 1))} aria-label={en ? 'Next' : '下一页'} data-testid="calendar-next">›</Button>
        </Space.Compact>
        <Segmented value={mode} onChange={(v) => setMode(v as CalendarMode)} data-testid="calendar-mode"
          options={[{ value: 'week', label: en ? 'Week' : '周' }, { value: 'month', label: en ? 'Month' : '月' }]} />
      </div>
      <div className="crm-toolbar">
        {team && <Segmented value={scope} onChange={(v) => setScope(v as 'mine' | 'team')} data-testid="calendar-scope"
          options={[{ value: 'mine', label: en ? 'Mine' : '我的' }, { value: 'team', label: en ? 'My team' : '我的团队' }]} />}
        <div className="crm-cal-legend">
          {tasksEntity && <span><i style={{ background: '#1d4ed8' }} />{labelOf(tasksEntity.pluralLabel, p.ctx.lang)}</span>}
          {meetingsEntity && <span><i style={{ background: '#389e0d' }} />{en ? 'Meetings and visits' : '会议与拜访'}</span>}
          {!narrow && tasksEntity && <span>{en ? 'Drag a task to another day to reschedule it' : '拖动任务到其他日期即可改期'}</span>}
        </div>
      </div>
      {items === null ? <Spin style={{ margin: 40 }} /> : narrow ? agenda : grid}
      <Modal open={!!sel} onCancel={() => setSelected(null)} footer={null} title={sel?.title} destroyOnHidden width={420}>
        {sel && (
          <div data-testid="calendar-detail">
            <Typography.Paragraph type="secondary">
              {labelOf(sel.entity.label, p.ctx.lang)} · {sel.source === 'task' ? (en ? 'due ' : '截止 ') : ''}{dayKey(sel.at, tz)} {timeOfDay(sel.at, tz)}
            </Typography.Paragraph>
            <Space wrap>
              <Button onClick={() => go(`/app/${p.ctx.ws}/${sel.entity.key}/${sel.id}`)}>{en ? 'Open' : '打开'}</Button>
              {sel.source === 'task' && <Button type="primary" onClick={() => void complete(sel)} data-testid="calendar-complete">
                {isDone(sel.rec) ? (en ? 'Reopen' : '重新打开') : (en ? 'Complete' : '完成')}</Button>}
              {sel.source === 'task' && (
                <DatePicker allowClear={false} value={dayjs(dayKey(sel.at, tz))} inputReadOnly data-testid="calendar-move"
                  onChange={(d) => { if (d) void reschedule(sel, d.format('YYYY-MM-DD')).then(() => setSelected(null)); }}
                  placeholder={en ? 'Move to' : '改到'} />
              )}
            </Space>
          </div>
        )}
      </Modal>
    </div>
  );
}
