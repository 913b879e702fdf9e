import { Button, Drawer, Tag } from 'antd';
import { labelOf, type UiField, type WidgetContext } from '@crm/ui';
import type { Rec } from './board-model.js';

/**
 * "Move to stage" as an action sheet from the bottom of the screen: on a
 * phone a card cannot be dragged across columns that do not fit side by side,
 * so each card has a move button that opens this list of stages (large touch
 * targets; the current stage is marked and disabled).
 */
export function MoveSheet(p: {
  card: Rec | null;
  title: string;
  options: NonNullable<UiField['options']>;
  current: string | undefined;
  ctx: WidgetContext;
  onPick: (to: string) => void;
  onClose: () => void;
}) {
  const en = p.ctx.lang === 'en';
  return (
    <Drawer open={!!p.card} placement="bottom" onClose={p.onClose} size="auto" title={en ? `Move “${p.title}” to` : `将「${p.title}」移到`}
      styles={{ body: { padding: '8px 12px 16px' } }}>
      <div data-testid="move-sheet" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
        {p.options.map((o) => (
          <Button key={o.key} size="large" block disabled={o.key === p.current} onClick={() => p.onPick(o.key)} data-testid={`move-to-${o.key}`}
            style={{ height: 48, justifyContent: 'flex-start' }}>
            <Tag color={o.color} style={{ marginRight: 8 }}>{labelOf(o.label, p.ctx.lang)}</Tag>
            {o.key === p.current ? (en ? 'current stage' : '当前阶段') : ''}
          </Button>
        ))}
      </div>
    </Drawer>
  );
}
