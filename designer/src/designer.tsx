import { Alert, App, Button, Checkbox, Drawer, Empty, Input, Layout, List, Menu, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, createApi, labelOf } from '@crm/ui';
import { newId, proposeKey } from './keys.js';

const api = createApi(() => 'zh-CN');
type Doc = { kind: string; id: string; body: Record<string, any> };
type Field = { id: string; key: string; type: string; label: { 'zh-CN'?: string; en?: string }; required?: boolean; archived?: boolean; options?: { id: string; key: string; label: { 'zh-CN'?: string; en?: string }; active?: boolean }[]; [k: string]: unknown };
type Plan = { planId: string; blocked: boolean; actions: { kind: string; description: string }[]; findings: { description: string; blocking: boolean }[] };

const TYPES: [string, string][] = [
  ['text', '单行文本'], ['textarea', '多行文本'], ['integer', '整数'], ['decimal', '小数'], ['currency', '金额'], ['percent', '百分比'],
  ['date', '日期'], ['datetime', '日期时间'], ['boolean', '是/否'], ['select', '单选'], ['multiselect', '多选'], ['email', '邮箱'],
  ['phone', '电话'], ['url', '网址'], ['address', '地址'], ['relation', '关联对象'], ['user', '用户'], ['file', '附件'],
];

/** The designer: business users change entities and fields in a draft, then publish with a plan in plain words. */
export function Designer() {
  const { message } = App.useApp();
  const [ws, setWs] = useState<string | null>(null);
  const [denied, setDenied] = useState(false);
  const [draft, setDraft] = useState<{ draftRevision: number; publishedRevision: number; documents: Doc[] } | null>(null);
  const [published, setPublished] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ pointer: string; message: string }[]>([]);
  const [adding, setAdding] = useState(false);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [editingField, setEditingField] = useState<Field | null>(null);

  const load = async (slug: string) => {
    const d = await api.get<{ draftRevision: number; publishedRevision: number; documents: Doc[] }>(`/api/w/${slug}/meta/draft`);
    setDraft(d);
    const pub = await api.get<{ documents: Doc[] }>(`/api/w/${slug}/meta`);
    setPublished(new Set(pub.documents.filter((x) => x.kind === 'entity').flatMap((x) => [x.id, ...(x.body.fields as Field[]).map((f) => `${x.id}/${f.id}`)])));
  };
  useEffect(() => {
    api.get<{ data: { workspaces: { slug: string; role: string }[] } }>('/api/auth/me').then(async (me) => {
      const w = me.data.workspaces.find((x) => ['owner', 'admin', 'designer'].includes(x.role));
      if (!w) return setDenied(true);
      setWs(w.slug);
      await load(w.slug);
    }, () => { location.href = '/app/login'; });
  }, []);

  const entities = useMemo(() => (draft?.documents ?? []).filter((d) => d.kind === 'entity').sort((a, b) => a.id.localeCompare(b.id)), [draft]);
  const entity = entities.find((e) => e.id === selected) ?? entities[0];

  const save = async (body: Record<string, any>) => {
    setErrors([]);
    try {
      const res = await api.send<{ draftRevision: number }>('PUT', `/api/w/${ws}/meta/draft/entity/${body.id}`, body, { 'if-match': `"${draft!.draftRevision}"` });
      message.success('草稿已保存');
      await load(ws!);
      setSelected(body.id);
      return res;
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.details.length ? err.details : [{ pointer: '', message: err.message }]);
      throw err;
    }
  };

  const makePlan = async () => {
    setErrors([]);
    try {
      setPlan(await api.send<Plan>('POST', `/api/w/${ws}/meta/plan`));
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.details.length ? err.details : [{ pointer: '', message: err.message }]);
    }
  };
  const publish = async () => {
    try {
      await api.send('POST', `/api/w/${ws}/meta/publish`, { planId: plan!.planId });
      message.success('已发布');
      setPlan(null);
      await load(ws!);
    } catch (err) {
      message.error((err as Error).message);
      if (err instanceof ApiError && err.status === 409) setPlan(null);
    }
  };

  if (denied) return <Alert type="error" style={{ margin: 40 }} title="只有所有者、管理员和设计者可以使用设计器" />;
  if (!draft) return null;
  const fields = (entity?.body.fields ?? []) as Field[];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} theme="light" style={{ borderRight: '1px solid #eee' }}>
        <div className="crm-brand" style={{ color: '#1d4ed8' }}>设计器</div>
        <Menu selectedKeys={entity ? [entity.id] : []} items={entities.map((e) => ({
          key: e.id, label: <span>{labelOf(e.body.label, 'zh-CN')}{e.body.archived ? <Tag style={{ marginLeft: 6 }}>已归档</Tag> : null}</span>, onClick: () => setSelected(e.id),
        }))} />
        <div style={{ padding: 12 }}><NewEntity onCreate={async (body) => { await save(body); }} taken={entities.map((e) => e.body.key as string)} /></div>
      </Layout.Sider>
      <Layout.Content className="crm-page">
        <div className="crm-toolbar">
          <Typography.Title level={4} style={{ margin: 0, marginRight: 'auto' }}>{entity ? `${labelOf(entity.body.label, 'zh-CN')}（${entity.body.key}）` : '还没有对象'}</Typography.Title>
          <Typography.Text type="secondary">草稿版本 {draft.draftRevision} · 已发布 {draft.publishedRevision}</Typography.Text>
          <History ws={ws!} draftRevision={draft.draftRevision} onReverted={() => load(ws!)} />
          <Button type="primary" onClick={makePlan} data-testid="plan">发布…</Button>
        </div>
        {errors.length > 0 && <Alert type="error" style={{ marginBottom: 12 }} title="有问题需要处理" description={<ul style={{ margin: 0 }}>{errors.map((e, i) => <li key={i}><code>{e.pointer}</code> {e.message}</li>)}</ul>} />}
        {!entity ? <Empty description="新建一个对象开始" /> : (
          <>
            <div className="crm-toolbar">
              <Button onClick={() => setAdding(true)} data-testid="add-field">添加字段</Button>
            </div>
            <Table rowKey="id" pagination={false} dataSource={fields} size="middle" columns={[
              { title: '字段名称', render: (_, f: Field) => <span>{labelOf(f.label, 'zh-CN')}{f.archived && <Tag style={{ marginLeft: 6 }}>已归档</Tag>}</span> },
              { title: 'English', render: (_, f: Field) => f.label.en ?? '' },
              { title: '标识', dataIndex: 'key', render: (k: string) => <code>{k}</code> },
              { title: '类型', dataIndex: 'type', render: (t: string) => TYPES.find(([k]) => k === t)?.[1] ?? t },
              { title: '必填', dataIndex: 'required', render: (r: boolean) => (r ? '是' : '') },
              { title: '', render: (_, f: Field) => (
                <Space>
                  <Button size="small" onClick={() => setEditingField(f)} data-testid={`edit-${f.key}`}>设置</Button>
                  {f.key === entity.body.titleField ? <Tag color="blue">标题字段</Tag> : (
                    <Button size="small" onClick={() => save({ ...entity.body, fields: fields.map((x) => (x.id === f.id ? { ...x, archived: !x.archived } : x)) })}>{f.archived ? '恢复' : '归档'}</Button>
                  )}
                </Space>
              ) },
            ]} />
          </>
        )}
      </Layout.Content>
      {adding && entity && (
        <FieldDialog onClose={() => setAdding(false)} published={published} entityId={entity.id}
          onSave={async (f) => { await save({ ...entity.body, fields: [...fields, f] }); setAdding(false); }} />
      )}
      {editingField && entity && (
        <FieldSettings field={editingField} keyLocked={published.has(`${entity.id}/${editingField.id}`)} onClose={() => setEditingField(null)}
          onSave={async (f) => { await save({ ...entity.body, fields: fields.map((x) => (x.id === f.id ? f : x)) }); setEditingField(null); }} />
      )}
      <Modal open={!!plan} width={720} title="发布计划" okText="确认发布" cancelText="取消" onCancel={() => setPlan(null)} onOk={publish}
        okButtonProps={{ disabled: plan?.blocked, ...({ 'data-testid': 'publish' } as Record<string, string>) }}>
        {plan && (
          <>
            {plan.actions.length === 0 ? <Alert type="info" title="没有需要发布的变更" /> : (
              <List size="small" header={<b>将要执行</b>} dataSource={plan.actions} renderItem={(a) => <List.Item>{a.description}</List.Item>} />
            )}
            {plan.findings.length > 0 && (
              <List size="small" style={{ marginTop: 12 }} header={<b>对现有数据的影响</b>} dataSource={plan.findings}
                renderItem={(f) => <List.Item><Typography.Text type={f.blocking ? 'danger' : undefined}>{f.description}</Typography.Text></List.Item>} />
            )}
          </>
        )}
      </Modal>
    </Layout>
  );
}

function NewEntity(p: { onCreate: (body: Record<string, unknown>) => Promise<void>; taken: string[] }) {
  const [open, setOpen] = useState(false);
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const id = useMemo(() => newId('ent'), [open]);
  const key = proposeKey(en || zh, id);
  return (
    <>
      <Button block onClick={() => setOpen(true)} data-testid="new-entity">新建对象</Button>
      <Modal open={open} title="新建对象" okText="创建" cancelText="取消" onCancel={() => setOpen(false)} onOk={async () => {
        await p.onCreate({
          id, key, schemaVersion: 1, label: { 'zh-CN': zh, ...(en ? { en } : {}) }, titleField: 'name', ownership: 'owned', rules: [],
          fields: [{ id: newId('fld'), key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' }, required: true, searchable: true }],
        });
        setOpen(false);
      }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input placeholder="中文名称，例如：竞品" value={zh} onChange={(e) => setZh(e.target.value)} data-testid="entity-zh" />
          <Input placeholder="English name, e.g. Competitor" value={en} onChange={(e) => setEn(e.target.value)} data-testid="entity-en" />
          <Typography.Text type="secondary">标识：<code>{key}</code>{p.taken.includes(key) ? '（已存在）' : ''}</Typography.Text>
        </Space>
      </Modal>
    </>
  );
}

function FieldDialog(p: { onClose: () => void; onSave: (f: Field) => Promise<void>; published: Set<string>; entityId: string }) {
  const id = useMemo(() => newId('fld'), []);
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [type, setType] = useState('text');
  const [required, setRequired] = useState(false);
  const [options, setOptions] = useState('');
  const [target, setTarget] = useState('');
  const finalKey = key ?? proposeKey(en || zh, id);
  const build = (): Field => {
    const f: Field = { id, key: finalKey, type, label: { 'zh-CN': zh, ...(en ? { en } : {}) }, ...(required ? { required } : {}) };
    if (type === 'select' || type === 'multiselect') {
      f.options = options.split('\n').map((l) => l.trim()).filter(Boolean).map((l, i) => {
        const [k, label] = l.includes('=') ? l.split('=') : [proposeKey(l, `${id}${i}`), l];
        return { id: `opt_${id.slice(4)}_${i}`, key: k!.trim(), label: { 'zh-CN': label!.trim() }, active: true };
      });
    }
    if (type === 'relation') Object.assign(f, { target, onDelete: 'keep' });
    return f;
  };
  return (
    <Modal open title="添加字段" okText="添加" cancelText="取消" onCancel={p.onClose} onOk={() => p.onSave(build()).catch(() => undefined)} okButtonProps={{ 'data-testid': 'field-ok' } as Record<string, string>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input placeholder="字段名称" value={zh} onChange={(e) => setZh(e.target.value)} data-testid="field-zh" />
        <Input placeholder="English label" value={en} onChange={(e) => setEn(e.target.value)} />
        <Input addonBefore="标识" value={finalKey} onChange={(e) => setKey(e.target.value)} data-testid="field-key" />
        <Select style={{ width: '100%' }} value={type} onChange={setType} options={TYPES.map(([value, label]) => ({ value, label }))} data-testid="field-type" />
        {(type === 'select' || type === 'multiselect') && <Input.TextArea rows={4} placeholder={'每行一个选项，例如：\nhigh=高\nlow=低'} value={options} onChange={(e) => setOptions(e.target.value)} />}
        {type === 'relation' && <Input placeholder="关联对象的标识，例如 accounts" value={target} onChange={(e) => setTarget(e.target.value)} />}
        <Checkbox checked={required} onChange={(e) => setRequired(e.target.checked)}>必填</Checkbox>
      </Space>
    </Modal>
  );
}

/**
 * A field's settings: labels, required, and for selects the options — add,
 * rename, reorder, deactivate (a published option is never deleted: records
 * keep their value). The key is editable only until the field is published.
 */
function FieldSettings(p: { field: Field; keyLocked: boolean; onClose: () => void; onSave: (f: Field) => Promise<void> }) {
  const [f, setF] = useState<Field>(structuredClone(p.field));
  const opts = f.options ?? [];
  const setOpts = (o: NonNullable<Field['options']>) => setF({ ...f, options: o });
  const move = (i: number, d: number) => {
    const o = [...opts];
    const [x] = o.splice(i, 1);
    o.splice(i + d, 0, x!);
    setOpts(o);
  };
  return (
    <Modal open width={640} title={`字段设置：${labelOf(p.field.label, 'zh-CN')}`} okText="保存" cancelText="取消" onCancel={p.onClose}
      onOk={() => p.onSave(f).catch(() => undefined)} okButtonProps={{ ...({ 'data-testid': 'settings-ok' } as Record<string, string>) }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input addonBefore="中文" value={f.label['zh-CN'] ?? ''} onChange={(e) => setF({ ...f, label: { ...f.label, 'zh-CN': e.target.value } })} />
        <Input addonBefore="English" value={f.label.en ?? ''} onChange={(e) => setF({ ...f, label: { ...f.label, en: e.target.value || undefined } })} />
        <Input addonBefore="标识" value={f.key} disabled={p.keyLocked} onChange={(e) => setF({ ...f, key: e.target.value })} />
        {p.keyLocked && <Typography.Text type="secondary">已发布的字段标识不能修改（它是数据库列名）。</Typography.Text>}
        <Checkbox checked={!!f.required} onChange={(e) => setF({ ...f, required: e.target.checked || undefined })}>必填</Checkbox>
        {(f.type === 'select' || f.type === 'multiselect') && (
          <Table rowKey="id" size="small" pagination={false} dataSource={opts} columns={[
            { title: '选项', render: (_, o, i) => <Input size="small" value={o.label['zh-CN'] ?? ''} onChange={(e) => setOpts(opts.map((x, j) => (j === i ? { ...x, label: { ...x.label, 'zh-CN': e.target.value } } : x)))} data-testid={`option-${o.key}`} /> },
            { title: '标识', dataIndex: 'key', render: (k: string) => <code>{k}</code> },
            { title: '', render: (_, o, i) => (
              <Space>
                <Button size="small" disabled={i === 0} onClick={() => move(i, -1)}>↑</Button>
                <Button size="small" disabled={i === opts.length - 1} onClick={() => move(i, 1)}>↓</Button>
                <Button size="small" onClick={() => setOpts(opts.map((x, j) => (j === i ? { ...x, active: x.active === false } : x)))} data-testid={`toggle-${o.key}`}>{o.active === false ? '启用' : '停用'}</Button>
              </Space>
            ) },
          ]} footer={() => (
            <Button size="small" onClick={() => setOpts([...opts, { id: newId('opt'), key: `option_${opts.length + 1}`, label: { 'zh-CN': `选项${opts.length + 1}` }, active: true }])}>添加选项</Button>
          )} />
        )}
      </Space>
    </Modal>
  );
}

/** Published revisions, newest first; reverting puts one back into the draft, to be published with a plan like any change. */
function History(p: { ws: string; draftRevision: number; onReverted: () => Promise<void> }) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<{ revision: number; published_at: string }[]>([]);
  useEffect(() => {
    if (open) api.get<{ data: { revision: number; published_at: string }[] }>(`/api/w/${p.ws}/meta/revisions`).then((r) => setRows(r.data));
  }, [open]);
  const revert = async (revision: number) => {
    try {
      await api.send('POST', `/api/w/${p.ws}/meta/draft/revert`, { revision }, { 'if-match': `"${p.draftRevision}"` });
      message.success(`草稿已恢复到版本 ${revision}，请发布以生效`);
      setOpen(false);
      await p.onReverted();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="history">版本历史</Button>
      <Drawer open={open} onClose={() => setOpen(false)} title="已发布的版本" width={420}>
        <List dataSource={rows} renderItem={(r, i) => (
          <List.Item actions={i === 0 ? [<Tag key="cur">当前</Tag>] : [<Button key="r" size="small" onClick={() => revert(r.revision)} data-testid={`revert-${r.revision}`}>恢复到此版本</Button>]}>
            版本 {r.revision} · {new Date(r.published_at).toLocaleString('zh-CN')}
          </List.Item>
        )} />
      </Drawer>
    </>
  );
}
