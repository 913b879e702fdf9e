import { Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { KEY_PATTERN, PG_RESERVED } from '@crm/metadata';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import type { EntityBody, LayoutBody, ViewBody } from '../model.js';
import { navigate } from '../shell/router.js';
import { tr } from '../shell/i18n.js';
import { newId, proposeKey } from './keys.js';

/**
 * A new entity starts with a name field, a form with one section and a list
 * view, so it is usable in the app as soon as it is published.
 */
export function NewEntityButton() {
  const d = useDraft();
  const { lang } = d;
  const [open, setOpen] = useState(false);
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [ownership, setOwnership] = useState<'owned' | 'none'>('owned');
  const id = useMemo(() => newId('ent'), [open]);
  const taken = new Set(docsOf<EntityBody>(d.docs, 'entity').map((e) => e.body.key));
  const proposed = proposeKey(en || zh, id);
  const finalKey = key ?? (en ? `${proposed}${proposed.endsWith('s') ? '' : 's'}` : proposed);
  const problem = !new RegExp(KEY_PATTERN).test(finalKey) ? tr(lang, '标识格式不正确', 'Invalid key')
    : PG_RESERVED.has(finalKey) ? tr(lang, '是数据库保留字', 'Reserved word')
    : taken.has(finalKey) ? tr(lang, '已有对象使用这个标识', 'Another entity uses this key') : null;

  const create = () => {
    const label = { 'zh-CN': zh || en, ...(en ? { en } : {}) };
    const nameField = newId('fld');
    const entity: EntityBody = {
      id, key: finalKey, schemaVersion: 1, label, titleField: 'name', ownership, rules: [],
      fields: [{ id: nameField, key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' }, required: true, searchable: true }],
    };
    const layout: LayoutBody = {
      id: newId('lay'), entity: finalKey, schemaVersion: 1, label,
      tabs: [{ id: newId('tab'), label: { 'zh-CN': '详细信息', en: 'Details' }, sections: [{ id: newId('sec'), label: { 'zh-CN': '基本信息', en: 'Basics' }, columns: 2, items: [{ kind: 'field', field: 'name' }] }] }],
    };
    const view: ViewBody = {
      id: newId('view'), entity: finalKey, schemaVersion: 1, label: { 'zh-CN': `全部${label['zh-CN']}`, en: `All ${en || finalKey}` }, type: 'list',
      columns: ['name'], sort: [{ field: 'updated_at', direction: 'desc' }],
    };
    d.edit('entity', id, entity);
    d.edit('layout', layout.id, layout);
    d.edit('view', view.id, view);
    setOpen(false); setZh(''); setEn(''); setKey(null);
    navigate({ page: 'entity', entityId: id, tab: 'fields' });
  };
  return (
    <>
      <Button block type="dashed" onClick={() => setOpen(true)} data-testid="new-entity">{tr(lang, '+ 新建对象', '+ New entity')}</Button>
      <Modal open={open} title={tr(lang, '新建对象', 'New entity')} okText={tr(lang, '创建', 'Create')} cancelText={tr(lang, '取消', 'Cancel')}
        onCancel={() => setOpen(false)} onOk={create} okButtonProps={{ disabled: !(zh || en) || !!problem, ...({ 'data-testid': 'entity-ok' } as object) }}>
        <Form layout="vertical">
          <Form.Item label={tr(lang, '名称（中文）', 'Name (Chinese)')}><Input placeholder="竞品" value={zh} onChange={(e) => setZh(e.target.value)} data-testid="entity-zh" /></Form.Item>
          <Form.Item label={tr(lang, '名称（英文）', 'Name (English)')}><Input placeholder="Competitor" value={en} onChange={(e) => setEn(e.target.value)} data-testid="entity-en" /></Form.Item>
          <Form.Item label={tr(lang, '标识（发布后不可修改）', 'Key (fixed once published)')} validateStatus={problem ? 'error' : undefined} help={problem}>
            <Input value={finalKey} onChange={(e) => setKey(e.target.value)} data-testid="entity-key" />
          </Form.Item>
          <Form.Item label={tr(lang, '记录归属', 'Ownership')}>
            <Radio.Group value={ownership} onChange={(e) => setOwnership(e.target.value)} options={[
              { value: 'owned', label: tr(lang, '有负责人（按角色范围控制可见）', 'Owned (visibility by role scope)') },
              { value: 'none', label: tr(lang, '共享（无负责人）', 'Shared (no owner)') },
            ]} />
          </Form.Item>
          <Typography.Text type="secondary">{tr(lang, '会同时创建一个表单布局和一个列表视图。', 'A form layout and a list view are created with it.')}</Typography.Text>
        </Form>
      </Modal>
    </>
  );
}
