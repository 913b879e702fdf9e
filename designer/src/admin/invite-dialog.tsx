import { Alert, Button, Form, Input, Modal, Result, Select } from 'antd';
import { useState } from 'react';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { grantableRoles, type SystemRole } from './admin-ops.js';
import { nameOf, SYSTEM_ROLE_HINTS, SYSTEM_ROLE_NAMES } from './admin-labels.js';
import { placeErrors } from './form-errors.js';
import { OneTimeSecret } from './one-time-secret.js';
import { businessRoleOptions } from './role-options.js';
import { useAdminSend } from './use-admin-api.js';

interface InviteForm { email: string; name: string; systemRole: SystemRole; roles: string[] }
interface Invited { email: string; temporaryPassword?: string }

/**
 * Adds a member. Without mail delivery the server returns a temporary
 * password for a new account, shown here once; an existing account keeps its
 * own password.
 */
export function InviteDialog(p: { open: boolean; myRole: SystemRole | undefined; onClose: () => void; onInvited: () => void }) {
  const d = useDraft();
  const { lang } = d;
  const send = useAdminSend();
  const [form] = Form.useForm<InviteForm>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<Invited | null>(null);

  const close = () => {
    form.resetFields();
    setProblems([]);
    setDone(null);
    p.onClose();
  };
  const submit = async (v: InviteForm) => {
    setBusy(true);
    setProblems([]);
    try {
      const r = await send<{ data: { userId: string; temporaryPassword?: string } }>('POST', 'members', { ...v, email: v.email.trim(), name: v.name.trim() });
      setDone({ email: v.email.trim(), temporaryPassword: r.data.temporaryPassword });
      p.onInvited();
    } catch (err) {
      setProblems(placeErrors(form, err, { CRM_ERR_DUPLICATE: 'email', CRM_ERR_UNKNOWN_IDENTIFIER: 'roles' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={p.open} onCancel={close} destroyOnHidden width={560} title={tr(lang, '邀请成员', 'Invite a member')}
      footer={done
        ? <Button type="primary" onClick={close} data-testid="invite-done">{tr(lang, '完成', 'Done')}</Button>
        : [
          <Button key="c" onClick={close}>{tr(lang, '取消', 'Cancel')}</Button>,
          <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()} data-testid="invite-submit">{tr(lang, '邀请', 'Invite')}</Button>,
        ]}>
      {done
        ? (
          <div data-testid="invite-result">
            <Result status="success" style={{ padding: '12px 0' }} title={tr(lang, `已将 ${done.email} 加入工作区`, `${done.email} joined the workspace`)}
              subTitle={done.temporaryPassword ? undefined : tr(lang, '该邮箱已有账号，对方用原来的密码登录即可。', 'This address already has an account: they sign in with their own password.')} />
            {done.temporaryPassword && <OneTimeSecret lang={lang} email={done.email} password={done.temporaryPassword} />}
          </div>
        )
        : (
          <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional" initialValues={{ email: '', name: '', systemRole: 'member', roles: [] }}>
            <Form.Item name="email" label={tr(lang, '邮箱', 'Email')} rules={[{ required: true, type: 'email', message: tr(lang, '请输入有效的邮箱', 'Enter a valid email') }]}>
              <Input autoFocus placeholder="name@company.cn" data-testid="invite-email" />
            </Form.Item>
            <Form.Item name="name" label={tr(lang, '姓名', 'Name')} rules={[{ required: true, whitespace: true, message: tr(lang, '请输入姓名', 'Enter a name') }]}>
              <Input maxLength={100} data-testid="invite-name" />
            </Form.Item>
            <Form.Item name="systemRole" label={tr(lang, '系统角色', 'System role')}>
              <Select data-testid="invite-system-role" options={grantableRoles(p.myRole).map((r) => ({
                value: r, label: `${nameOf(SYSTEM_ROLE_NAMES, r, lang)} · ${nameOf(SYSTEM_ROLE_HINTS, r, lang)}`,
              }))} />
            </Form.Item>
            <Form.Item name="roles" label={tr(lang, '业务角色', 'Business roles')} extra={tr(lang, '决定能看到和操作哪些记录，可多选。', 'Decide which records they see and change; several allowed.')}>
              <Select mode="multiple" allowClear data-testid="invite-roles" options={businessRoleOptions(d.published, d.docs, lang)}
                placeholder={tr(lang, '选择角色', 'Pick roles')} optionFilterProp="label" />
            </Form.Item>
            {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} data-testid="invite-error" />}
          </Form>
        )}
    </Modal>
  );
}
