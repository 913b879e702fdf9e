import { Button, Tag } from 'antd';
import type { ReactNode } from 'react';
import { labelOf, type UiField, type WidgetContext } from '@crm/ui';
import { formatDecimal, type ColumnTotal } from './board-model.js';

type Option = NonNullable<UiField['options']>[number];

/**
 * One stage: a header with the server's totals for the whole column (not
 * just the cards loaded), the cards, and a drop zone on desktops.
 */
export function KanbanColumn(p: {
  option: Option;
  total: ColumnTotal | undefined;
  sumLabel: string | undefined;
  loaded: number;
  more: boolean;
  dropTarget: boolean;
  dragging: boolean;
  ctx: WidgetContext;
  children: ReactNode;
  onDragOver: () => void;
  onDragLeave: () => void;
  onDrop: () => void;
  onMore: () => void;
}) {
  const en = p.ctx.lang === 'en';
  const key = p.option.key;
  const count = p.total?.count ?? p.loaded;
  return (
    <section className={`crm-kanban-column${p.dropTarget ? ' crm-kanban-drop' : ''}`} data-testid={`kanban-column-${key}`} data-column={key}
      aria-label={labelOf(p.option.label, p.ctx.lang)}
      onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; p.onDragOver(); }}
      onDragLeave={p.onDragLeave}
      onDrop={(e) => { e.preventDefault(); p.onDrop(); }}>
      <header className="crm-kanban-head">
        <Tag color={p.option.color} style={{ marginInlineEnd: 0, alignSelf: 'flex-start' }}>{labelOf(p.option.label, p.ctx.lang)}</Tag>
        <div className="crm-kanban-total" data-testid={`kanban-total-${key}`}>
          <span className="crm-kanban-count">{en ? `${count} ${count === 1 ? 'record' : 'records'}` : `${count} 条`}</span>
          {p.sumLabel && <span>Σ {p.sumLabel} {formatDecimal(p.total?.sum)}</span>}
          {p.sumLabel && p.total?.weighted !== null && p.total?.weighted !== undefined && (
            <span title={en ? 'Weighted by stage probability' : '按阶段赢率加权'}>{en ? 'Weighted' : '加权'} {formatDecimal(p.total.weighted)}</span>
          )}
        </div>
      </header>
      <div className="crm-kanban-cards">
        {p.children}
        {!p.loaded && <div className="crm-kanban-empty">{p.dragging ? (en ? 'Drop here' : '拖到这里') : en ? 'No records' : '暂无记录'}</div>}
        {p.more && (
          <Button block type="dashed" onClick={p.onMore} data-testid={`kanban-more-${key}`}>
            {en ? `Show more (${count - p.loaded} left)` : `加载更多（还有 ${count - p.loaded} 条）`}
          </Button>
        )}
      </div>
    </section>
  );
}
