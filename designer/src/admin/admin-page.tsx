import { Typography } from 'antd';
import type { ReactNode } from 'react';
import type { AdminSection } from '../shell/router.js';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { MembersPage } from './members-page.js';
import { TeamsPage } from './teams-page.js';
import { RolesPage } from './roles-page.js';
import { SettingsPage } from './settings-page.js';
import { OutboxPage } from './outbox-page.js';

const TITLES: Record<AdminSection, [string, string, string, string]> = {
  members: ['成员', 'Members', '邀请同事、分配系统角色与业务角色、停用离职成员并移交其数据。', 'Invite colleagues, give them system and business roles, deactivate leavers and hand over their records.'],
  teams: ['团队', 'Teams', '团队的上下级决定“本团队”“本团队及下级”权限覆盖哪些记录。拖动团队可以调整上级。', 'The team tree decides what the "team" and "team and below" scopes cover. Drag a team to move it.'],
  roles: ['角色权限', 'Roles', '业务角色决定成员能新建、查看、编辑、删除哪些记录。角色属于设计，修改后随“发布”生效。', 'Business roles decide which records members may create, read, update and delete. Roles are part of the design: changes apply when you publish.'],
  settings: ['工作区设置', 'Workspace settings', '时区、默认币种、默认语言与财年起始月，对整个工作区生效。', 'Time zone, default currency, default language and fiscal year start, for the whole workspace.'],
  outbox: ['发件箱', 'Outbox', '自动化发送（或在未配置 SMTP 时本应发送）的每一封邮件。', 'Every mail automations sent, or would have sent while no SMTP server is configured.'],
};

/** Workspace administration, one screen per section of the designer's menu. */
export function AdminPage({ section }: { section: AdminSection }) {
  const { lang } = useDraft();
  const [zh, en, zhHint, enHint] = TITLES[section];
  const screens: Record<AdminSection, ReactNode> = {
    members: <MembersPage />,
    teams: <TeamsPage />,
    roles: <RolesPage />,
    settings: <SettingsPage />,
    outbox: <OutboxPage />,
  };
  return (
    <div data-testid={`admin-${section}`}>
      <Typography.Title level={4} style={{ margin: '0 0 4px' }}>{tr(lang, zh, en)}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 16 }}>{tr(lang, zhHint, enHint)}</Typography.Paragraph>
      {screens[section]}
    </div>
  );
}
