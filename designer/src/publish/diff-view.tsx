import { Empty, List, Space, Tag, Typography } from 'antd';
import { labelOf, type Lang } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { DocDiff } from './diff.js';

const KIND: Record<string, [string, string]> = {
  entity: ['对象', 'Entity'], layout: ['表单布局', 'Form layout'], view: ['视图', 'View'], pipeline: ['销售流程', 'Pipeline'], role: ['角色', 'Role'], flow: ['自动化', 'Automation'],
};
const CHANGE: Record<string, [string, string, string]> = {
  added: ['新增', 'added', 'green'], removed: ['移除', 'removed', 'red'], changed: ['修改', 'changed', 'blue'], archived: ['归档', 'archived', 'orange'], restored: ['恢复', 'restored', 'cyan'],
};

/** A list of document changes, fields spelled out for entities. */
export function DiffView(p: { diffs: DocDiff[]; lang: Lang }) {
  const { lang } = p;
  if (!p.diffs.length) return <Empty description={tr(lang, '没有差异', 'No differences')} />;
  const tag = (c: string) => <Tag color={CHANGE[c]![2]}>{tr(lang, CHANGE[c]![0], CHANGE[c]![1])}</Tag>;
  return (
    <List size="small" dataSource={p.diffs} data-testid="diff" renderItem={(d) => (
      <List.Item>
        <div style={{ width: '100%' }}>
          <Space>
            {tag(d.change)}
            <Typography.Text type="secondary">{KIND[d.kind] ? tr(lang, ...KIND[d.kind]!) : d.kind}</Typography.Text>
            <b>{labelOf(d.label, lang) || d.id}</b>
            {d.parts.length > 0 && <Typography.Text type="secondary">{tr(lang, '变更：', 'changed: ')}{d.parts.join(', ')}</Typography.Text>}
          </Space>
          {d.fields.length > 0 && (
            <ul style={{ margin: '4px 0 0 20px', padding: 0 }}>
              {d.fields.map((f) => (
                <li key={f.id}>{tag(f.change)}{labelOf(f.label, lang) || f.key} <code>{f.key}</code>{f.settings.length > 0 && <Typography.Text type="secondary"> · {f.settings.join(', ')}</Typography.Text>}</li>
              ))}
            </ul>
          )}
        </div>
      </List.Item>
    )} />
  );
}
