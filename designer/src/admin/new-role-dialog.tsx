import { Form, Input, Modal } from 'antd';
import { useRef, useState } from 'react';
import { newId, proposeKey } from '../entities/keys.js';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import type { RoleBody } from '../model.js';
import { newRole } from './admin-ops.js';

interface RoleForm { zh: string; en: string; key: string }

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** A new role document in the draft: labels in both languages, a key proposed from the Chinese label until edited. */
export function NewRoleDialog(p: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const d = useDraft();
  const { lang } = d;
  const [form] = Form.useForm<RoleForm>();
  const id = useRef(newId('role'));
  const [keyTouched, setKeyTouched] = useState(false);
  const taken = new Set(docsOf<RoleBody>(d.docs, 'role').map((r) => r.body.key));

  const onLabel = (zh: string, en: string) => {
    if (!keyTouched) form.setFieldValue('key', proposeKey(zh || en, id.current));
  };
  const create = (v: RoleForm) => {
    const roleId = id.current;
    d.edit('role', roleId, newRole(roleId, v.key, { 'zh-CN': v.zh.trim() || v.en.trim(), en: v.en.trim() || v.zh.trim() }));
    id.current = newId('role');
    form.resetFields();
    setKeyTouched(false);
    p.onCreated(roleId);
  };

  return (
    <Modal open={p.open} destroyOnHidden title={tr(lang, '新建角色', 'New role')} onCancel={p.onClose} onOk={() => form.submit()}
      okText={tr(lang, '创建', 'Create')} cancelText={tr(lang, '取消', 'Cancel')} okButtonProps={{ 'data-testid': 'new-role-create' }}>
      <Form form={form} layout="vertical" onFinish={create} initialValues={{ zh: '', en: '', key: '' }}
        onValuesChange={(changed: Partial<RoleForm>, all: RoleForm) => { if ('zh' in changed || 'en' in changed) onLabel(all.zh, all.en); }}>
        <Form.Item name="zh" label={tr(lang, '名称（中文）', 'Name (Chinese)')} rules={[{ required: true, whitespace: true, message: tr(lang, '请输入中文名称', 'Enter the Chinese name') }]}>
          <Input autoFocus maxLength={60} placeholder="例如：区域经理" data-testid="new-role-zh" />
        </Form.Item>
        <Form.Item name="en" label={tr(lang, '名称（英文）', 'Name (English)')}>
          <Input maxLength={60} placeholder="e.g. Regional manager" data-testid="new-role-en" />
        </Form.Item>
        <Form.Item name="key" label={tr(lang, '标识（key）', 'Key')} extra={tr(lang, '成员分配与接口使用此标识，发布后不可修改。', 'Used when assigning members and in the API; fixed once published.')}
          rules={[
            { required: true, message: tr(lang, '请输入标识', 'Enter a key') },
            { pattern: KEY, message: tr(lang, '小写字母开头，只含小写字母、数字和下划线', 'Lower-case letter first, then letters, digits, _') },
            { validator: (_, v: string) => (taken.has(v) ? Promise.reject(new Error(tr(lang, '已有角色使用这个标识', 'Another role has this key'))) : Promise.resolve()) },
          ]}>
          <Input maxLength={40} onChange={() => setKeyTouched(true)} data-testid="new-role-key" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
