import { Button, Checkbox, Dropdown, Select, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { Scope } from '@crm/metadata';
import { labelOf, type Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf } from '../state/documents.js';
import { issuesText, issuesUnder, type DocIssue } from '../state/issues.js';
import type { EntityBody, RoleBody } from '../model.js';
import {
  permissionOf, pointerPart, poolPointer, removeEntity, RIGHTS, SCOPE_ORDER, scopesFor, setColumn, setPool, setRight, strayEntities, type ScopedRight,
} from './admin-ops.js';
import { nameOf, RIGHT_NAMES, SCOPE_NAMES } from './admin-labels.js';

interface Row { key: string; entity: EntityBody | undefined }

/**
 * Rights of one role per entity of the draft: create (yes/no), read, update,
 * delete (a scope each) and claiming from the public pool. Each change is one
 * undo step; the validator's findings show on the cell they concern.
 */
export function RoleMatrix({ roleId }: { roleId: string }) {
  const d = useDraft();
  const { lang } = d;
  const role = d.docs[docKey('role', roleId)]!.body as RoleBody;
  const issues = d.issues[docKey('role', roleId)] ?? [];
  const entities = docsOf<EntityBody>(d.docs, 'entity').map((e) => e.body).filter((e) => !e.archived);
  const live = entities.map((e) => e.key);
  const rows: Row[] = [...entities.map((e) => ({ key: e.key, entity: e })), ...strayEntities(role, live).map((key) => ({ key, entity: undefined }))];
  const change = (fn: (r: RoleBody) => RoleBody) => d.update<RoleBody>('role', roleId, fn);
  const cellIssues = (ptr: string | undefined) => (ptr ? issuesUnder(issues, ptr) : []);
  const base = (key: string) => `/permissions/${pointerPart(key)}`;

  const scopeColumn = (right: ScopedRight) => ({
    title: <ColumnTitle lang={lang} right={right} onAll={(v) => change((r) => setColumn(r, live, right, v))} />,
    key: right, width: 150,
    render: (_: unknown, row: Row) => {
      if (!row.entity) return null;
      const value = permissionOf(role, row.key)[right];
      const allowed = scopesFor(row.entity);
      const found = cellIssues(`${base(row.key)}/${right}`);
      return (
        <Tooltip title={issuesText(found)} color="red">
          <Select size="small" style={{ width: 136 }} value={value} status={found.length ? 'error' : undefined} data-testid={`perm-${row.key}-${right}`}
            onChange={(v: Scope) => change((r) => setRight(r, row.key, right, v))}
            options={(allowed.includes(value) ? allowed : [...allowed, value]).map((s) => ({ value: s, label: nameOf(SCOPE_NAMES, s, lang), disabled: !allowed.includes(s) }))} />
        </Tooltip>
      );
    },
  });

  const columns: TableColumnsType<Row> = [
    {
      title: tr(lang, '对象', 'Entity'), key: 'entity', width: 240,
      render: (_, row) => {
        // Every finding of the row reads here, in the widest column; the cells only turn red.
        const own = [...issuesUnder(issues, base(row.key)), ...cellIssues(poolPointer(role, row.key))];
        return (
          <div>
            {row.entity ? <b>{labelOf(row.entity.label, lang) || row.key}</b> : <Typography.Text delete type="secondary">{row.key}</Typography.Text>}
            <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>{row.entity ? row.key : tr(lang, '对象已归档或已删除', 'entity archived or removed')}</Typography.Text>
            <Issues list={own} lang={lang} />
          </div>
        );
      },
    },
    {
      title: <ColumnTitle lang={lang} right="create" onAll={(v) => change((r) => setColumn(r, live, 'create', v))} />, key: 'create', width: 90, align: 'center',
      render: (_, row) => row.entity && (
        <Checkbox checked={permissionOf(role, row.key).create} data-testid={`perm-${row.key}-create`}
          onChange={(e) => change((r) => setRight(r, row.key, 'create', e.target.checked))} />
      ),
    },
    ...RIGHTS.map(scopeColumn),
    {
      title: <Tooltip title={tr(lang, '可以从公海（无负责人的记录）领取记录', 'May claim unowned records from the public pool')}>{tr(lang, '公海领取', 'Pool claim')}</Tooltip>,
      key: 'pool', width: 100, align: 'center',
      render: (_, row) => {
        if (!row.entity) return <Button size="small" type="link" danger onClick={() => change((r) => removeEntity(r, row.key))} data-testid={`perm-${row.key}-remove`}>{tr(lang, '移除', 'Remove')}</Button>;
        // Not owned: no pool, unless the role lists one anyway (then it can be unticked).
        if (row.entity.ownership !== 'owned' && !(role.pool ?? []).includes(row.key)) return <Typography.Text type="secondary">—</Typography.Text>;
        const found = cellIssues(poolPointer(role, row.key));
        return (
          <Tooltip title={issuesText(found)} color="red">
            <span style={found.length ? { outline: '2px solid #ff4d4f', borderRadius: 4, padding: 2 } : undefined}>
              <Checkbox checked={(role.pool ?? []).includes(row.key)} data-testid={`perm-${row.key}-pool`}
                onChange={(e) => change((r) => setPool(r, row.key, e.target.checked))} />
            </span>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <>
      <Table<Row> rowKey="key" size="small" pagination={false} columns={columns} dataSource={rows} data-testid="role-matrix" />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '10px 0 0' }}>
        {tr(lang,
          '范围从窄到宽：无 → 本人（自己负责的）→ 本团队 → 本团队及下级 → 全部。编辑和删除的范围不会大于查看范围。没有负责人的对象只有“无”和“全部”。修改会保存到草稿，发布后生效。',
          'Scopes, narrowest first: none → own (records they own) → team → team and below → all. Update and delete never reach further than read. Entities without owners only know none and all. Changes go to the draft and apply when published.')}
      </Typography.Paragraph>
    </>
  );
}

/** A column header with "set every entity to…" for quick starts (e.g. read all). */
function ColumnTitle(p: { lang: Lang; right: ScopedRight | 'create'; onAll: (v: Scope | boolean) => void }) {
  const { lang, right } = p;
  const items = right === 'create'
    ? [{ key: 'true', label: tr(lang, '全部允许', 'Allow all') }, { key: 'false', label: tr(lang, '全部不允许', 'Allow none') }]
    : SCOPE_ORDER.map((s) => ({ key: s, label: tr(lang, `全部设为“${nameOf(SCOPE_NAMES, s, 'zh-CN')}”`, `Set all to "${nameOf(SCOPE_NAMES, s, 'en')}"`) }));
  return (
    <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => p.onAll(right === 'create' ? key === 'true' : (key as Scope)) }}>
      <Button type="text" size="small" style={{ fontWeight: 600, padding: '0 4px' }} data-testid={`perm-all-${right}`}>{nameOf(RIGHT_NAMES, right, lang)} ▾</Button>
    </Dropdown>
  );
}

function Issues({ list, lang }: { list: readonly DocIssue[]; lang: Lang }) {
  if (!list.length) return null;
  return <div className="issue-text" data-testid="perm-issue">{issuesText(list)}</div>;
}
