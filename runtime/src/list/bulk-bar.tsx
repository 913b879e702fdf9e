import { App, Button, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, labelOf, widgets, type UiField, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';
import { FlowButtons } from '../automation/flow-buttons.js';

type Rec = Record<string, unknown>;
type Result = { id: string; ok: true; version: number } | { id: string; ok: false; code: string; message: string; details?: { message: string }[] };
const COMPUTED = new Set(['formula', 'rollup', 'autonumber', 'lookup', 'file']);

/**
 * Actions on the selected rows: assign an owner, set one field, delete. Each
 * record goes through the server's normal write path on its own, so one
 * refused record (a gate, a permission) does not stop the others; the result
 * says per record what happened.
 */
export function BulkBar(p: { entity: NavEntity; ctx: WidgetContext; ids: string[]; rows: Rec[]; onDone: () => void; onClear: () => void }) {
  const en = p.ctx.lang === 'en';
  const t = (zh: string, eng: string) => (en ? eng : zh);
  const { message } = App.useApp();
  const [owner, setOwner] = useState<string | undefined>();
  const [fieldKey, setFieldKey] = useState<string | undefined>();
  const [value, setValue] = useState<unknown>(null);
  const [results, setResults] = useState<Result[] | null>(null);
  const [busy, setBusy] = useState(false);
  const editable = p.entity.fields.filter((f) => !COMPUTED.has(f.type));
  const field = editable.find((f) => f.key === fieldKey);

  const run = async (body: Record<string, unknown>) => {
    setBusy(true);
    try {
      const res = await p.ctx.api.send<{ data: Result[] }>('POST', `/api/w/${p.ctx.ws}/records/${p.entity.key}/bulk`, { ids: p.ids, ...body });
      setResults(res.data);
      p.onDone();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    } finally { setBusy(false); }
  };
  const title = (id: string) => String(p.rows.find((r) => r.id === id)?.[p.entity.titleField] ?? id);
  return (
    <div className="crm-toolbar" style={{ background: '#eff6ff', padding: '8px 12px', borderRadius: 8 }} data-testid="bulk-bar">
      <Typography.Text strong>{t(`已选 ${p.ids.length} 条`, `${p.ids.length} selected`)}</Typography.Text>
      {p.entity.ownership === 'owned' && (
        <Space.Compact>
          <Select placeholder={t('分配给…', 'Assign to…')} style={{ width: 150 }} value={owner} onChange={setOwner} showSearch optionFilterProp="label"
            options={(p.ctx.members ?? []).filter((m) => m.status !== 'inactive').map((m) => ({ value: m.id, label: m.name }))} data-testid="bulk-owner" />
          <Button disabled={!owner} loading={busy} onClick={() => run({ action: 'assign', ownerId: owner })} data-testid="bulk-assign">{t('分配', 'Assign')}</Button>
        </Space.Compact>
      )}
      <Space.Compact>
        <Select placeholder={t('修改字段…', 'Set field…')} style={{ width: 140 }} value={fieldKey} onChange={(k) => { setFieldKey(k); setValue(null); }}
          options={editable.map((f) => ({ value: f.key, label: labelOf(f.label, p.ctx.lang) }))} data-testid="bulk-field" />
        {field && <div style={{ width: 200 }}>{widgets[field.type].Input({ field: field as UiField, value, onChange: setValue, ctx: p.ctx })}</div>}
        <Button disabled={!field} loading={busy} onClick={() => run({ action: 'update', values: { [field!.key]: value } })} data-testid="bulk-update">{t('应用', 'Apply')}</Button>
      </Space.Compact>
      <Popconfirm title={t(`删除 ${p.ids.length} 条记录？`, `Delete ${p.ids.length} records?`)} description={t('可在回收站恢复。', 'They can be restored from the recycle bin.')}
        onConfirm={() => run({ action: 'delete' })} okText={t('删除', 'Delete')} cancelText={t('取消', 'Cancel')}>
        <Button danger loading={busy} data-testid="bulk-delete">{t('删除', 'Delete')}</Button>
      </Popconfirm>
      <FlowButtons entity={p.entity.key} ids={p.ids} ctx={p.ctx} menu onStarted={p.onDone} />
      <Button type="link" onClick={p.onClear}>{t('取消选择', 'Clear')}</Button>
      <Modal open={!!results} title={t('批量操作结果', 'Bulk result')} footer={null} onCancel={() => setResults(null)} width={640}>
        {results && (
          <>
            <Space style={{ marginBottom: 8 }}>
              <Tag color="green">{t(`成功 ${results.filter((r) => r.ok).length}`, `${results.filter((r) => r.ok).length} done`)}</Tag>
              <Tag color={results.some((r) => !r.ok) ? 'red' : 'default'}>{t(`失败 ${results.filter((r) => !r.ok).length}`, `${results.filter((r) => !r.ok).length} refused`)}</Tag>
            </Space>
            <Table size="small" rowKey="id" pagination={false} dataSource={results} data-testid="bulk-results" scroll={{ y: 360 }}
              columns={[
                { title: t('记录', 'Record'), render: (_, r) => title(r.id) },
                { title: t('结果', 'Result'), render: (_, r) => (r.ok ? <Tag color="green">{t('成功', 'done')}</Tag>
                  : <Typography.Text type="danger">{[r.message, ...(r.details ?? []).map((d) => d.message)].filter(Boolean).join('；')}</Typography.Text>) },
              ]} />
          </>
        )}
      </Modal>
    </div>
  );
}
