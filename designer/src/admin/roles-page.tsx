import { Alert, Button, Card, Empty, Form, Input, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf } from '../state/documents.js';
import { issuesUnder } from '../state/issues.js';
import type { RoleBody } from '../model.js';
import { NewRoleDialog } from './new-role-dialog.js';
import { RoleMatrix } from './role-matrix.js';

/**
 * Business roles are draft documents like entities and layouts: edited here,
 * autosaved to the draft, live when published with the plan.
 */
export function RolesPage() {
  const d = useDraft();
  const { lang } = d;
  const roles = docsOf<RoleBody>(d.docs, 'role');
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const current = roles.find((r) => r.id === chosen) ?? roles[0];
  const publishedIds = new Set(docsOf<RoleBody>(d.published, 'role').map((r) => r.id));

  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <span>{tr(lang, '角色', 'Role')}</span>
        <Select style={{ width: 260 }} value={current?.id} onChange={setChosen} data-testid="role-select" showSearch optionFilterProp="label"
          options={roles.map((r) => ({ value: r.id, label: `${labelOf(r.body.label, lang) || r.body.key}${publishedIds.has(r.id) ? '' : ` · ${tr(lang, '未发布', 'new')}`}` }))} />
        <Button onClick={() => setCreating(true)} data-testid="new-role">{tr(lang, '新建角色', 'New role')}</Button>
      </Space>
      {current ? <RoleEditor key={current.id} roleId={current.id} published={publishedIds.has(current.id)} onDeleted={() => setChosen(null)} />
        : <Card size="small"><Empty description={tr(lang, '还没有业务角色', 'No business roles yet')} /></Card>}
      <NewRoleDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); setChosen(id); }} />
    </div>
  );
}

function RoleEditor(p: { roleId: string; published: boolean; onDeleted: () => void }) {
  const d = useDraft();
  const { lang } = d;
  const role = d.docs[docKey('role', p.roleId)]?.body as RoleBody | undefined;
  if (!role) return null;
  const issues = d.issues[docKey('role', p.roleId)] ?? [];
  const at = (ptr: string) => issuesUnder(issues, ptr).map((i) => i.message);
  // Findings the matrix does not show in a cell (the role itself, its label or key).
  const general = issues.filter((i) => !i.pointer.startsWith('/permissions/') && !i.pointer.startsWith('/pool/') && !i.pointer.startsWith('/label') && i.pointer !== '/key');
  const setLabel = (lng: 'zh-CN' | 'en', text: string) =>
    d.update<RoleBody>('role', p.roleId, (b) => ({ ...b, label: { ...b.label, [lng]: text } }), `label:${lng}`);
  const status = (msgs: string[]) => (msgs.length ? { validateStatus: 'error' as const, help: msgs.join('；') } : {});

  return (
    <Card size="small" data-testid="role-editor"
      title={<Space>{labelOf(role.label, lang)}<Typography.Text type="secondary" code>{role.key}</Typography.Text>{!p.published && <Tag color="gold">{tr(lang, '未发布', 'new')}</Tag>}</Space>}
      extra={(
        <Popconfirm title={tr(lang, '从草稿中删除这个角色？', 'Remove this role from the draft?')}
          description={p.published ? tr(lang, '发布后，持有此角色的成员将失去它带来的权限。', 'Once published, members holding it lose what it grants.') : undefined}
          okText={tr(lang, '删除', 'Remove')} cancelText={tr(lang, '取消', 'Cancel')} okButtonProps={{ danger: true }}
          onConfirm={() => { d.edit('role', p.roleId, null); p.onDeleted(); }}>
          <Button size="small" danger data-testid="delete-role">{tr(lang, '删除角色', 'Remove role')}</Button>
        </Popconfirm>
      )}>
      <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item label={tr(lang, '中文名称', 'Chinese name')} {...status(at('/label'))}>
          <Input value={role.label['zh-CN'] ?? ''} onChange={(e) => setLabel('zh-CN', e.target.value)} style={{ width: 180 }} data-testid="role-label-zh" />
        </Form.Item>
        <Form.Item label={tr(lang, '英文名称', 'English name')}>
          <Input value={role.label.en ?? ''} onChange={(e) => setLabel('en', e.target.value)} style={{ width: 180 }} data-testid="role-label-en" />
        </Form.Item>
        <Form.Item label={tr(lang, '标识', 'Key')} {...status(at('/key'))}
          tooltip={p.published ? tr(lang, '已发布的角色标识不能修改', 'A published role keeps its key') : undefined}>
          <Input value={role.key} disabled={p.published} style={{ width: 180, fontFamily: 'monospace' }} data-testid="role-key"
            onChange={(e) => d.update<RoleBody>('role', p.roleId, (b) => ({ ...b, key: e.target.value.trim() }), 'key')} />
        </Form.Item>
      </Form>
      {general.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={general.map((i) => i.message).join('；')} data-testid="role-issues" />}
      <RoleMatrix roleId={p.roleId} />
    </Card>
  );
}
