import { Button, Card } from 'antd';
import { labelOf, cells, type UiField, type WidgetContext } from '@crm/ui';
import type { Rec } from './board-model.js';

/**
 * One record on the board: its title, the view's card fields (drawn by the
 * same Cell widgets as lists), and its owner. Dragged on a desktop; on a
 * phone (and from the keyboard) the move button opens the stage sheet.
 */
export function KanbanCard(p: {
  record: Rec;
  titleField: string;
  fields: UiField[];
  ctx: WidgetContext;
  phone: boolean;
  pending: boolean;
  onOpen: () => void;
  onDragStart: () => void;
  onDragEnd: () => void;
  onMove: () => void;
}) {
  const en = p.ctx.lang === 'en';
  const id = String(p.record.id);
  const title = String(p.record[p.titleField] ?? '');
  const owner = p.ctx.members?.find((m) => m.id === p.record.owner_id)?.name;
  return (
    <Card size="small" className="crm-kanban-card" data-testid={`kanban-card-${id}`} data-card={title}
      draggable={!p.phone && !p.pending}
      onDragStart={(e) => { e.dataTransfer.setData('text/plain', id); e.dataTransfer.effectAllowed = 'move'; p.onDragStart(); }}
      onDragEnd={p.onDragEnd}
      onClick={p.onOpen}
      style={{ marginBottom: 8, cursor: p.phone ? 'pointer' : 'grab', opacity: p.pending ? 0.55 : 1 }}>
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 6 }}>
        <div style={{ fontWeight: 500, flex: 1, minWidth: 0, wordBreak: 'break-word' }}>{title || '—'}</div>
        <Button size={p.phone ? 'middle' : 'small'} type={p.phone ? 'default' : 'text'} data-testid={`card-move-${id}`}
          aria-label={en ? 'Move to stage' : '移动到阶段'} title={en ? 'Move to stage' : '移动到阶段'}
          onClick={(e) => { e.stopPropagation(); p.onMove(); }}>
          {p.phone ? (en ? 'Move' : '移动') : '⇄'}
        </Button>
      </div>
      {p.fields.map((f) => (
        <div key={f.key} className="crm-kanban-field">
          <span className="crm-kanban-field-label">{labelOf(f.label, p.ctx.lang)}</span>
          <span className="crm-kanban-field-value">{cells[f.type]({ field: f, value: p.record[f.key] ?? null, ctx: p.ctx, record: p.record })}</span>
        </div>
      ))}
      {owner && <div className="crm-kanban-owner">{owner}</div>}
    </Card>
  );
}
