import { App, Card, Empty, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, labelOf, widgets, type WidgetContext } from '@crm/ui';
import { go } from './session.js';
import type { NavEntity } from './types.js';

type Rec = Record<string, unknown>;
type View = NavEntity['views'][number] & { groupBy?: string; cardFields?: string[] };

/**
 * A kanban view: one column per option of the view's select field (a pipeline
 * stage), cards from the same list API. Dropping a card on another column is
 * an ordinary PATCH, so the server's transition rules and stage gates decide —
 * a refused move shows the reason and the card stays.
 */
export function Kanban(p: { entity: NavEntity; view: View; ctx: WidgetContext }) {
  const { message } = App.useApp();
  const field = p.entity.fields.find((f) => f.key === p.view.groupBy);
  const columns = (field?.options ?? []).filter((o) => o.active !== false);
  const [cards, setCards] = useState<Record<string, Rec[]>>({});
  const [dragging, setDragging] = useState<Rec | null>(null);
  const cardFields = (p.view.cardFields ?? []).map((k) => p.entity.fields.find((f) => f.key === k)).filter((f) => !!f);
  const rel = cardFields.filter((f) => f.type === 'relation').map((f) => f.key);

  const load = async () => {
    const out: Record<string, Rec[]> = {};
    for (const c of columns) {
      const filter = { and: [{ '==': [{ var: field!.key }, c.key] }, ...(p.view.filter ? [p.view.filter] : [])] };
      const sort = p.view.sort.map((s) => (s.direction === 'desc' ? '-' : '') + s.field).join(',');
      const params = new URLSearchParams({ limit: '50', filter: JSON.stringify(filter), ...(sort ? { sort } : {}), ...(rel.length ? { expand: rel.join(',') } : {}) });
      out[c.key] = (await p.ctx.api.get<{ data: Rec[] }>(`/api/w/${p.ctx.ws}/records/${p.entity.key}?${params}`)).data;
    }
    setCards(out);
  };
  useEffect(() => { void load(); }, [p.view.id]);

  const drop = async (to: string) => {
    const card = dragging;
    setDragging(null);
    if (!card || card[field!.key] === to) return;
    try {
      await p.ctx.api.send('PATCH', `/api/w/${p.ctx.ws}/records/${p.entity.key}/${String(card.id)}`, { [field!.key]: to }, { 'if-match': `"${String(card.version)}"` });
      await load();
    } catch (err) {
      if (err instanceof ApiError) message.error(err.details.map((d) => d.message).join('；') || err.message, 6);
      else throw err;
    }
  };

  if (!field) return <Empty />;
  return (
    <div style={{ display: 'flex', gap: 12, overflowX: 'auto', alignItems: 'flex-start' }} data-testid="kanban">
      {columns.map((c) => (
        <div key={c.key} data-column={c.key} onDragOver={(e) => e.preventDefault()} onDrop={() => void drop(c.key)}
          style={{ minWidth: 240, flex: '0 0 240px', background: '#eef1f6', borderRadius: 8, padding: 8 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', padding: '4px 4px 8px' }}>
            <Tag color={c.color}>{labelOf(c.label, p.ctx.lang)}</Tag>
            <Typography.Text type="secondary">{cards[c.key]?.length ?? 0}</Typography.Text>
          </div>
          {(cards[c.key] ?? []).map((r) => (
            <Card key={String(r.id)} size="small" style={{ marginBottom: 8, cursor: 'grab' }} draggable data-card={String(r[p.entity.titleField])}
              onDragStart={() => setDragging(r)} onClick={() => go(`/app/${p.ctx.ws}/${p.entity.key}/${String(r.id)}`)}>
              <div style={{ fontWeight: 500, marginBottom: 4 }}>{String(r[p.entity.titleField] ?? '')}</div>
              {cardFields.map((f) => (
                <div key={f.key} style={{ fontSize: 12, color: '#555' }}>{labelOf(f.label, p.ctx.lang)}：{widgets[f.type].Cell({ field: f, value: r[f.key] ?? null, ctx: p.ctx, record: r })}</div>
              ))}
            </Card>
          ))}
        </div>
      ))}
    </div>
  );
}
