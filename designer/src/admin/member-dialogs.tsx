import { Alert, App, Button, Form, Modal, Result, Select, Typography } from 'antd';
import { useState } from 'react';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import type { EntityBody } from '../model.js';
import { grantableRoles, movedSummary, reassignTargets, type Member, type SystemRole } from './admin-ops.js';
import { nameOf, SYSTEM_ROLE_HINTS, SYSTEM_ROLE_NAMES } from './admin-labels.js';
import { placeErrors } from './form-errors.js';
import { OneTimeSecret } from './one-time-secret.js';
import { businessRoleOptions } from './role-options.js';
import { useAdminSend } from './use-admin-api.js';

interface EditForm { systemRole: SystemRole; roles: string[] }

/** System role and business roles of one member; only what changed is sent. */
export function EditMemberDialog(p: { member: Member; myRole: SystemRole | undefined; onClose: () => void; onSaved: () => void }) {
  const d = useDraft();
  const { lang } = d;
  const send = useAdminSend();
  const [form] = Form.useForm<EditForm>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const { member } = p;
  // The member's current role stays in the list even when this admin could not grant it.
  const roles = [...new Set<SystemRole>([...grantableRoles(p.myRole), member.systemRole])];

  const submit = async (v: EditForm) => {
    const body: Partial<EditForm> = {};
    if (v.systemRole !== member.systemRole) body.systemRole = v.systemRole;
    if ([...v.roles].sort().join() !== [...member.roles].sort().join()) body.roles = v.roles;
    if (!Object.keys(body).length) return p.onClose();
    setBusy(true);
    setProblems([]);
    try {
      await send('PATCH', `members/${member.id}`, body);
      p.onSaved();
      p.onClose();
    } catch (err) {
      setProblems(placeErrors(form, err, { CRM_ERR_UNKNOWN_IDENTIFIER: 'roles' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open onCancel={p.onClose} title={tr(lang, `编辑成员：${member.name}`, `Edit member: ${member.name}`)} okText={tr(lang, '保存', 'Save')}
      cancelText={tr(lang, '取消', 'Cancel')} onOk={() => form.submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'member-save' }}>
      <Typography.Paragraph type="secondary">{member.email}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ systemRole: member.systemRole, roles: member.roles }}>
        <Form.Item name="systemRole" label={tr(lang, '系统角色', 'System role')}>
          <Select data-testid="member-system-role" options={roles.map((r) => ({
            value: r, label: `${nameOf(SYSTEM_ROLE_NAMES, r, lang)} · ${nameOf(SYSTEM_ROLE_HINTS, r, lang)}`,
            disabled: !grantableRoles(p.myRole).includes(r),
          }))} />
        </Form.Item>
        <Form.Item name="roles" label={tr(lang, '业务角色', 'Business roles')}>
          <Select mode="multiple" allowClear data-testid="member-roles" optionFilterProp="label" options={businessRoleOptions(d.published, d.docs, lang)} />
        </Form.Item>
        {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} />}
      </Form>
    </Modal>
  );
}

/**
 * Resets a password after a confirmation (their sessions end), then shows
 * the new temporary password once.
 */
export function ResetPasswordDialog(p: { member: Member; onClose: () => void }) {
  const { lang } = useDraft();
  const send = useAdminSend();
  const [busy, setBusy] = useState(false);
  const [password, setPassword] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reset = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await send<{ data: { temporaryPassword: string } }>('POST', `members/${p.member.id}/reset-password`);
      setPassword(r.data.temporaryPassword);
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open onCancel={p.onClose} title={tr(lang, `重置密码：${p.member.name}`, `Reset password: ${p.member.name}`)}
      footer={password
        ? <Button type="primary" onClick={p.onClose} data-testid="reset-done">{tr(lang, '完成', 'Done')}</Button>
        : [
          <Button key="c" onClick={p.onClose}>{tr(lang, '取消', 'Cancel')}</Button>,
          <Button key="ok" danger type="primary" loading={busy} onClick={reset} data-testid="reset-confirm">{tr(lang, '重置密码', 'Reset password')}</Button>,
        ]}>
      {password
        ? <OneTimeSecret lang={lang} email={p.member.email} password={password} />
        : <Typography.Paragraph>{tr(lang, `将为 ${p.member.email} 生成新的临时密码，对方当前的所有登录会立即失效。`, `A new temporary password is made for ${p.member.email}; all their current sessions end at once.`)}</Typography.Paragraph>}
      {problem && <Alert type="error" showIcon title={problem} data-testid="reset-error" />}
    </Modal>
  );
}

/** Hands every record the member owns to another active member (e.g. when someone leaves). */
export function ReassignDialog(p: { member: Member; members: readonly Member[]; onClose: () => void }) {
  const d = useDraft();
  const { lang } = d;
  const { message } = App.useApp();
  const send = useAdminSend();
  const [to, setTo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [moved, setMoved] = useState<{ total: number; parts: string[] } | null>(null);
  const entityName = (key: string) => {
    const e = docsOf<EntityBody>(d.published, 'entity').find((x) => x.body.key === key);
    return e ? labelOf(e.body.label, lang) || key : key;
  };
  const targets = reassignTargets(p.members, p.member.id);
  const run = async () => {
    if (!to) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await send<{ data: { moved: Record<string, number> } }>('POST', `members/${p.member.id}/reassign`, { to });
      const sum = movedSummary(r.data.moved, entityName);
      setMoved(sum);
      if (!sum.total) message.info(tr(lang, '该成员名下没有记录', 'They own no records'));
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const toName = targets.find((m) => m.id === to)?.name ?? '';
  return (
    <Modal open onCancel={p.onClose} title={tr(lang, `移交数据：${p.member.name}`, `Hand over records: ${p.member.name}`)}
      footer={moved
        ? <Button type="primary" onClick={p.onClose}>{tr(lang, '完成', 'Done')}</Button>
        : [
          <Button key="c" onClick={p.onClose}>{tr(lang, '取消', 'Cancel')}</Button>,
          <Button key="ok" type="primary" disabled={!to} loading={busy} onClick={run} data-testid="reassign-confirm">{tr(lang, '移交', 'Hand over')}</Button>,
        ]}>
      {moved
        ? (
          <Result status="success" style={{ padding: '12px 0' }} data-testid="reassign-result"
            title={tr(lang, `已将 ${moved.total} 条记录移交给 ${toName}`, `${moved.total} records now belong to ${toName}`)}
            subTitle={moved.parts.join('、')} />
        )
        : (
          <>
            <Typography.Paragraph>{tr(lang, `${p.member.name} 负责的所有记录（线索、客户、商机等）都将改由下面选择的成员负责，每条变更都记入审计日志。`, `Every record ${p.member.name} owns (leads, accounts, opportunities…) moves to the member below; each change is audited.`)}</Typography.Paragraph>
            <Select style={{ width: '100%' }} showSearch optionFilterProp="label" value={to} onChange={setTo} data-testid="reassign-to"
              placeholder={tr(lang, '选择新的负责人', 'Pick the new owner')}
              options={targets.map((m) => ({ value: m.id, label: `${m.name} <${m.email}>` }))} />
          </>
        )}
      {problem && <Alert type="error" showIcon style={{ marginTop: 12 }} title={problem} data-testid="reassign-error" />}
    </Modal>
  );
}
