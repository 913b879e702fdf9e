import { App, Button, Card, Modal, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, labelOf, RecordDetails, RecordForm, cells, type WidgetContext } from '@crm/ui';
import { go } from './session.js';
import { layoutOf, type NavEntity, type Navigation } from './types.js';
import { ConvertDialog } from './convert.js';
import { RecordTimeline } from './record/timeline.js';
import { QuickActions } from './record/quick-actions.js';
import { StagePath } from './record/stage-path.js';
import { RelatedList } from './record/related-list.js';
import { FlowButtons } from './automation/flow-buttons.js';
import { ConflictNotice, type Conflict } from './record/conflict.js';
import type { AutomationVia } from './record/timeline-model.js';
import { ChangedNotice, useLiveRecord, useLiveTick } from './live/index.js';

type Rec = Record<string, unknown>;

/** A 360° record page: details, related lists, history; editing with the form of its layout; creation at /new. */
export function RecordPage(p: { nav: Navigation; entity: NavEntity; id: string; ctx: WidgetContext }) {
  const e = p.entity;
  const en = p.ctx.lang === 'en';
  const creating = p.id === 'new';
  const [record, setRecord] = useState<Rec | null>(null);
  const [editing, setEditing] = useState<Rec | null>(creating ? {} : null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [timelineVersion, setTimelineVersion] = useState(0);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [converting, setConverting] = useState(false);
  const { message } = App.useApp();
  const base = `/api/w/${p.ctx.ws}/records/${e.key}`;
  const rel = e.fields.filter((f) => f.type === 'relation').map((f) => f.key);

  const load = () => {
    if (creating) return;
    p.ctx.api.get<{ data: Rec }>(`${base}/${p.id}${rel.length ? `?expand=${rel.join(',')}` : ''}`).then((r) => setRecord(r.data), () => setRecord({ missing: true }));
    setTimelineVersion((v) => v + 1);
  };
  useEffect(load, [p.id]);
  const changedMeanwhile = useLiveRecord(e.key, p.id, !!editing, load); // reload on others' changes; never under an open form

  const save = async () => {
    setErrors({});
    try {
      if (creating) {
        const res = await p.ctx.api.send<{ data: Rec }>('POST', base, editing);
        message.success(en ? 'Created' : '已创建');
        go(`/app/${p.ctx.ws}/${e.key}/${String(res.data.id)}`);
      } else {
        const changed = Object.fromEntries(Object.entries(editing!).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(record![k])));
        await p.ctx.api.send('PATCH', `${base}/${p.id}`, changed, { 'if-match': `"${String(record!.version)}"` });
        message.success(en ? 'Saved' : '已保存');
        setEditing(null);
        load();
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && !creating) {
        const current = (await p.ctx.api.get<{ data: Rec }>(`${base}/${p.id}`)).data;
        setConflict({ current, fields: (err.body.changedFields as string[] | undefined) ?? [] });
      } else if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        message.error(err.message);
      } else message.error(en ? 'Network error: your changes are kept, try again' : '网络异常：修改仍在表单中，请重试');
    }
  };
  // Save ours on top of the version the other person made (an explicit choice, never silent).
  const overwrite = async () => {
    const current = conflict!.current;
    setConflict(null);
    setRecord(current);
    const changed = Object.fromEntries(Object.entries(editing!).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(record![k])));
    try {
      await p.ctx.api.send('PATCH', `${base}/${p.id}`, changed, { 'if-match': `"${String(current.version)}"` });
      message.success(en ? 'Saved' : '已保存');
      setEditing(null);
      load();
    } catch (err) {
      if (err instanceof ApiError) { setErrors(err.fieldErrors()); message.error(err.message); }
    }
  };

  const layout = layoutOf(e);
  const title = record ? String(record[e.titleField] ?? record.id) : '';
  const form = editing && (
    <RecordForm fields={e.fields} layout={layout} value={editing} errors={errors} ctx={p.ctx} onChange={(k, v) => setEditing({ ...editing, [k]: v })} />
  );

  if (creating) {
    return (
      <div className="crm-page">
        <Typography.Title level={4}>{en ? `New ${labelOf(e.label, 'en')}` : `新建${labelOf(e.label, 'zh-CN')}`}</Typography.Title>
        {form}
        <Space><Button type="primary" onClick={save} data-testid="save">{en ? 'Save' : '保存'}</Button><Button onClick={() => go(`/app/${p.ctx.ws}/${e.key}`)}>{en ? 'Cancel' : '取消'}</Button></Space>
      </div>
    );
  }
  if (!record) return <div className="crm-page"><Card loading /></div>;
  const TIMELINE_TAB = { key: 'timeline', label: en ? 'Timeline' : '动态', children: (
    <Card><RecordTimeline nav={p.nav} entity={e} id={p.id} ctx={p.ctx} version={timelineVersion} renderChange={(h) => <HistoryEntry entry={h} entity={e} ctx={p.ctx} />} /></Card>
  ) };
  if (record.missing) return <div className="crm-page">{en ? 'Not found, or not visible to you.' : '记录不存在，或您无权查看。'}</div>;
  return (
    <div className="crm-page">
      <div className="crm-toolbar">
        <Typography.Title level={4} style={{ margin: 0, marginRight: 'auto' }} data-testid="record-title">{labelOf(e.label, p.ctx.lang)} · {title}</Typography.Title>
        {e.ownership === 'owned' && <Typography.Text type="secondary" data-testid="owner">{en ? 'Owner' : '负责人'}：{record.owner_id ? p.ctx.members?.find((m) => m.id === record.owner_id)?.name ?? '—' : (en ? 'Public pool' : '公海')}</Typography.Text>}
        <FlowButtons entity={e.key} ids={[p.id]} ctx={p.ctx} onStarted={() => setTimeout(load, 800)} />
        {e.conversion && !record.converted_account && <Button onClick={() => setConverting(true)} data-testid="convert">{en ? 'Convert' : '转化'}</Button>}
        <Button type="primary" onClick={() => { setErrors({}); setEditing({ ...record }); }} data-testid="edit">{en ? 'Edit' : '编辑'}</Button>
      </div>
      <StagePath entity={e} record={record} ctx={p.ctx} onMoved={load} />
      <QuickActions nav={p.nav} entity={e} record={record} ctx={p.ctx} me={p.ctx.userId} onLogged={() => setTimelineVersion((v) => v + 1)} />
      <Tabs items={[
        { key: 'details', label: en ? 'Details' : '详情', children: <RecordDetails fields={e.fields} layout={layout} record={record} ctx={p.ctx} /> },
        TIMELINE_TAB,
        ...e.related.map((r) => ({ key: `${r.entity}.${r.field}`, label: labelOf(r.label, p.ctx.lang), children: <RelatedList nav={p.nav} id={p.id} ctx={p.ctx} entityKey={r.entity} field={r.field} /> })),
      ]} />
      <Modal open={!!editing} width={860} title={en ? 'Edit' : '编辑'} onCancel={() => { setEditing(null); setConflict(null); }} onOk={save} okText={en ? 'Save' : '保存'} destroyOnHidden>
        {changedMeanwhile && !conflict && <ChangedNotice lang={p.ctx.lang} />}
        {conflict && <ConflictNotice conflict={conflict} mine={editing ?? {}} entity={e} ctx={p.ctx} onOverwrite={() => void overwrite()}
          onTakeTheirs={() => { setConflict(null); setEditing(null); load(); }} />}
        {form}
      </Modal>
      {converting && <ConvertDialog ctx={p.ctx} lead={record} onClose={() => setConverting(false)} onDone={(accountId) => go(`/app/${p.ctx.ws}/accounts/${accountId}`)} />}
    </div>
  );
}

const ACTIONS: Record<string, [string, string]> = {
  'record.create': ['创建', 'created'], 'record.update': ['修改', 'changed'], 'record.delete': ['删除', 'deleted'], 'record.restore': ['恢复', 'restored'],
  'record.convert': ['转化', 'converted'], 'pool.release': ['退回公海', 'returned to the public pool'],
};

/**
 * One audit entry: who-did-what and each field's old and new value. A field
 * archived since then is still listed (under its key): its values are kept.
 */
function HistoryEntry(p: { entry: { at: string; action: string; actorId?: string | null; changes: Record<string, unknown>; via?: AutomationVia }; entity: NavEntity; ctx: WidgetContext }) {
  const en = p.ctx.lang === 'en';
  const action = ACTIONS[p.entry.action];
  const changes = Object.entries(p.entry.changes).filter(([k, v]) => k !== 'version' && v && typeof v === 'object' && 'to' in (v as object)) as [string, { from: unknown; to: unknown }][];
  const archived = (key: string) => p.entity.archivedFields?.find((x) => x.key === key);
  const name = (key: string) => {
    const f = p.entity.fields.find((x) => x.key === key);
    if (f) return labelOf(f.label, p.ctx.lang);
    if (key === 'owner_id') return en ? 'Owner' : '负责人';
    const a = archived(key);
    return a ? `${labelOf(a.label, p.ctx.lang)}${en ? ' (archived)' : '（已归档）'}` : key;
  };
  const show = (key: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return <span className="crm-empty">—</span>;
    const f = p.entity.fields.find((x) => x.key === key);
    if (f) return cells[f.type]({ field: f, value, ctx: p.ctx });
    if (key === 'owner_id') return p.ctx.members?.find((m) => m.id === value)?.name ?? String(value);
    return String(typeof value === 'object' ? JSON.stringify(value) : value);
  };
  return (
    <div data-testid="history-entry">
      <b>{new Date(p.entry.at).toLocaleString(p.ctx.lang)}</b> · {who(p.entry, p.ctx)}{action ? (en ? action[1] : action[0]) : p.entry.action}
      {p.entry.via?.reason && <div style={{ color: '#555' }} data-testid="history-reason">{p.ctx.lang === 'en' ? p.entry.via.reason.en : p.entry.via.reason['zh-CN']}</div>}
      {changes.map(([key, c]) => (
        <div key={key} style={{ color: '#555' }} data-field={key}>{name(key)}：{show(key, c.from)} → {show(key, c.to)}</div>
      ))}
    </div>
  );
}

/** Who made the change: a person, or an automation (named by its flow), which a person's action may have set off. */
function who(entry: { actorId?: string | null; via?: AutomationVia }, ctx: WidgetContext): string {
  const en = ctx.lang === 'en';
  const person = (id: string | null | undefined) => (id ? ctx.members?.find((m) => m.id === id)?.name ?? '' : '');
  if (entry.via) {
    const flow = entry.via.label ? labelOf(entry.via.label, ctx.lang) : entry.via.flow;
    const by = person(entry.via.by);
    return en ? `Automation "${flow}"${by ? ` (after ${by})` : ''} ` : `自动化「${flow}」${by ? `（由 ${by} 触发）` : ''}`;
  }
  const name = person(entry.actorId);
  return name ? `${name} ` : '';
}
