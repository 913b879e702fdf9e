import { Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { ID_PATTERN, type Trigger } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { navigate } from '../shell/router.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody } from '../model.js';
import { proposeKey } from '../entities/keys.js';
import { LabelInputs } from '../views/label-inputs.js';
import { newFlow, proposeFlowId, triggerOfKind } from './flow-ops.js';
import { TRIGGER_KINDS } from './trigger-panel.js';

const ID_RE = new RegExp(ID_PATTERN);

/** Name (zh/en), id (`flw_<key>` proposed from the name) and trigger of a new automation; it opens in the editor. */
export function NewFlowButton() {
  const d = useDraft();
  const { lang } = d;
  const [open, setOpen] = useState(false);
  const [label, setLabel] = useState<{ 'zh-CN'?: string; en?: string }>({});
  const [id, setId] = useState<string | null>(null);
  const [kind, setKind] = useState<Trigger['kind']>('record');
  const entities = docsOf<EntityBody>(d.docs, 'entity').map((e) => e.body).filter((e) => !e.archived);
  const [entity, setEntity] = useState<string | undefined>();
  const taken = new Set(docsOf(d.docs, 'flow').map((f) => f.id));
  const text = label.en || label['zh-CN'] || '';
  const proposed = text ? proposeFlowId(proposeKey(text, 'flow'), taken) : '';
  const finalId = id ?? proposed;
  const problem = !finalId ? undefined : !ID_RE.test(finalId) ? tr(lang, '只能用小写字母、数字和下划线，以字母开头', 'Lower-case letters, digits and _, starting with a letter')
    : taken.has(finalId) ? tr(lang, '已有自动化使用这个标识', 'Another flow uses this id') : undefined;
  const chosen = entity ?? entities.find((e) => e.key === 'leads')?.key ?? entities[0]?.key;
  const create = () => {
    const clean = Object.fromEntries(Object.entries(label).filter(([, v]) => v?.trim())) as { 'zh-CN'?: string; en?: string };
    d.edit('flow', finalId, newFlow(finalId, clean, triggerOfKind(kind, kind === 'schedule' ? undefined : chosen)));
    setOpen(false); setLabel({}); setId(null);
    navigate({ page: 'flow', flowId: finalId, tab: 'design' });
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="new-flow">{tr(lang, '+ 新建自动化', '+ New automation')}</Button>
      <Modal open={open} title={tr(lang, '新建自动化', 'New automation')} okText={tr(lang, '创建', 'Create')} cancelText={tr(lang, '取消', 'Cancel')}
        onCancel={() => setOpen(false)} onOk={create} okButtonProps={{ disabled: !text || !finalId || !!problem, ...({ 'data-testid': 'new-flow-ok' } as object) }}>
        <Form layout="vertical">
          <Form.Item label={tr(lang, '名称', 'Name')}>
            <LabelInputs value={label} testId="new-flow-label" onChange={(l, v) => setLabel((x) => ({ ...x, [l]: v || undefined }))} />
          </Form.Item>
          <Form.Item label={tr(lang, '标识（发布后用于运行记录）', 'Id (names its runs once published)')} validateStatus={problem ? 'error' : undefined} help={problem}>
            <Input value={finalId} onChange={(e) => setId(e.target.value)} data-testid="new-flow-id" />
          </Form.Item>
          <Form.Item label={tr(lang, '触发方式', 'Trigger')}>
            <Select value={kind} onChange={setKind} data-testid="new-flow-kind" options={TRIGGER_KINDS.map(([k, zh, en]) => ({ value: k, label: tr(lang, zh, en) }))} />
          </Form.Item>
          {kind !== 'schedule' && (
            <Form.Item label={tr(lang, '对象', 'Entity')}>
              <Select showSearch optionFilterProp="label" value={chosen} onChange={setEntity} data-testid="new-flow-entity"
                options={entities.map((e) => ({ value: e.key, label: `${labelOf(e.label, lang)} (${e.key})` }))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
