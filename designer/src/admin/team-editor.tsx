import { Alert, App, Button, Card, Checkbox, Form, Input, List, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { parentCandidates, teamBody, teamPath, withManager, withMembers, type Member, type Team, type TeamMember } from './admin-ops.js';
import { placeErrors } from './form-errors.js';
import { useAdminSend } from './use-admin-api.js';

interface TeamForm { name: string; parentId: string | null; members: string[] }

/**
 * One team: name, parent (never itself or a team below it) and members, each
 * of whom may be a manager. Creates with POST, saves with PUT (the whole team).
 */
export function TeamEditor(p: {
  team: Team | undefined;
  newParentId: string | null | undefined;
  teams: readonly Team[];
  members: readonly Member[];
  onSaved: (id: string) => Promise<void>;
  onCancel: () => void;
  onAddChild?: () => void;
}) {
  const { lang } = useDraft();
  const { message } = App.useApp();
  const send = useAdminSend();
  const [form] = Form.useForm<TeamForm>();
  const [managers, setManagers] = useState<TeamMember[]>(p.team?.members ?? []);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const picked: string[] = Form.useWatch('members', form) ?? p.team?.members.map((m) => m.userId) ?? [];
  const current = withMembers(managers, picked);
  const memberName = (id: string) => p.members.find((m) => m.id === id)?.name ?? id;

  const submit = async (v: TeamForm) => {
    setBusy(true);
    setProblems([]);
    try {
      const body = teamBody({ name: v.name, parentId: v.parentId ?? null, attributes: p.team?.attributes, members: withMembers(managers, v.members) });
      const r = p.team ? await send<{ data: { id: string } }>('PUT', `teams/${p.team.id}`, body) : await send<{ data: { id: string } }>('POST', 'teams', body);
      message.success(p.team ? tr(lang, '团队已保存', 'Team saved') : tr(lang, '团队已创建', 'Team created'));
      await p.onSaved(r.data.id);
    } catch (err) {
      setProblems(placeErrors(form, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" data-testid="team-editor"
      title={p.team ? tr(lang, `团队：${p.team.name}`, `Team: ${p.team.name}`) : tr(lang, '新建团队', 'New team')}
      extra={p.onAddChild && <Button size="small" onClick={p.onAddChild} data-testid="add-child-team">{tr(lang, '新建下级团队', 'New sub-team')}</Button>}>
      <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 560 }}
        initialValues={{ name: p.team?.name ?? '', parentId: p.team ? p.team.parentId : p.newParentId ?? null, members: p.team?.members.map((m) => m.userId) ?? [] }}>
        <Form.Item name="name" label={tr(lang, '团队名称', 'Team name')} rules={[{ required: true, whitespace: true, message: tr(lang, '请输入团队名称', 'Enter a name') }]}>
          <Input maxLength={100} autoFocus={!p.team} data-testid="team-name" />
        </Form.Item>
        <Form.Item name="parentId" label={tr(lang, '上级团队', 'Parent team')}>
          <Select allowClear showSearch optionFilterProp="label" data-testid="team-parent" placeholder={tr(lang, '无（顶级团队）', 'None (top level)')}
            options={parentCandidates(p.teams, p.team?.id).map((t) => ({ value: t.id, label: teamPath(p.teams, t.id) })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))} />
        </Form.Item>
        <Form.Item name="members" label={tr(lang, '成员', 'Members')}>
          <Select mode="multiple" allowClear optionFilterProp="label" data-testid="team-members" placeholder={tr(lang, '选择成员', 'Pick members')}
            options={p.members.filter((m) => m.status === 'active' || picked.includes(m.id)).map((m) => ({ value: m.id, label: `${m.name} <${m.email}>` }))} />
        </Form.Item>
        {current.length > 0 && (
          <Form.Item label={tr(lang, '负责人', 'Managers')} extra={tr(lang, '负责人通常是团队主管，可用于审批与报表。', 'Managers usually lead the team; approvals and reports use them.')}>
            <List size="small" bordered dataSource={current} style={{ maxHeight: 260, overflow: 'auto' }} renderItem={(m) => (
              <List.Item>
                <span>{memberName(m.userId)}</span>
                <Checkbox checked={m.isManager} onChange={(e) => setManagers(withManager(current, m.userId, e.target.checked))} data-testid={`team-manager-${m.userId}`}>
                  {tr(lang, '负责人', 'Manager')}
                </Checkbox>
              </List.Item>
            )} />
          </Form.Item>
        )}
        {problems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={problems.join('；')} data-testid="team-error" />}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="team-save">{p.team ? tr(lang, '保存', 'Save') : tr(lang, '创建', 'Create')}</Button>
          <Button onClick={p.onCancel}>{tr(lang, '取消', 'Cancel')}</Button>
          {p.team && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '权限为“本团队及下级”的成员可看到本团队及其下级团队的记录。', 'Roles with "team and below" see the records of this team and the ones under it.')}</Typography.Text>}
        </Space>
      </Form>
    </Card>
  );
}
