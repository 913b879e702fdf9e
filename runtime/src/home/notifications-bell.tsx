import { Badge, Button, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import type { WidgetContext } from '@crm/ui';
import type { Navigation } from '../types.js';
import { zoneOf } from '../tasks/task-actions.js';
import { NotificationList, openNotification } from './notification-list.js';
import { useNotifications } from './use-notifications.js';
import '../tasks/tasks.css';

const BellIcon = () => (
  <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" /><path d="M13.73 21a2 2 0 0 1-3.46 0" />
  </svg>
);

/** The header bell: unread count, and a dropdown of the latest notifications with "mark all read". */
export function NotificationsBell(p: { nav: Navigation; ctx: WidgetContext }) {
  const en = p.ctx.lang === 'en';
  const [open, setOpen] = useState(false);
  const n = useNotifications(p.ctx.api, p.ctx.ws, 15);
  const panel = (
    <div className="crm-bell-panel" data-testid="notifications-panel">
      <div style={{ display: 'flex', alignItems: 'center', marginBottom: 4 }}>
        <Typography.Text strong style={{ flex: 1 }}>{en ? 'Notifications' : '通知'}</Typography.Text>
        <Button type="link" size="small" disabled={!n.unread} onClick={() => void n.markAll()} data-testid="notifications-read-all">{en ? 'Mark all read' : '全部已读'}</Button>
      </div>
      <div className="crm-bell-list">
        {n.items === null ? <Spin /> : <NotificationList items={n.items} ctx={p.ctx} tz={zoneOf(p.nav)}
          onOpen={(x) => { setOpen(false); void openNotification(x, p.ctx.ws, n.markRead); }} />}
      </div>
    </div>
  );
  return (
    <Popover content={panel} trigger="click" open={open} onOpenChange={(o) => { setOpen(o); if (o) void n.reload(); }} placement="bottomRight" arrow={false}>
      <Badge count={n.unread} size="small" offset={[-6, 6]}>
        <Button type="text" className="crm-bell-button" icon={<BellIcon />} data-testid="notifications-bell" data-unread={n.unread}
          aria-label={en ? `Notifications, ${n.unread} unread` : `通知，${n.unread} 条未读`} />
      </Badge>
    </Popover>
  );
}
