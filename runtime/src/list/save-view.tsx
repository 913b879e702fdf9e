import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { ApiError, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';

export interface SavedView { id: string; label: string; mine: boolean; sharedRoles: string[]; definition: { type: 'list' | 'kanban'; columns: string[]; sort: { field: string; direction: 'asc' | 'desc' }[]; filter?: unknown } }

/** Saves what is on screen as a personal view, or (owners, admins, designers) one shared with roles; updates the user's own view in place. */
export function SaveViewDialog(p: { ctx: WidgetContext; entity: NavEntity; canShare: boolean; current?: SavedView; definition: SavedView['definition']; onClose: () => void; onSaved: (id: string) => void }) {
  const en = p.ctx.lang === 'en';
  const { message } = App.useApp();
  const [label, setLabel] = useState(p.current?.label ?? '');
  const [mode, setMode] = useState<'update' | 'new'>(p.current ? 'update' : 'new');
  const [roles, setRoles] = useState<string[]>(p.current?.sharedRoles ?? []);
  const [roleOptions, setRoleOptions] = useState<{ value: string; label: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (p.canShare && roleOptions === null) {
    setRoleOptions([]);
    p.ctx.api.get<{ documents: { kind: string; body: { key: string; label: { 'zh-CN'?: string; en?: string } } }[] }>(`/api/w/${p.ctx.ws}/meta`)
      .then((m) => setRoleOptions(m.documents.filter((d) => d.kind === 'role').map((d) => ({ value: d.body.key, label: (en ? d.body.label.en : d.body.label['zh-CN']) ?? d.body.key }))), () => undefined);
  }
  const save = async () => {
    setError(null);
    const body = { label: label.trim(), definition: p.definition, ...(p.canShare ? { sharedRoles: roles } : {}) };
    try {
      if (mode === 'update' && p.current) {
        await p.ctx.api.send('PUT', `/api/w/${p.ctx.ws}/saved-views/${p.current.id}`, body);
        p.onSaved(p.current.id);
      } else {
        const res = await p.ctx.api.send<{ data: { id: string } }>('POST', `/api/w/${p.ctx.ws}/saved-views`, { entity: p.entity.key, ...body });
        p.onSaved(res.data.id);
      }
      message.success(en ? 'View saved' : '视图已保存');
    } catch (err) {
      setError(err instanceof ApiError ? [err.message, ...err.details.map((d) => d.message)].join('；') : String(err));
    }
  };
  return (
    <Modal open title={en ? 'Save view' : '保存视图'} onCancel={p.onClose} onOk={save} okText={en ? 'Save' : '保存'} cancelText={en ? 'Cancel' : '取消'}
      okButtonProps={{ disabled: !label.trim(), ...({ 'data-testid': 'save-view-ok' } as object) }}>
      <Form layout="vertical">
        {p.current && (
          <Form.Item><Radio.Group value={mode} onChange={(ev) => setMode(ev.target.value)} options={[{ value: 'update', label: en ? `Update "${p.current.label}"` : `更新「${p.current.label}」` }, { value: 'new', label: en ? 'Save as a new view' : '另存为新视图' }]} /></Form.Item>
        )}
        <Form.Item label={en ? 'Name' : '名称'} validateStatus={error ? 'error' : undefined} help={error}>
          <Input value={label} maxLength={100} onChange={(ev) => setLabel(ev.target.value)} data-testid="save-view-label" placeholder={en ? 'e.g. My big deals' : '例如：我的大单'} />
        </Form.Item>
        {p.canShare && (
          <Form.Item label={en ? 'Share with roles (empty: only me)' : '共享给角色（留空：仅自己可见）'}>
            <Select mode="multiple" value={roles} onChange={setRoles} options={roleOptions ?? []} data-testid="save-view-roles" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
