import { Empty } from 'antd';
import type { WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import { dayKey, timeOfDay } from '../tasks/zoned-days.js';
import { ago, notificationText, type AppNotification } from './notification-text.js';

/** Notifications as rows: unread ones marked; a click marks it read and opens its record. Text only, never HTML. */
export function NotificationList(p: { items: AppNotification[]; ctx: WidgetContext; tz: string; onOpen: (n: AppNotification) => void }) {
  const en = p.ctx.lang === 'en';
  const now = new Date();
  if (!p.items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={en ? 'No notifications' : '暂无通知'} />;
  return (
    <>
      {p.items.map((n) => {
        const t = notificationText(n, p.ctx.lang, now, (iso) => `${dayKey(iso, p.tz).slice(5)} ${timeOfDay(iso, p.tz)}`);
        const cls = ['crm-notice', n.readAt ? '' : 'crm-notice-unread', t.urgent ? 'crm-notice-urgent' : ''].join(' ');
        return (
          <div key={n.id} className={cls} data-testid={`notification-${n.id}`} role="button" tabIndex={0}
            onClick={() => p.onOpen(n)} onKeyDown={(e) => { if (e.key === 'Enter') p.onOpen(n); }}>
            <span className="crm-notice-dot" />
            <div className="crm-notice-body">
              <div className="crm-notice-headline">{t.headline}</div>
              {t.detail && <div className="crm-notice-detail">{t.detail}</div>}
            </div>
            <span className="crm-notice-when">{ago(n.createdAt, now, p.ctx.lang, (iso) => dayKey(iso, p.tz))}</span>
          </div>
        );
      })}
    </>
  );
}

/** Opening a notification: mark it read, then go to its record (if it has one), or its entity's list (many records at once). */
export async function openNotification(n: AppNotification, ws: string, markRead: (n: AppNotification) => Promise<void>) {
  await markRead(n).catch(() => undefined);
  if (n.entity && n.recordId) go(`/app/${ws}/${n.entity}/${n.recordId}`);
  else if (n.entity && n.kind === 'assigned') go(`/app/${ws}/${n.entity}`);
}
