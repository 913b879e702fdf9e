import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { ApiError, labelOf, widgets, type UiField, type WidgetContext } from '@crm/ui';
import type { NavEntity, Navigation } from '../types.js';

type Rec = Record<string, unknown>;
interface Action { key: string; label: string; subject: string; entity: NavEntity; link: string; preset: Rec; shown: UiField[] }

const firstActive = (f: UiField) => f.options?.find((o) => o.active !== false)?.key;

/**
 * One tap per kind of activity ("电话 / 拜访 / 邮件 …", from the activity
 * entity's required choice) and "新建任务", each opening a short form already
 * linked to this record and filled with sensible values, so logging a visit
 * from a phone is: tap the action, (type a note), tap save.
 */
export function quickActions(nav: Navigation, entity: NavEntity, lang: 'zh-CN' | 'en', me: string | undefined): Action[] {
  const out: Action[] = [];
  for (const r of entity.related) {
    const target = nav.entities.find((x) => x.key === r.entity);
    if (!target?.isActivity || !target.canCreate) continue;
    const required = target.fields.filter((f) => f.required);
    const when = target.fields.find((f) => f.type === 'datetime');
    const choice = required.find((f) => f.type === 'select');
    const title = target.fields.find((f) => f.key === target.titleField);
    const notes = target.fields.find((f) => f.type === 'textarea');
    const shown = [title, notes].filter((f): f is UiField => !!f);
    const base: Rec = {};
    for (const f of required) {
      if (f.type === 'select' && firstActive(f)) base[f.key] = firstActive(f);
      if (f.type === 'datetime') base[f.key] = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    }
    if (when?.required) {
      // A log of something that happened: one action per kind.
      for (const o of (choice?.options ?? []).filter((x) => x.active !== false)) {
        out.push({ key: `${r.entity}.${o.key}`, label: labelOf(o.label, lang), subject: labelOf(o.label, lang), entity: target, link: r.field, preset: { ...base, [choice!.key]: o.key }, shown });
      }
    } else {
      // Something to do: due tomorrow at 10:00, assigned to me.
      const due = new Date(); due.setDate(due.getDate() + 1); due.setHours(10, 0, 0, 0);
      const assignee = target.fields.find((f) => f.type === 'user');
      const preset: Rec = { ...base, ...(when ? { [when.key]: due.toISOString().replace(/\.\d+Z$/, 'Z') } : {}), ...(assignee && me ? { [assignee.key]: me } : {}) };
      out.push({ key: `${r.entity}.new`, label: lang === 'en' ? `New ${labelOf(target.label, 'en').toLowerCase()}` : `新建${labelOf(target.label, 'zh-CN')}`, subject: lang === 'en' ? 'Follow up' : '跟进', entity: target, link: r.field, preset, shown: when ? [...shown.slice(0, 1), when, ...shown.slice(1)] : shown });
    }
  }
  return out;
}

export function QuickActions(p: { nav: Navigation; entity: NavEntity; record: Rec; ctx: WidgetContext; me?: string; onLogged: () => void }) {
  const actions = quickActions(p.nav, p.entity, p.ctx.lang, p.me);
  const [open, setOpen] = useState<Action | null>(null);
  const [mentioning, setMentioning] = useState(false);
  return (
    <>
      <Space wrap size={8} className="quick-actions" data-testid="quick-actions">
        {actions.map((a) => <Button key={a.key} size="large" onClick={() => setOpen(a)} data-testid={`quick-${a.key}`}>{a.label}</Button>)}
        <Button size="large" onClick={() => setMentioning(true)} data-testid="quick-mention">{p.ctx.lang === 'en' ? '@ Mention' : '@ 同事'}</Button>
      </Space>
      {open && <QuickForm action={open} record={p.record} entity={p.entity} ctx={p.ctx} onClose={() => setOpen(null)} onSaved={() => { setOpen(null); p.onLogged(); }} />}
      {mentioning && <MentionForm entity={p.entity} record={p.record} ctx={p.ctx} onClose={() => setMentioning(false)} />}
    </>
  );
}

/** Notifies colleagues about this record; the server refuses (naming them) anyone who could not open it. */
function MentionForm(p: { entity: NavEntity; record: Rec; ctx: WidgetContext; onClose: () => void }) {
  const { message } = App.useApp();
  const en = p.ctx.lang === 'en';
  const [userIds, setUserIds] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    setError(null);
    try {
      await p.ctx.api.send('POST', `/api/w/${p.ctx.ws}/records/${p.entity.key}/${String(p.record.id)}/mentions`, { userIds, note });
      message.success(en ? 'Sent' : '已通知');
      p.onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : (en ? 'Network error: try again' : '网络异常，请重试'));
    }
  };
  return (
    <Modal open title={en ? 'Mention colleagues' : '@ 提及同事'} onCancel={p.onClose} onOk={send} okText={en ? 'Send' : '发送'} cancelText={en ? 'Cancel' : '取消'}
      okButtonProps={{ disabled: !userIds.length, size: 'large', ...({ 'data-testid': 'mention-send' } as object) }}>
      <Form layout="vertical">
        <Form.Item label={en ? 'Who' : '提及谁'} validateStatus={error ? 'error' : undefined} help={error}>
          <Select mode="multiple" value={userIds} onChange={setUserIds} showSearch optionFilterProp="label" data-testid="mention-users"
            options={(p.ctx.members ?? []).filter((m) => m.status !== 'inactive' && m.id !== p.ctx.userId).map((m) => ({ value: m.id, label: m.name }))} />
        </Form.Item>
        <Form.Item label={en ? 'Note' : '说明'}><Input.TextArea rows={3} value={note} maxLength={1000} onChange={(ev) => setNote(ev.target.value)} data-testid="mention-note" /></Form.Item>
      </Form>
    </Modal>
  );
}

function QuickForm(p: { action: Action; record: Rec; entity: NavEntity; ctx: WidgetContext; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const en = p.ctx.lang === 'en';
  const title = String(p.record[p.entity.titleField] ?? '');
  const titleField = p.action.entity.titleField;
  const [value, setValue] = useState<Rec>(() => ({ ...p.action.preset, [titleField]: `${p.action.subject}${en ? ': ' : '：'}${title}`, [p.action.link]: p.record.id }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true); setErrors({});
    try {
      await p.ctx.api.send('POST', `/api/w/${p.ctx.ws}/records/${p.action.entity.key}`, value);
      message.success(en ? 'Saved' : '已记录');
      p.onSaved();
    } catch (err) {
      // What the user typed stays in the form; the error lands on its field.
      if (err instanceof ApiError) { setErrors(err.fieldErrors()); if (!err.details.length) message.error(err.message); }
      else message.error(en ? 'Network error: nothing was lost, try again' : '网络异常：内容还在，请重试');
    } finally { setSaving(false); }
  };
  return (
    <Modal open title={p.action.label} onCancel={p.onClose} onOk={save} confirmLoading={saving} okText={en ? 'Save' : '保存'} cancelText={en ? 'Cancel' : '取消'}
      okButtonProps={{ size: 'large', ...({ 'data-testid': 'quick-save' } as object) }} cancelButtonProps={{ size: 'large' }} destroyOnHidden>
      <Form layout="vertical">
        {p.action.shown.map((f) => (
          <Form.Item key={f.key} label={labelOf(f.label, p.ctx.lang)} validateStatus={errors[f.key] ? 'error' : undefined} help={errors[f.key]}>
            {f.type === 'textarea'
              ? <Input.TextArea rows={3} value={(value[f.key] as string) ?? ''} onChange={(ev) => setValue((v) => ({ ...v, [f.key]: ev.target.value || null }))} data-testid={`quick-${f.key}`} />
              : widgets[f.type].Input({ field: f, value: value[f.key] ?? null, onChange: (v) => setValue((x) => ({ ...x, [f.key]: v })), ctx: p.ctx })}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
