import { App, Button, Dropdown, Input, Segmented, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import type { RoleBody } from '../model.js';
import { canManage, teamPath, type Member } from './admin-ops.js';
import { nameOf, SYSTEM_ROLE_NAMES } from './admin-labels.js';
import { InviteDialog } from './invite-dialog.js';
import { LoadFailed } from './load-failed.js';
import { EditMemberDialog, ReassignDialog, ResetPasswordDialog } from './member-dialogs.js';
import { useAdminSend, useMe, useMembers, useTeams } from './use-admin-api.js';

const ROLE_COLORS = { owner: 'purple', admin: 'blue', designer: 'cyan', member: 'default' } as const;
type Dialog = { kind: 'edit' | 'reset' | 'reassign'; member: Member } | null;

/** Everyone in the workspace, with what an admin does to them: roles, password, deactivation, hand-over. */
export function MembersPage() {
  const d = useDraft();
  const { lang } = d;
  const { modal, message } = App.useApp();
  const members = useMembers();
  const teams = useTeams();
  const me = useMe();
  const send = useAdminSend();
  const [inviting, setInviting] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<'all' | 'active' | 'inactive'>('all');

  const roleNames = useMemo(() => new Map(docsOf<RoleBody>(d.published, 'role').map((r) => [r.body.key, labelOf(r.body.label, lang) || r.body.key])), [d.published, lang]);
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (members.data ?? []).filter((m) => (status === 'all' || m.status === status) && (!q || m.name.toLowerCase().includes(q) || m.email.includes(q)));
  }, [members.data, query, status]);

  if (members.error) return <LoadFailed error={members.error} />;

  const setActive = (m: Member, active: boolean) => {
    modal.confirm({
      title: active ? tr(lang, `重新启用 ${m.name}？`, `Reactivate ${m.name}?`) : tr(lang, `停用 ${m.name}？`, `Deactivate ${m.name}?`),
      content: active
        ? tr(lang, '对方可以再次登录并按原有角色使用。', 'They can sign in again with their roles as before.')
        : tr(lang, '停用后对方无法登录此工作区，其负责的记录保持不变；可用“移交数据”交给其他成员。', 'They can no longer sign in here; their records stay as they are: use "Hand over records" to give them to someone else.'),
      okText: active ? tr(lang, '启用', 'Reactivate') : tr(lang, '停用', 'Deactivate'),
      okButtonProps: { danger: !active, 'data-testid': 'status-confirm' },
      cancelText: tr(lang, '取消', 'Cancel'),
      onOk: async () => {
        try {
          await send('PATCH', `members/${m.id}`, { status: active ? 'active' : 'inactive' });
          message.success(active ? tr(lang, '已启用', 'Reactivated') : tr(lang, '已停用', 'Deactivated'));
          await members.reload();
        } catch (err) {
          message.error((err as Error).message);
        }
      },
    });
  };

  const columns: TableColumnsType<Member> = [
    {
      title: tr(lang, '姓名', 'Name'), dataIndex: 'name', width: 190, sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
      render: (_, m) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <Typography.Text strong type={m.status === 'active' ? undefined : 'secondary'}>{m.name}</Typography.Text>
          {m.id === me?.id && <Tag color="gold" style={{ marginInlineStart: 6 }}>{tr(lang, '我', 'you')}</Tag>}
        </span>
      ),
    },
    { title: tr(lang, '邮箱', 'Email'), dataIndex: 'email' },
    {
      title: tr(lang, '系统角色', 'System role'), dataIndex: 'systemRole', width: 120,
      filters: (['owner', 'admin', 'designer', 'member'] as const).map((r) => ({ value: r, text: nameOf(SYSTEM_ROLE_NAMES, r, lang) })),
      onFilter: (v, m) => m.systemRole === v,
      render: (_, m) => <Tag color={ROLE_COLORS[m.systemRole]}>{nameOf(SYSTEM_ROLE_NAMES, m.systemRole, lang)}</Tag>,
    },
    {
      title: tr(lang, '业务角色', 'Business roles'), dataIndex: 'roles',
      render: (_, m) => m.roles.length ? m.roles.map((r) => <Tag key={r}>{roleNames.get(r) ?? r}</Tag>) : <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: tr(lang, '团队', 'Teams'), dataIndex: 'teams',
      // The team's own name; its place in the tree on hover.
      render: (_, m) => m.teams.length ? m.teams.map((t) => {
        const team = teams.data?.find((x) => x.id === t);
        return <Tooltip key={t} title={teamPath(teams.data ?? [], t)}><Tag color="geekblue">{team?.name ?? '…'}</Tag></Tooltip>;
      }) : <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: tr(lang, '状态', 'Status'), dataIndex: 'status', width: 90,
      render: (_, m) => m.status === 'active' ? <Tag color="green">{tr(lang, '正常', 'Active')}</Tag> : <Tag>{tr(lang, '已停用', 'Inactive')}</Tag>,
    },
    // The API does not report sign-ins yet; the column appears once it does.
    ...((members.data ?? []).some((m) => m.lastSignInAt !== undefined) ? [{
      title: tr(lang, '最近登录', 'Last sign-in'), dataIndex: 'lastSignInAt',
      render: (v: string | null) => (v ? new Date(v).toLocaleString(lang) : '—'),
    }] : []),
    {
      title: tr(lang, '操作', 'Actions'), key: 'actions', align: 'right', width: 170,
      render: (_, m) => {
        const may = canManage(me, m);
        const why = m.id === me?.id ? tr(lang, '不能修改自己的角色和状态', 'You cannot change yourself') : tr(lang, '只有所有者可以管理所有者和管理员', 'Only owners manage owners and admins');
        const buttons = (
          <Space size={4}>
            <Button size="small" disabled={!may} onClick={() => setDialog({ kind: 'edit', member: m })} data-testid={`edit-member-${m.email}`}>{tr(lang, '编辑', 'Edit')}</Button>
            <Dropdown trigger={['click']} disabled={!may} menu={{
              items: [
                { key: 'reset', label: <span data-testid="menu-reset-password">{tr(lang, '重置密码', 'Reset password')}</span>, onClick: () => setDialog({ kind: 'reset', member: m }) },
                { key: 'reassign', label: <span data-testid="menu-reassign">{tr(lang, '移交数据', 'Hand over records')}</span>, onClick: () => setDialog({ kind: 'reassign', member: m }) },
                { type: 'divider' },
                m.status === 'active'
                  ? { key: 'off', danger: true, label: <span data-testid="menu-deactivate">{tr(lang, '停用', 'Deactivate')}</span>, onClick: () => setActive(m, false) }
                  : { key: 'on', label: <span data-testid="menu-reactivate">{tr(lang, '重新启用', 'Reactivate')}</span>, onClick: () => setActive(m, true) },
              ],
            }}>
              <Button size="small" data-testid={`member-more-${m.email}`}>{tr(lang, '更多', 'More')} ▾</Button>
            </Dropdown>
          </Space>
        );
        return may ? buttons : <Tooltip title={why}>{buttons}</Tooltip>;
      },
    },
  ];

  const counts = { active: (members.data ?? []).filter((m) => m.status === 'active').length, all: members.data?.length ?? 0 };
  return (
    <div>
      <Space style={{ marginBottom: 12, width: '100%' }} wrap>
        <Button type="primary" onClick={() => setInviting(true)} data-testid="invite-member">{tr(lang, '邀请成员', 'Invite member')}</Button>
        <Input.Search allowClear placeholder={tr(lang, '搜索姓名或邮箱', 'Search name or email')} style={{ width: 240 }} value={query} onChange={(e) => setQuery(e.target.value)} data-testid="member-search" />
        <Segmented value={status} onChange={(v) => setStatus(v as typeof status)} options={[
          { value: 'all', label: tr(lang, `全部 ${counts.all}`, `All ${counts.all}`) },
          { value: 'active', label: tr(lang, `正常 ${counts.active}`, `Active ${counts.active}`) },
          { value: 'inactive', label: tr(lang, `已停用 ${counts.all - counts.active}`, `Inactive ${counts.all - counts.active}`) },
        ]} />
      </Space>
      <Table<Member> rowKey="id" size="middle" loading={members.loading} columns={columns} dataSource={rows} pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(m) => ({ 'data-testid': `member-row-${m.email}`, 'data-status': m.status }) as HTMLAttributes<HTMLElement>}
        data-testid="member-table" />
      <InviteDialog open={inviting} myRole={me?.role} onClose={() => setInviting(false)} onInvited={() => void members.reload()} />
      {dialog?.kind === 'edit' && <EditMemberDialog member={dialog.member} myRole={me?.role} onClose={() => setDialog(null)} onSaved={() => { message.success(tr(lang, '已保存', 'Saved')); void members.reload(); }} />}
      {dialog?.kind === 'reset' && <ResetPasswordDialog member={dialog.member} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'reassign' && <ReassignDialog member={dialog.member} members={members.data ?? []} onClose={() => setDialog(null)} />}
    </div>
  );
}
