import { Badge, Button, Empty, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf } from '../state/documents.js';
import { newId } from '../entities/keys.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, ViewBody } from '../model.js';
import { duplicateView, newView, type ViewType } from './view-ops.js';
import { ViewEditor } from './view-editor.js';
import { ViewPreview } from './view-preview.js';

const TYPE_LABEL: Record<ViewType, [string, string, string]> = {
  list: ['列表', 'List', 'blue'],
  kanban: ['看板', 'Kanban', 'purple'],
};

/**
 * The entity's saved list and kanban views: the list on the left, the
 * selected view's editor on the right with sample records under it.
 */
export function ViewsTab({ entityId }: { entityId: string }) {
  const d = useDraft();
  const { lang } = d;
  const entity = d.docs[docKey('entity', entityId)]?.body as EntityBody | undefined;
  // Published views first, new ones after them, so that adding one does not reshuffle the list.
  const views = entity
    ? docsOf<ViewBody>(d.docs, 'view').filter((v) => v.body.entity === entity.key)
      .sort((a, b) => Number(!d.published[docKey('view', a.id)]) - Number(!d.published[docKey('view', b.id)]))
    : [];
  const [selected, setSelected] = useState<string | null>(null);
  if (!entity) return null;
  const current = views.find((v) => v.id === selected) ?? views[0];

  const add = (type: ViewType) => {
    const id = newId('vw');
    const label = type === 'list' ? { 'zh-CN': '新列表视图', en: 'New list view' } : { 'zh-CN': '新看板视图', en: 'New kanban view' };
    d.edit('view', id, newView({ id, entity, type, label }));
    setSelected(id);
  };
  const duplicate = (v: ViewBody) => {
    const id = newId('vw');
    d.edit('view', id, duplicateView(v, id));
    setSelected(id);
  };
  const remove = (id: string) => {
    d.edit('view', id, null);
    if (current?.id === id) setSelected(views.find((v) => v.id !== id)?.id ?? null);
  };

  return (
    <>
      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
        <div style={{ width: 260, flex: '0 0 260px', background: '#fff', borderRadius: 8, padding: 12, border: '1px solid #eee' }}>
          <Space wrap size={6} style={{ marginBottom: 10 }}>
            <Button size="small" onClick={() => add('list')} data-testid="add-list-view">{tr(lang, '+ 列表视图', '+ List view')}</Button>
            <Button size="small" onClick={() => add('kanban')} data-testid="add-kanban-view">{tr(lang, '+ 看板视图', '+ Kanban view')}</Button>
          </Space>
          {!views.length && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tr(lang, '还没有视图', 'No views yet')} />}
          <div style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            {views.map((v) => {
              const isNew = !d.published[docKey('view', v.id)];
              const issueCount = (d.issues[docKey('view', v.id)] ?? []).length;
              const [zh, en, color] = TYPE_LABEL[v.body.type];
              return (
                <div key={v.id} data-testid={`view-${v.id}`} onClick={() => setSelected(v.id)}
                  style={{ padding: '6px 8px', borderRadius: 6, cursor: 'pointer', background: v.id === current?.id ? '#e6f4ff' : undefined }}>
                  <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                    <Badge count={issueCount} size="small" offset={[4, 0]}>
                      <Typography.Text strong ellipsis style={{ maxWidth: 150 }}>{labelOf(v.body.label, lang) || v.id}</Typography.Text>
                    </Badge>
                    <Tag color={color} style={{ marginLeft: 'auto', marginRight: 0 }}>{tr(lang, zh, en)}</Tag>
                  </div>
                  <div style={{ display: 'flex', alignItems: 'center', gap: 4, marginTop: 2 }}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {v.body.roles?.length ? tr(lang, `${v.body.roles.length} 个角色可见`, `${v.body.roles.length} role(s)`) : tr(lang, '所有人可见', 'Everyone')}
                    </Typography.Text>
                    {isNew && <Tag color="gold" style={{ fontSize: 11, lineHeight: '16px' }}>{tr(lang, '未发布', 'new')}</Tag>}
                    <span style={{ marginLeft: 'auto' }} onClick={(e) => e.stopPropagation()}>
                      <Button size="small" type="link" style={{ padding: '0 4px' }} onClick={() => duplicate(v.body)} data-testid={`view-duplicate-${v.id}`}>{tr(lang, '复制', 'Copy')}</Button>
                      <Popconfirm title={tr(lang, '从草稿中删除这个视图？', 'Delete this view from the draft?')} okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}
                        onConfirm={() => remove(v.id)}>
                        <Button size="small" type="link" danger style={{ padding: '0 4px' }} data-testid={`view-delete-${v.id}`}>{tr(lang, '删除', 'Delete')}</Button>
                      </Popconfirm>
                    </span>
                  </div>
                </div>
              );
            })}
          </div>
        </div>
        <div style={{ flex: 1, minWidth: 0 }}>
          {current
            ? <ViewEditor key={current.id} view={current.body} entity={entity} />
            : <Empty description={tr(lang, '新建一个列表或看板视图', 'Add a list or kanban view')} />}
        </div>
      </div>
      {current && <ViewPreview view={current.body} entity={entity} />}
    </>
  );
}
