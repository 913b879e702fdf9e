import { App, Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useDraft } from '../state/draft-context.js';
import { toDocSet, type Doc, type DocSet } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import { diffDocs } from './diff.js';
import { DiffView } from './diff-view.js';

type Rev = { revision: number; published_at: string; published_by: string | null };

/**
 * Published versions, newest first. Selecting one shows what it changed
 * against the version before it; "restore" puts it back into the draft, to be
 * published with a plan like any change (nothing is dropped).
 */
export function HistoryPage() {
  const d = useDraft();
  const { lang } = d;
  const { message } = App.useApp();
  const [revs, setRevs] = useState<Rev[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [pair, setPair] = useState<{ before: DocSet; after: DocSet } | null>(null);
  const [members, setMembers] = useState<Record<string, string>>({});
  useEffect(() => {
    d.api.get<{ data: Rev[] }>(`/api/w/${d.ws}/meta/revisions`).then((r) => { setRevs(r.data); setSelected(r.data[0]?.revision ?? null); });
    d.api.get<{ data: { id: string; name: string }[] }>(`/api/w/${d.ws}/members`).then((r) => setMembers(Object.fromEntries(r.data.map((m) => [m.id, m.name]))), () => undefined);
  }, [d.publishedRevision]);
  useEffect(() => {
    if (selected === null) return;
    const load = (n: number) => (n < 1 ? Promise.resolve({ data: { documents: [] as Doc[] } }) : d.api.get<{ data: { documents: Doc[] } }>(`/api/w/${d.ws}/meta/revisions/${n}`));
    Promise.all([load(selected - 1), load(selected)]).then(([a, b]) => setPair({ before: toDocSet(a.data.documents), after: toDocSet(b.data.documents) }));
  }, [selected]);
  const diffs = useMemo(() => (pair ? diffDocs(pair.before, pair.after) : []), [pair]);
  const revert = async (revision: number) => {
    if (!(await d.flush())) return;
    try {
      await d.api.send('POST', `/api/w/${d.ws}/meta/draft/revert`, { revision }, { 'if-match': `"${d.draftRevision}"` });
      await d.reload();
      message.success(tr(lang, `草稿已恢复为版本 ${revision}，点击“发布”查看计划并生效`, `Draft restored to version ${revision}: publish to apply it`));
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '340px 1fr', gap: 16, alignItems: 'start' }}>
      <Card size="small" title={tr(lang, '已发布的版本', 'Published versions')}>
        <List size="small" dataSource={revs} renderItem={(r, i) => (
          <List.Item onClick={() => setSelected(r.revision)} style={{ cursor: 'pointer', background: r.revision === selected ? '#eff6ff' : undefined, paddingInline: 8 }} data-testid={`revision-${r.revision}`}
            actions={i === 0 ? [<Tag key="c" color="green">{tr(lang, '当前', 'live')}</Tag>] : [
              <Popconfirm key="r" title={tr(lang, `把草稿恢复为版本 ${r.revision}？`, `Restore the draft to version ${r.revision}?`)}
                description={tr(lang, '草稿中未发布的修改会被替换；发布前会显示计划，数据不会丢失。', 'Unpublished draft changes are replaced; the plan shows before anything runs, no data is lost.')}
                onConfirm={() => revert(r.revision)} okText={tr(lang, '恢复', 'Restore')} cancelText={tr(lang, '取消', 'Cancel')}>
                <Button size="small" onClick={(e) => e.stopPropagation()} data-testid={`revert-${r.revision}`}>{tr(lang, '恢复到此版本', 'Restore')}</Button>
              </Popconfirm>,
            ]}>
            <div>
              <b>{tr(lang, `版本 ${r.revision}`, `Version ${r.revision}`)}</b>
              <div style={{ fontSize: 12, color: '#64748b' }}>{new Date(r.published_at).toLocaleString(lang)}{r.published_by && members[r.published_by] ? ` · ${members[r.published_by]}` : ''}</div>
            </div>
          </List.Item>
        )} />
      </Card>
      <Card size="small" title={selected ? tr(lang, `版本 ${selected} 相对上一版本的变更`, `Changes in version ${selected}`) : ' '}>
        {pair && <DiffView diffs={diffs} lang={lang} />}
        <Space style={{ marginTop: 12 }}><Typography.Text type="secondary">{tr(lang, '恢复旧版本不会删除任何数据：旧版本没有的字段会被归档，值仍保留。', 'Restoring never deletes data: fields the old version lacks are archived with their values.')}</Typography.Text></Space>
      </Card>
    </div>
  );
}
