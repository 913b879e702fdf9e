import { App, Button, Card, Empty, Space, Tag, Tree, Typography, type TreeDataNode, type TreeProps } from 'antd';
import { useMemo, useState } from 'react';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { dropParent, teamBody, teamTree, type TeamNode } from './admin-ops.js';
import { LoadFailed } from './load-failed.js';
import { TeamEditor } from './team-editor.js';
import { useAdminSend, useMembers, useTeams } from './use-admin-api.js';

type Editing = { mode: 'edit'; id: string } | { mode: 'new'; parentId: string | null } | null;

/**
 * The team tree (drag a team onto another to move it below, or between two
 * to move it beside them) and the selected team's name, parent and members.
 */
export function TeamsPage() {
  const { lang } = useDraft();
  const { message } = App.useApp();
  const teams = useTeams();
  const members = useMembers();
  const send = useAdminSend();
  const [editing, setEditing] = useState<Editing>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const list = teams.data ?? [];
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.id, m.name])), [members.data]);
  const treeData = useMemo(() => teamTree(list).map((n) => toTreeNode(n, names, lang)), [list, names, lang]);

  if (teams.error) return <LoadFailed error={teams.error} />;

  const move: TreeProps['onDrop'] = async (info) => {
    const dragId = String(info.dragNode.key);
    const parentId = dropParent(list, dragId, String(info.node.key), info.dropToGap);
    const team = list.find((t) => t.id === dragId);
    if (parentId === undefined || !team) return;
    try {
      await send('PUT', `teams/${dragId}`, teamBody({ ...team, parentId }));
      const parent = list.find((t) => t.id === parentId);
      message.success(parent ? tr(lang, `「${team.name}」已移到「${parent.name}」下`, `"${team.name}" now sits below "${parent.name}"`) : tr(lang, `「${team.name}」已成为顶级团队`, `"${team.name}" is now a top-level team`));
      if (parentId) setCollapsed((c) => { const n = new Set(c); n.delete(parentId); return n; });
      await teams.reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  const selected = editing?.mode === 'edit' ? list.find((t) => t.id === editing.id) : undefined;
  const saved = async (id: string) => {
    await Promise.all([teams.reload(), members.reload()]);
    setEditing({ mode: 'edit', id });
  };

  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(300px, 380px) 1fr', gap: 16, alignItems: 'start' }}>
      <Card size="small" title={tr(lang, `团队（${list.length}）`, `Teams (${list.length})`)}
        extra={<Button type="primary" size="small" onClick={() => setEditing({ mode: 'new', parentId: null })} data-testid="add-team">{tr(lang, '新建团队', 'New team')}</Button>}>
        {list.length
          ? (
            <Tree blockNode draggable={{ icon: false }} showLine treeData={treeData} data-testid="team-tree"
              expandedKeys={list.filter((t) => !collapsed.has(t.id)).map((t) => t.id)}
              onExpand={(keys) => setCollapsed(new Set(list.map((t) => t.id).filter((id) => !keys.includes(id))))}
              selectedKeys={selected ? [selected.id] : []}
              onSelect={(keys) => keys[0] && setEditing({ mode: 'edit', id: String(keys[0]) })}
              onDrop={move} />
          )
          : !teams.loading && <Empty description={tr(lang, '还没有团队', 'No teams yet')} />}
        {list.length > 1 && <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '12px 0 0' }}>{tr(lang, '提示：拖动团队到另一个团队上可调整上下级。', 'Tip: drag a team onto another to change its parent.')}</Typography.Paragraph>}
      </Card>
      {editing
        ? (
          // Keyed by the parent too: a team dragged elsewhere reopens with its new parent instead of saving the old one back.
          <TeamEditor key={editing.mode === 'edit' ? `${editing.id}:${selected?.parentId}` : `new:${editing.parentId}`} team={selected} newParentId={editing.mode === 'new' ? editing.parentId : undefined}
            teams={list} members={members.data ?? []} onSaved={saved} onCancel={() => setEditing(null)}
            onAddChild={selected ? () => setEditing({ mode: 'new', parentId: selected.id }) : undefined} />
        )
        : (
          <Card size="small"><Empty description={tr(lang, '选择一个团队查看和编辑，或新建团队', 'Pick a team to edit it, or create one')} /></Card>
        )}
    </div>
  );
}

function toTreeNode(n: TeamNode, names: Map<string, string>, lang: 'zh-CN' | 'en'): TreeDataNode {
  const managers = n.team.members.filter((m) => m.isManager).map((m) => names.get(m.userId)).filter(Boolean);
  return {
    key: n.team.id,
    title: (
      <Space size={6} data-testid={`team-node-${n.team.name}`}>
        <span>{n.team.name}</span>
        <Tag style={{ marginInlineEnd: 0 }}>{tr(lang, `${n.team.members.length} 人`, `${n.team.members.length}`)}</Tag>
        {managers.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '负责人', 'Mgr')}: {managers.join('、')}</Typography.Text>}
      </Space>
    ),
    children: n.children.map((c) => toTreeNode(c, names, lang)),
  };
}
