import { Alert, Button, Layout, Menu, Segmented, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { labelOf, type Lang } from '@crm/ui';
import { useDraft, type SaveStatus } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import type { EntityBody } from '../model.js';
import { navigate, useRoute, type EntityTab, type Route } from './router.js';
import { tr } from './i18n.js';
import { NewEntityButton } from '../entities/new-entity.js';
import { FieldsTab } from '../entities/fields-tab.js';
import { RulesTab } from '../entities/rules-tab.js';
import { FormTab } from '../layout/form-tab.js';
import { ViewsTab } from '../views/views-tab.js';
import { PipelineTab } from '../pipeline/pipeline-tab.js';
import { PreviewTab } from '../preview/preview-tab.js';
import { HistoryPage } from '../publish/history-page.js';
import { PublishButton } from '../publish/publish-button.js';
import { AdminPage } from '../admin/admin-page.js';
import { FlowsPage } from '../flows/flows-page.js';
import { FlowPage } from '../flows/flow-page.js';
import { FailedRunsPage } from '../flows/failed-runs-page.js';

const STATUS: Record<SaveStatus, [string, string, string]> = {
  saved: ['success', '草稿已保存', 'Draft saved'],
  pending: ['default', '待保存…', 'Unsaved…'],
  saving: ['processing', '保存中…', 'Saving…'],
  invalid: ['error', '有问题未保存', 'Not saved: see the issues'],
  offline: ['warning', '网络异常，未保存', 'Offline: not saved'],
};

/** The designer's frame: entities and administration on the left, undo/redo, save state and publish on top. */
export function Shell(p: { lang: Lang; setLang: (l: Lang) => void }) {
  const d = useDraft();
  const { lang } = p;
  const route = useRoute();
  const entities = docsOf<EntityBody>(d.docs, 'entity');
  const current: Route = route.page === 'home' && entities[0] ? { page: 'entity', entityId: entities[0].id, tab: 'fields' } : route;
  const entity = current.page === 'entity' ? entities.find((e) => e.id === current.entityId) : undefined;
  const status = STATUS[d.status];
  const publishedIds = new Set(docsOf(d.published, 'entity').map((e) => e.id));
  const selected = current.page === 'entity' ? `e:${current.entityId}` : current.page === 'admin' ? `a:${current.section}` : current.page === 'flow' ? 'flows' : current.page;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={232} theme="light" style={{ borderRight: '1px solid #eee', height: '100vh', position: 'sticky', top: 0, overflow: 'auto' }}>
        <div className="crm-brand" style={{ color: '#1d4ed8' }}>{tr(lang, 'CRM 设计器', 'CRM Designer')}</div>
        <Menu mode="inline" selectedKeys={[selected]} style={{ borderInlineEnd: 0 }}
          items={[
            { type: 'group', key: 'g-ent', label: tr(lang, '对象', 'Entities'), children: entities.map((e) => ({
              key: `e:${e.id}`,
              label: <span data-testid={`nav-${e.body.key}`}>{labelOf(e.body.label, lang) || e.body.key}{e.body.archived ? <Tag style={{ marginLeft: 6 }}>{tr(lang, '已归档', 'archived')}</Tag> : !publishedIds.has(e.id) ? <Tag color="gold" style={{ marginLeft: 6 }}>{tr(lang, '未发布', 'new')}</Tag> : null}</span>,
              onClick: () => navigate({ page: 'entity', entityId: e.id, tab: current.page === 'entity' ? current.tab : 'fields' }),
            })) },
            { type: 'group', key: 'g-auto', label: tr(lang, '自动化', 'Automation'), children: [
              { key: 'flows', label: <span data-testid="nav-flows">{tr(lang, '自动化流程', 'Flows')}</span>, onClick: () => navigate({ page: 'flows' }) },
              { key: 'failedRuns', label: <span data-testid="nav-failed-runs">{tr(lang, '失败的运行', 'Failed runs')}</span>, onClick: () => navigate({ page: 'failedRuns' }) },
              { key: 'a:outbox', label: <span data-testid="nav-outbox">{tr(lang, '发件箱', 'Outbox')}</span>, onClick: () => navigate({ page: 'admin', section: 'outbox' }) },
            ] },
            { type: 'group', key: 'g-ws', label: tr(lang, '工作区', 'Workspace'), children: [
              { key: 'history', label: tr(lang, '版本历史', 'Versions'), onClick: () => navigate({ page: 'history' }) },
              { key: 'a:members', label: tr(lang, '成员', 'Members'), onClick: () => navigate({ page: 'admin', section: 'members' }) },
              { key: 'a:teams', label: tr(lang, '团队', 'Teams'), onClick: () => navigate({ page: 'admin', section: 'teams' }) },
              { key: 'a:roles', label: tr(lang, '角色权限', 'Roles'), onClick: () => navigate({ page: 'admin', section: 'roles' }) },
              { key: 'a:settings', label: tr(lang, '工作区设置', 'Settings'), onClick: () => navigate({ page: 'admin', section: 'settings' }) },
            ] },
          ]} />
        <div style={{ padding: 12 }}><NewEntityButton /></div>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #eee', padding: '0 20px', display: 'flex', alignItems: 'center', gap: 10, height: 56 }}>
          <Space size={4}>
            <Tooltip title="Ctrl+Z"><Button onClick={d.undo} disabled={!d.canUndo} data-testid="undo">{tr(lang, '撤销', 'Undo')}</Button></Tooltip>
            <Tooltip title="Ctrl+Shift+Z"><Button onClick={d.redo} disabled={!d.canRedo} data-testid="redo">{tr(lang, '重做', 'Redo')}</Button></Tooltip>
          </Space>
          <Tag color={status[0]} data-testid="save-status" data-status={d.status}>{lang === 'en' ? status[2] : status[1]}</Tag>
          <Typography.Text type="secondary" style={{ marginLeft: 'auto' }} data-testid="published-revision" data-revision={d.publishedRevision}>{tr(lang, `草稿 ${d.draftRevision} · 已发布版本 ${d.publishedRevision}`, `Draft ${d.draftRevision} · published ${d.publishedRevision}`)}</Typography.Text>
          <Segmented size="small" value={lang} onChange={(v) => p.setLang(v as Lang)} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'EN' }]} />
          <Button href="/app/">{tr(lang, '打开应用', 'Open app')}</Button>
          <PublishButton />
        </Layout.Header>
        <Layout.Content className="crm-page">
          {d.notice && <Alert type="warning" closable onClose={d.clearNotice} style={{ marginBottom: 12 }} data-testid="conflict-notice"
            title={tr(lang, `另一位设计者同时修改了 ${d.notice}，已采用对方的版本；你的其它修改已保留。`, `Another designer changed ${d.notice} at the same time: their version was kept; your other changes are kept.`)} />}
          {current.page === 'entity' && entity && <EntityPage entityId={entity.id} tab={current.tab} lang={lang} />}
          {current.page === 'entity' && !entity && <Alert type="info" title={tr(lang, '这个对象不在草稿中', 'This entity is not in the draft')} />}
          {current.page === 'history' && <HistoryPage />}
          {current.page === 'admin' && <AdminPage section={current.section} />}
          {current.page === 'flows' && <FlowsPage />}
          {current.page === 'flow' && <FlowPage flowId={current.flowId} tab={current.tab} />}
          {current.page === 'failedRuns' && <FailedRunsPage />}
          {current.page === 'home' && !entities.length && <Alert type="info" title={tr(lang, '新建一个对象开始', 'Create an entity to begin')} />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

const TABS: [EntityTab, string, string][] = [
  ['fields', '字段', 'Fields'], ['rules', '校验规则', 'Validation'], ['form', '表单布局', 'Form layout'],
  ['views', '列表与看板', 'Lists & kanban'], ['pipeline', '销售流程', 'Pipeline'], ['preview', '预览', 'Preview'],
];

function EntityPage(p: { entityId: string; tab: EntityTab; lang: Lang }) {
  const d = useDraft();
  const entity = d.docs[`entity/${p.entityId}`]!.body as EntityBody;
  const issues = d.issues[`entity/${p.entityId}`] ?? [];
  const content: Record<EntityTab, ReactNode> = {
    fields: <FieldsTab entityId={p.entityId} />,
    rules: <RulesTab entityId={p.entityId} />,
    form: <FormTab entityId={p.entityId} />,
    views: <ViewsTab entityId={p.entityId} />,
    pipeline: <PipelineTab entityId={p.entityId} />,
    preview: <PreviewTab entityId={p.entityId} />,
  };
  return (
    <>
      <Typography.Title level={4} style={{ margin: '0 0 8px' }}>
        {labelOf(entity.label, p.lang)} <Typography.Text type="secondary" style={{ fontSize: 14 }}><code>{entity.key}</code></Typography.Text>
      </Typography.Title>
      {issues.some((i) => i.pointer === '') && <Alert type="error" style={{ marginBottom: 8 }} title={issues.filter((i) => i.pointer === '').map((i) => i.message).join('；')} />}
      <Tabs activeKey={p.tab} onChange={(tab) => navigate({ page: 'entity', entityId: p.entityId, tab: tab as EntityTab })}
        items={TABS.map(([key, zh, en]) => ({ key, label: <span data-testid={`tab-${key}`}>{tr(p.lang, zh, en)}</span>, children: p.tab === key ? content[key] : null }))} />
    </>
  );
}
