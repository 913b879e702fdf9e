import { Alert, Button, Input, Popover, Space, Switch, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, type ReactNode } from 'react';
import type { Step } from '@crm/metadata';
import { labelOf, type Lang } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { canonical, docKey, docsOf } from '../state/documents.js';
import { navigate, type FlowTab } from '../shell/router.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody } from '../model.js';
import { LabelInputs } from '../views/label-inputs.js';
import { DryRunPanel } from './dry-run-panel.js';
import type { FlowEditor } from './editor.js';
import { FlowDesigner } from './flow-designer.js';
import type { FlowBody } from './flow-ops.js';
import { RunsTab } from './runs-tab.js';

/** Whether a flow is live: new (draft only), published as it is, or published with changes in the draft. */
export type PublishState = 'new' | 'published' | 'changed';
export const publishState = (draft: unknown, published: unknown): PublishState =>
  published === undefined ? 'new' : canonical(draft) === canonical(published) ? 'published' : 'changed';

export function PublishTag(p: { state: PublishState; lang: Lang }) {
  const [color, zh, en] = ({ new: ['gold', '未发布', 'not published'], published: ['green', '已发布', 'published'], changed: ['blue', '有未发布的修改', 'unpublished changes'] } as const)[p.state];
  return <Tag color={color} data-testid="flow-publish-state" data-state={p.state}>{tr(p.lang, zh, en)}</Tag>;
}

/** One flow: its name and switch on top, then design, run history and dry run. */
export function FlowPage(p: { flowId: string; tab: FlowTab }) {
  const d = useDraft();
  const { lang } = d;
  const key = docKey('flow', p.flowId);
  const flow = d.docs[key]?.body as FlowBody | undefined;
  const entities = useMemo(() => docsOf<EntityBody>(d.docs, 'entity').map((e) => e.body).filter((e) => !e.archived), [d.docs]);
  const change = useCallback((fn: (f: FlowBody) => FlowBody, tag?: string) => d.update<FlowBody>('flow', p.flowId, fn, tag), [d.update, p.flowId]);
  const setSteps = useCallback((fn: (s: Step[]) => Step[], tag?: string) => change((f) => ({ ...f, steps: fn(Array.isArray(f.steps) ? f.steps : []) }), tag), [change]);
  if (!flow) {
    return <Alert type="info" showIcon title={tr(lang, '这个自动化不在草稿中', 'This flow is not in the draft')}
      action={<Button onClick={() => navigate({ page: 'flows' })}>{tr(lang, '返回列表', 'Back to the list')}</Button>} />;
  }
  const t = flow.trigger;
  const entity = t && 'entity' in t && t.entity ? entities.find((e) => e.key === t.entity) : undefined;
  const ed: Omit<FlowEditor, 'selection' | 'select'> = { lang, flowId: p.flowId, flow, entities, entity, issues: d.issues[key] ?? [], change, setSteps };
  const state = publishState(flow, d.published[key]?.body);
  const content: Record<FlowTab, ReactNode> = {
    design: <FlowDesigner key={p.flowId} ed={ed} />,
    runs: <RunsTab flowId={p.flowId} published={state !== 'new'} />,
    dryrun: <DryRunPanel flow={flow} entity={entity} state={state} />,
  };
  const TABS: [FlowTab, string, string][] = [['design', '设计', 'Design'], ['runs', '运行记录', 'Runs'], ['dryrun', '试运行', 'Dry run']];
  return (
    <div data-testid="flow-page" data-flow={p.flowId}>
      <div className="flow-page-head">
        <Button type="text" onClick={() => navigate({ page: 'flows' })} data-testid="back-to-flows">← {tr(lang, '自动化', 'Automations')}</Button>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="flow-title">{labelOf(flow.label, lang) || p.flowId}</Typography.Title>
        <Popover trigger="click" placement="bottomLeft" title={tr(lang, '自动化名称', 'Flow name')}
          content={(
            <div style={{ width: 440, display: 'flex', flexDirection: 'column', gap: 8 }}>
              <LabelInputs value={flow.label ?? {}} testId="flow-label" onChange={(l, text) => change((f) => {
                const label = Object.fromEntries(Object.entries({ ...f.label, [l]: text || undefined }).filter(([, v]) => v));
                return { ...f, label: label as FlowBody['label'] };
              }, `label.${l}`)} />
              <Typography.Text type="secondary">{tr(lang, '说明（可选）', 'Description (optional)')}</Typography.Text>
              {(['zh-CN', 'en'] as const).map((l) => (
                <Input.TextArea key={l} rows={2} placeholder={l === 'en' ? 'English' : '中文'} value={flow.description?.[l] ?? ''} data-testid={`flow-description-${l}`}
                  onChange={(e) => change((f) => {
                    const description = Object.fromEntries(Object.entries({ ...f.description, [l]: e.target.value || undefined }).filter(([, v]) => v));
                    const { description: _old, ...rest } = f;
                    return Object.keys(description).length ? { ...rest, description: description as FlowBody['description'] } : rest;
                  }, `description.${l}`)} />
              ))}
            </div>
          )}>
          <Button size="small" type="text" data-testid="flow-rename">✎</Button>
        </Popover>
        <code className="flow-id">{p.flowId}</code>
        <PublishTag state={state} lang={lang} />
        <Space style={{ marginLeft: 'auto' }}>
          <Tooltip title={tr(lang, '关闭后保留流程但不再触发；发布后生效', 'Off: kept but never triggered; applies once published')}>
            <span><Switch checked={flow.enabled} onChange={(enabled) => change((f) => ({ ...f, enabled }))} data-testid="flow-enabled" /> {flow.enabled ? tr(lang, '已启用', 'Enabled') : tr(lang, '已停用', 'Disabled')}</span>
          </Tooltip>
        </Space>
      </div>
      {flow.description && <Typography.Paragraph type="secondary" style={{ margin: '0 0 4px' }} data-testid="flow-description">{labelOf(flow.description, lang)}</Typography.Paragraph>}
      <Tabs activeKey={p.tab} onChange={(tab) => navigate({ page: 'flow', flowId: p.flowId, tab: tab as FlowTab })}
        items={TABS.map(([k, zh, en]) => ({ key: k, label: <span data-testid={`flow-tab-${k}`}>{tr(lang, zh, en)}</span>, children: p.tab === k ? content[k] : null }))} />
    </div>
  );
}
