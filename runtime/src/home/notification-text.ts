/**
 * What a notification says, in the UI language. The server stores facts
 * (kind, record title, note, due instant, actor); the sentence is made here,
 * so switching language re-words old notifications too.
 */
export interface AppNotification {
  id: string;
  kind: string;
  entity: string | null;
  recordId: string | null;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
  actor: { id: string; name: string } | null;
  createdAt: string;
  readAt: string | null;
}

type Lang = 'zh-CN' | 'en';

export function notificationText(n: AppNotification, lang: Lang, now: Date, timeOf: (iso: string) => string): { headline: string; detail: string | null; urgent: boolean } {
  const en = lang === 'en';
  const title = n.title || (en ? '(untitled)' : '（无标题）');
  if (n.kind === 'mention') {
    const who = n.actor?.name ?? (en ? 'Someone' : '有人');
    return { headline: en ? `${who} mentioned you on ${title}` : `${who} 在「${title}」中提到了您`, detail: n.body, urgent: false };
  }
  if (n.kind === 'task_due') {
    const due = typeof n.data.due === 'string' ? n.data.due : null;
    const overdue = !!due && Date.parse(due) < now.getTime();
    const at = due ? timeOf(due) : '';
    return {
      headline: overdue ? (en ? `Task overdue: ${title}` : `任务已逾期：${title}`) : (en ? `Task due soon: ${title}` : `任务即将到期：${title}`),
      detail: due ? (en ? `Due ${at}` : `截止时间 ${at}`) : null,
      urgent: overdue,
    };
  }
  if (n.kind === 'assigned') {
    const who = n.actor?.name ?? (en ? 'Someone' : '有人');
    // Many records handed over at once (an admin reassigning a leaver's records): one line saying how many.
    const count = typeof n.data.count === 'number' ? n.data.count : 0;
    if (!n.recordId && count > 1) {
      const labels = (n.data.label && typeof n.data.label === 'object' ? n.data.label : {}) as Record<string, unknown>;
      const label = String(labels[lang] ?? labels['zh-CN'] ?? labels.en ?? n.entity ?? (en ? 'records' : '记录'));
      return { headline: en ? `${who} assigned ${count} ${label} to you` : `${who} 把 ${count} 条${label}分配给了您`, detail: n.body, urgent: false };
    }
    return { headline: en ? `${who} assigned ${title} to you` : `${who} 把「${title}」分配给了您`, detail: n.body, urgent: false };
  }
  return { headline: title, detail: n.body, urgent: false };
}

/** "刚刚", "5 分钟前", "3 hours ago", then the date. */
export function ago(iso: string, now: Date, lang: Lang, dateOf: (iso: string) => string): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  const en = lang === 'en';
  if (s < 60) return en ? 'just now' : '刚刚';
  if (s < 3600) return en ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 60)} 分钟前`;
  if (s < 86_400) return en ? `${Math.floor(s / 3600)} h ago` : `${Math.floor(s / 3600)} 小时前`;
  if (s < 7 * 86_400) return en ? `${Math.floor(s / 86_400)} d ago` : `${Math.floor(s / 86_400)} 天前`;
  return dateOf(iso);
}
