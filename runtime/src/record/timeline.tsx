import { Empty, Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { labelOf, cells, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import type { NavEntity, Navigation } from '../types.js';
import { activityTime, mergeTimeline, type AutomationVia, type TimelineItem } from './timeline-model.js';

type Rec = Record<string, unknown>;

/** Activities and tasks linked to the record and its own field changes, newest first. `version` refetches. */
export function RecordTimeline(p: { nav: Navigation; entity: NavEntity; id: string; ctx: WidgetContext; version: number; renderChange: (item: Extract<TimelineItem, { kind: 'change' }>) => React.ReactNode }) {
  const [items, setItems] = useState<TimelineItem[] | null>(null);
  useEffect(() => {
    const sources = p.entity.related.map((r) => ({ r, target: p.nav.entities.find((x) => x.key === r.entity) })).filter((x) => x.target?.isActivity);
    const base = `/api/w/${p.ctx.ws}/records`;
    Promise.all([
      ...sources.map(async ({ r, target }) => {
        const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: r.field }, p.id] }));
        const res = await p.ctx.api.get<{ data: Rec[] }>(`${base}/${r.entity}?limit=50&sort=-updated_at&filter=${filter}`).catch(() => ({ data: [] as Rec[] }));
        const times = target!.fields.filter((f) => f.type === 'datetime').map((f) => f.key);
        return res.data.map((rec): TimelineItem => ({ kind: 'activity', entity: r.entity, id: String(rec.id), at: activityTime(rec, times), record: rec }));
      }),
      p.ctx.api.get<{ data: { at: string; action: string; actorId?: string; changes: Record<string, unknown>; via?: AutomationVia }[] }>(`${base}/${p.entity.key}/${p.id}/history`)
        .then((h) => h.data.map((c): TimelineItem => ({ kind: 'change', at: c.at, action: c.action, actorId: c.actorId, changes: c.changes, ...(c.via ? { via: c.via } : {}) })), () => []),
    ]).then((groups) => setItems(mergeTimeline(groups)));
  }, [p.id, p.version]);
  if (!items) return null;
  if (!items.length) return <Empty />;
  return (
    <AntTimeline data-testid="timeline" items={items.map((it) => {
      if (it.kind === 'change') return { color: 'gray', children: p.renderChange(it) };
      const target = p.nav.entities.find((x) => x.key === it.entity)!;
      const choice = target.fields.find((f) => f.type === 'select' && f.required);
      const notes = target.fields.find((f) => f.type === 'textarea');
      const owner = p.ctx.members?.find((m) => m.id === it.record.owner_id)?.name;
      return {
        color: 'blue',
        children: (
          <div data-testid={`timeline-${it.entity}`} style={{ cursor: 'pointer' }} onClick={() => go(`/app/${p.ctx.ws}/${it.entity}/${it.id}`)}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{new Date(it.at).toLocaleString(p.ctx.lang)}{owner ? ` · ${owner}` : ''}</Typography.Text>
            <div>
              <Tag>{labelOf(target.label, p.ctx.lang)}</Tag>
              {choice && it.record[choice.key] ? cells[choice.type]({ field: choice, value: it.record[choice.key], ctx: p.ctx }) : null}
              <b style={{ marginLeft: 4 }}>{String(it.record[target.titleField] ?? '')}</b>
            </div>
            {notes && typeof it.record[notes.key] === 'string' && <div style={{ color: '#555', whiteSpace: 'pre-wrap' }}>{String(it.record[notes.key])}</div>}
          </div>
        ),
      };
    })} />
  );
}
