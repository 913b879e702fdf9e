import { useEffect, useState } from 'react';
import type { Api } from '@crm/ui';
import { NOTIFICATIONS_TOPIC } from '../live/live-client.js';
import { useLiveChanges } from '../live/use-live.js';
import type { AppNotification } from './notification-text.js';

const CHANGED = 'crm:notifications-changed';
/**
 * New notifications arrive over the tab's event stream (`notification`,
 * and a refetch after every reconnect or reset); this slow poll and the
 * refresh when the tab comes back only cover a stream that is down.
 */
export const FALLBACK_POLL_MS = 5 * 60_000;

/**
 * The signed-in user's latest notifications and unread count, refetched
 * when the server says they changed. Every copy of the hook (the header
 * bell, the home card) reloads when any of them marks something read, so the
 * badge and the list never disagree.
 */
export function useNotifications(api: Api, ws: string, limit: number) {
  const [items, setItems] = useState<AppNotification[] | null>(null);
  const [unread, setUnread] = useState(0);

  const reload = async () => {
    try {
      const res = await api.get<{ data: AppNotification[]; unreadCount: number }>(`/api/w/${ws}/notifications?limit=${limit}`);
      setItems(res.data);
      setUnread(res.unreadCount);
    } catch {
      setItems((xs) => xs ?? []);
    }
  };

  useEffect(() => {
    void reload();
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void reload(); }, FALLBACK_POLL_MS);
    const on = () => void reload();
    addEventListener(CHANGED, on);
    addEventListener('focus', on);
    return () => {
      clearInterval(timer);
      removeEventListener(CHANGED, on);
      removeEventListener('focus', on);
    };
  }, [ws]);
  useLiveChanges(NOTIFICATIONS_TOPIC, () => void reload());

  const changed = () => dispatchEvent(new Event(CHANGED));
  return {
    items,
    unread,
    reload,
    async markRead(n: AppNotification) {
      if (n.readAt) return;
      await api.send('POST', `/api/w/${ws}/notifications/${n.id}/read`);
      changed();
    },
    async markAll() {
      await api.send('POST', `/api/w/${ws}/notifications/read-all`);
      changed();
    },
  };
}
