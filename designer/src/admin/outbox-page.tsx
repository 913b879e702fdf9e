import { Alert, Button, Drawer, Segmented, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useDraft } from '../state/draft-context.js';
import { tr } from '../shell/i18n.js';

interface Entry {
  id: string; messageId: string; status: 'pending' | 'sent' | 'failed' | 'captured'; to: string[]; cc: string[]; subject: string;
  meta: { flow?: string; run?: string; step?: string }; attempts: number; lastError: string | null; createdAt: string; sentAt: string | null;
}
interface Message extends Entry { text: string; html: string | null }

const STATUS: Record<Entry['status'], [string, string, string]> = {
  captured: ['未发送（未配置 SMTP）', 'Captured (no SMTP)', 'default'],
  pending: ['待发送', 'Pending', 'processing'],
  sent: ['已发送', 'Sent', 'success'],
  failed: ['发送失败', 'Failed', 'error'],
};

/**
 * The mail outbox: every message automations sent or would have sent. Without
 * SMTP_URL nothing leaves the server and the default install shows here what
 * it would have sent. An HTML body is shown in a sandboxed frame (no scripts,
 * no same-origin), never as part of this page.
 */
export function OutboxPage() {
  const { api, ws, lang } = useDraft();
  const [status, setStatus] = useState<'all' | Entry['status']>('all');
  const [rows, setRows] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Message | null>(null);
  const load = useCallback(async (cursor?: string) => {
    try {
      const q = new URLSearchParams({ limit: '50', ...(status !== 'all' ? { status } : {}), ...(cursor ? { cursor } : {}) });
      const r = await api.get<{ data: Entry[]; nextCursor: string | null }>(`/api/w/${ws}/outbox?${q}`);
      setRows((old) => (cursor ? [...old, ...r.data] : r.data));
      setNext(r.nextCursor);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, ws, status]);
  useEffect(() => { void load(); }, [load]);
  const show = async (id: string) => setOpen((await api.get<{ data: Message }>(`/api/w/${ws}/outbox/${id}`)).data);

  return (
    <div data-testid="outbox">
      <Segmented value={status} onChange={(v) => setStatus(v as typeof status)} style={{ marginBottom: 12 }}
        options={[{ value: 'all', label: tr(lang, '全部', 'All') }, ...(Object.keys(STATUS) as Entry['status'][]).map((s) => ({ value: s, label: tr(lang, STATUS[s][0], STATUS[s][1]) }))]} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Entry> rowKey="id" size="small" pagination={false} dataSource={rows} onRow={(r) => ({ onClick: () => void show(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { key: 'at', title: tr(lang, '时间', 'Time'), width: 170, render: (_, r) => new Date(r.createdAt).toLocaleString(lang) },
          { key: 'to', title: tr(lang, '收件人', 'To'), render: (_, r) => r.to.join(', ') },
          { key: 'subject', title: tr(lang, '主题', 'Subject'), dataIndex: 'subject' },
          { key: 'flow', title: tr(lang, '自动化', 'Flow'), width: 180, render: (_, r) => r.meta.flow ?? '—' },
          { key: 'status', title: tr(lang, '状态', 'Status'), width: 170, render: (_, r) => <Tag color={STATUS[r.status][2]}>{tr(lang, STATUS[r.status][0], STATUS[r.status][1])}</Tag> },
        ]} />
      {next && <Button style={{ marginTop: 8 }} onClick={() => void load(next)}>{tr(lang, '加载更多', 'Load more')}</Button>}
      <Drawer open={!!open} width={640} onClose={() => setOpen(null)} title={open?.subject}>
        {open && (
          <div data-testid="outbox-message">
            <Typography.Paragraph type="secondary">
              {tr(lang, '收件人', 'To')}：{open.to.join(', ')}<br />Message-ID：<code style={{ wordBreak: 'break-all' }}>{open.messageId}</code>
              {open.lastError && <><br />{tr(lang, '最近错误', 'Last error')}：{open.lastError}</>}
            </Typography.Paragraph>
            {open.html
              ? <iframe title="mail" sandbox="" srcDoc={open.html} style={{ width: '100%', height: 420, border: '1px solid #f0f0f0', borderRadius: 6 }} />
              : <pre style={{ whiteSpace: 'pre-wrap' }}>{open.text}</pre>}
          </div>
        )}
      </Drawer>
    </div>
  );
}
