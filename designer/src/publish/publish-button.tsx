import { Alert, App, Button, Divider, List, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { groupIssues } from '../state/issues.js';
import { tr } from '../shell/i18n.js';
import { navigate, type EntityTab, type Route } from '../shell/router.js';
import { diffDocs } from './diff.js';
import { DiffView } from './diff-view.js';
import { groupPlan, type GroupKey, type Plan } from './plan-groups.js';

const GROUPS: [GroupKey, string, string][] = [
  ['create', '新建', 'New'], ['change', '修改', 'Changes'], ['archive', '归档（数据保留）', 'Archived (values kept)'], ['index', '索引', 'Indexes'],
];

/**
 * Publish = save the draft, ask the server for a plan, show it in plain words
 * (what changes in the database and what that does to existing records),
 * then apply exactly that plan. A plan made stale by another publish is
 * refused by the server; the dialog says so and offers a fresh plan.
 */
export function PublishButton() {
  const d = useDraft();
  const { lang } = d;
  const { message } = App.useApp();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [problems, setProblems] = useState<{ key: string; messages: string[] }[] | null>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);

  const makePlan = async () => {
    setBusy(true); setStale(false); setProblems(null);
    try {
      if (!(await d.flush())) {
        setProblems([{ key: '', messages: [tr(lang, '草稿中有未能保存的问题，请先处理标红的地方。', 'Some changes could not be saved: fix what is marked in red first.')] }]);
        return;
      }
      setPlan(await d.api.send<Plan>('POST', `/api/w/${d.ws}/meta/plan`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const grouped = groupIssues(err.details);
        setProblems(Object.entries(grouped).map(([key, list]) => ({ key, messages: list.map((i) => i.message) })));
      } else message.error((err as Error).message);
    } finally { setBusy(false); }
  };
  const publish = async () => {
    if (!plan) return;
    setBusy(true);
    try {
      await d.api.send('POST', `/api/w/${d.ws}/meta/publish`, { planId: plan.planId });
      setPlan(null);
      await d.reload();
      message.success(tr(lang, '已发布，应用中立即生效', 'Published: live in the app now'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setStale(true);
      else message.error((err as Error).message);
    } finally { setBusy(false); }
  };
  const groups = plan && groupPlan(plan);
  const docChanges = plan ? diffDocs(d.published, d.docs) : [];
  // The editor that shows a document's problems: the entity's fields, form, views or pipeline.
  const whereToFix = (key: string): Route | null => {
    const doc = d.docs[key];
    if (!doc) return null;
    if (doc.kind === 'entity') return { page: 'entity', entityId: doc.id, tab: 'fields' };
    if (doc.kind === 'flow') return { page: 'flow', flowId: doc.id, tab: 'design' };
    const tab = ({ layout: 'form', view: 'views', pipeline: 'pipeline' } as Record<string, EntityTab>)[doc.kind];
    const owner = Object.values(d.docs).find((x) => x.kind === 'entity' && x.body.key === doc.body.entity);
    if (doc.kind === 'role') return { page: 'admin', section: 'roles' };
    return tab && owner ? { page: 'entity', entityId: owner.id, tab } : null;
  };
  const titleOf = (key: string) => {
    const doc = d.docs[key];
    return doc ? labelOf(doc.body.label, lang) || doc.id : key;
  };
  return (
    <>
      <Button type="primary" onClick={makePlan} loading={busy && !plan} data-testid="plan">{tr(lang, '发布…', 'Publish…')}</Button>
      <Modal open={!!problems} title={tr(lang, '发布前需要处理这些问题', 'Fix these before publishing')} onCancel={() => setProblems(null)} footer={null} width={640}>
        <List size="small" dataSource={problems ?? []} data-testid="plan-problems" renderItem={(p) => (
          <List.Item actions={whereToFix(p.key) ? [<Button key="go" size="small" onClick={() => { setProblems(null); navigate(whereToFix(p.key)!); }}>{tr(lang, '去处理', 'Go there')}</Button>] : []}>
            <div>{p.key && <b>{titleOf(p.key)}</b>}{p.messages.map((m, i) => <div key={i} className="issue-text">{m}</div>)}</div>
          </List.Item>
        )} />
      </Modal>
      <Modal open={!!plan} width={760} title={tr(lang, '发布计划', 'Publish plan')} onCancel={() => { setPlan(null); setStale(false); }}
        footer={stale ? [
          <Button key="c" onClick={() => { setPlan(null); setStale(false); }}>{tr(lang, '关闭', 'Close')}</Button>,
          <Button key="r" type="primary" onClick={async () => { setPlan(null); await d.reload(); await makePlan(); }} data-testid="replan">{tr(lang, '重新生成计划', 'Plan again')}</Button>,
        ] : [
          <Button key="c" onClick={() => setPlan(null)}>{tr(lang, '取消', 'Cancel')}</Button>,
          <Button key="p" type="primary" disabled={plan?.blocked} loading={busy} onClick={publish} data-testid="publish">{tr(lang, '确认发布', 'Publish now')}</Button>,
        ]}>
        {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="plan-stale"
          title={tr(lang, '另一位设计者刚刚发布或修改了草稿，这个计划已过期。', 'Another designer published or changed the draft: this plan is out of date.')}
          description={tr(lang, '重新生成计划即可看到合并后的变更。', 'Plan again to see the combined changes.')} />}
        {plan?.blocked && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={tr(lang, '有现有数据与修改冲突，暂时不能发布（见下方红字）。', 'Existing data conflicts with the change (in red below): publishing is blocked.')} />}
        {groups && plan!.actions.length === 0 && <Alert type="info" title={tr(lang, '数据库结构没有变化（表单、视图等的修改会直接生效）', 'No database change (form, view and other changes apply as they are)')} style={{ marginBottom: 12 }} />}
        {groups && GROUPS.filter(([k]) => groups[k].length).map(([k, zh, en]) => (
          <div key={k} style={{ marginBottom: 12 }} data-testid={`plan-${k}`}>
            <Typography.Text strong>{tr(lang, zh, en)}</Typography.Text>
            <ul style={{ margin: '4px 0 0 18px', padding: 0 }}>
              {groups[k].map((a, i) => (
                <li key={i}>{a.description}
                  {a.findings.map((f, j) => (
                    <div key={j} style={{ color: f.blocking ? '#dc2626' : '#b45309' }} data-testid="plan-finding">
                      {f.blocking ? '⛔ ' : '⚠ '}{f.description}
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          </div>
        ))}
        {docChanges.length > 0 && (
          <>
            <Divider style={{ margin: '8px 0' }} />
            <Space style={{ marginBottom: 4 }}><Typography.Text strong>{tr(lang, '本次发布包含的文档变更', 'Documents in this publish')}</Typography.Text><Tag>{docChanges.length}</Tag></Space>
            <DiffView diffs={docChanges} lang={lang} />
          </>
        )}
      </Modal>
    </>
  );
}
