import { Alert, Checkbox, Divider, Drawer, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { Controller, useForm, type Control as FormControl } from 'react-hook-form';
import { fieldTypes, KEY_PATTERN, PG_RESERVED, SYSTEM_COLUMNS } from '@crm/metadata';
import { labelOf, widgets, type Lang } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { issuesUnder } from '../state/issues.js';
import type { EntityBody, FieldBody } from '../model.js';
import { tr } from '../shell/i18n.js';
import { patchField, renameKeyEverywhere, takenKeys, uniqueKey } from './field-ops.js';
import { withDoc } from '../state/documents.js';
import { CHOICE_LABELS, SETTING_LABELS, controlsFor, type Control } from './settings-form.js';
import { OptionsEditor } from './options-editor.js';
import { FormulaEditor } from './formula-editor.js';

const KEY_RE = new RegExp(KEY_PATTERN);

/**
 * One field's settings. The form (react-hook-form) mirrors the draft: every
 * change is written to the draft at once (autosaved, undoable) and an undo
 * outside the panel flows back into it. Server findings land on their control.
 */
export function FieldSettings(p: { entityId: string; fieldId: string; locked: boolean; onClose: () => void }) {
  const d = useDraft();
  const { lang } = d;
  const entity = d.docs[`entity/${p.entityId}`]!.body as EntityBody;
  const index = entity.fields.findIndex((f) => f.id === p.fieldId);
  const field = entity.fields[index] as FieldBody;
  const def = fieldTypes[field.type];
  const { control, reset, formState: { errors } } = useForm<FieldBody>({ values: field, mode: 'onChange' });
  useEffect(() => { reset(field); }, [field, reset]);
  const issues = d.issues[`entity/${p.entityId}`];
  const issueAt = (name: string) => issuesUnder(issues, `/fields/${index}/${name}`).map((i) => i.message).join('；') || undefined;
  const write = (name: string, value: unknown) => d.update<EntityBody>('entity', p.entityId, (e) => patchField(e, p.fieldId, { [name]: value } as Partial<FieldBody>), `${p.fieldId}.${name}`);
  const others = takenKeys({ ...entity, fields: entity.fields.filter((f) => f.id !== p.fieldId) });
  const keyFrom = (l: FieldBody['label']) => uniqueKey(l.en || l['zh-CN'] || '', field.id, others);
  // Until the field is published and while nobody typed a key, the key follows the label (pinyin for Chinese).
  const writeLabel = (label: FieldBody['label']) => {
    const follow = !p.locked && field.key === keyFrom(field.label);
    d.change((docs) => {
      const e = docs[`entity/${p.entityId}`]!.body as EntityBody;
      const withLabel = withDoc(docs, 'entity', p.entityId, patchField(e, p.fieldId, { label }));
      return follow ? renameKeyEverywhere(withLabel, p.entityId, field.key, keyFrom(label)) : withLabel;
    }, `${p.fieldId}.label`);
  };

  const keyRules = {
    validate: (k: string) =>
      (!KEY_RE.test(k) && tr(lang, '只能用小写字母、数字和下划线，以字母开头，最长 40 个字符', 'Lower-case letters, digits and _, starting with a letter, at most 40'))
      || ((PG_RESERVED as ReadonlySet<string>).has(k) && tr(lang, `“${k}” 是数据库保留字`, `"${k}" is a reserved word`))
      || ((SYSTEM_COLUMNS as ReadonlySet<string>).has(k) && tr(lang, `“${k}” 是系统字段`, `"${k}" is a system column`))
      || (others.has(k) && tr(lang, '已有字段使用这个标识', 'Another field uses this key'))
      || true,
  };
  const computed = def.computed;
  return (
    <Drawer open width={560} onClose={p.onClose} title={<span data-testid="field-settings">{tr(lang, '字段设置', 'Field settings')} · {labelOf(field.label, lang) || field.key}</span>}>
      <Form layout="vertical" requiredMark={false}>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item label={tr(lang, '名称（中文）', 'Label (Chinese)')} style={{ flex: 1 }} validateStatus={issueAt('label') ? 'error' : undefined} help={issueAt('label')}>
            <Controller control={control} name="label" render={({ field: f }) => (
              <Input value={f.value?.['zh-CN'] ?? ''} data-testid="setting-label-zh" onChange={(e) => { const v = { ...f.value, 'zh-CN': e.target.value }; f.onChange(v); writeLabel(v); }} />
            )} />
          </Form.Item>
          <Form.Item label={tr(lang, '名称（英文）', 'Label (English)')} style={{ flex: 1, marginLeft: 8 }}>
            <Controller control={control} name="label" render={({ field: f }) => (
              <Input value={f.value?.en ?? ''} data-testid="setting-label-en" onChange={(e) => { const v = { ...f.value, en: e.target.value || undefined }; f.onChange(v); writeLabel(v); }} />
            )} />
          </Form.Item>
        </Space.Compact>
        <Form.Item label={tr(lang, '标识（API 与数据库列名）', 'Key (API and column name)')} validateStatus={errors.key || issueAt('key') ? 'error' : undefined}
          help={errors.key?.message ?? issueAt('key') ?? (p.locked ? tr(lang, '已发布的字段标识不能修改', 'A published key cannot change') : undefined)}>
          <Controller control={control} name="key" rules={keyRules} render={({ field: f }) => (
            <Input value={f.value} disabled={p.locked} data-testid="setting-key" onChange={(e) => { f.onChange(e.target.value); d.change((docs) => renameKeyEverywhere(docs, p.entityId, field.key, e.target.value), `${p.fieldId}.key`); }} />
          )} />
        </Form.Item>
        <Typography.Text type="secondary">{tr(lang, '类型', 'Type')}：{labelOf(def.label, lang)}</Typography.Text>
        <Divider style={{ margin: '12px 0' }} />
        <Space wrap size={16} style={{ marginBottom: 12 }}>
          {!computed && <Flag control={control} name="required" label={tr(lang, '必填', 'Required')} write={write} />}
          {def.supports.unique && <Flag control={control} name="unique" label={tr(lang, '唯一', 'Unique')} write={write} />}
          {def.supports.indexed && <Flag control={control} name="indexed" label={tr(lang, '建索引（加快筛选和排序）', 'Indexed')} write={write} />}
          {def.supports.searchable && <Flag control={control} name="searchable" label={tr(lang, '可全局搜索', 'Searchable')} write={write} />}
        </Space>
        {issueAt('unique') && <Alert type="error" title={issueAt('unique')} style={{ marginBottom: 8 }} />}
        {controlsFor(field.type).map((c) => (
          <SettingControl key={c.name} c={c} entity={entity} field={field} lang={lang} control={control} write={write} issue={issueAt(c.name)} />
        ))}
        {!computed && field.type !== 'file' && (
          <Form.Item label={tr(lang, '默认值', 'Default value')} validateStatus={issueAt('defaultValue') ? 'error' : undefined} help={issueAt('defaultValue')}>
            <Controller control={control} name="defaultValue" render={({ field: f }) => (
              <>{widgets[field.type].Input({ field: field as never, value: f.value ?? null, ctx: { lang, api: d.api, ws: d.ws }, onChange: (v) => { f.onChange(v); write('defaultValue', v === null ? undefined : v); } })}</>
            )} />
          </Form.Item>
        )}
        <Form.Item label={tr(lang, '帮助说明（显示在表单上）', 'Help text (shown on forms)')}>
          <Controller control={control} name="help" render={({ field: f }) => (
            <Input.TextArea rows={2} value={(f.value as { 'zh-CN'?: string } | undefined)?.['zh-CN'] ?? ''} onChange={(e) => {
              const v = e.target.value ? { ...(f.value as object | undefined), 'zh-CN': e.target.value } : undefined;
              f.onChange(v); write('help', v);
            }} />
          )} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function Flag(p: { control: FormControl<FieldBody>; name: 'required' | 'unique' | 'indexed' | 'searchable'; label: string; write: (n: string, v: unknown) => void }) {
  return (
    <Controller control={p.control} name={p.name} render={({ field: f }) => (
      <Checkbox checked={!!f.value} data-testid={`setting-${p.name}`} onChange={(e) => { f.onChange(e.target.checked); p.write(p.name, e.target.checked || undefined); }}>{p.label}</Checkbox>
    )} />
  );
}

function SettingControl(p: { c: Control; entity: EntityBody; field: FieldBody; lang: Lang; control: FormControl<FieldBody>; write: (n: string, v: unknown) => void; issue?: string }) {
  const d = useDraft();
  const { c, lang } = p;
  const label = SETTING_LABELS[c.name] ? tr(lang, ...SETTING_LABELS[c.name]!) : c.name;
  const entities = docsOf<EntityBody>(d.docs, 'entity').map((x) => x.body).filter((x) => !x.archived);
  const name = c.name as keyof FieldBody & string;
  const render = (value: unknown, onChange: (v: unknown) => void) => {
    const set = (v: unknown) => { onChange(v); p.write(c.name, v === '' || v === null ? undefined : v); };
    switch (c.kind) {
      case 'integer': return <InputNumber precision={0} min={c.min} max={c.max} value={value as number | null} onChange={(v) => set(v ?? undefined)} />;
      case 'boolean': return <Switch checked={!!value} onChange={set} />;
      case 'choice': return <Select value={value as string} onChange={set} allowClear={!c.required} style={{ width: 260 }} data-testid={`setting-${c.name}`}
        options={c.choices.map((x) => ({ value: x, label: CHOICE_LABELS[x] ? tr(lang, ...CHOICE_LABELS[x]!) : x }))} />;
      case 'tags': return <Select mode="tags" value={(value as string[]) ?? []} onChange={(v: string[]) => set(v.length ? v : undefined)} open={false} />;
      case 'text': return <Input value={(value as string) ?? ''} maxLength={c.maxLength} onChange={(e) => set(e.target.value)} data-testid={`setting-${c.name}`} />;
      case 'readonly': return <Typography.Text type="secondary">{String(value ?? tr(lang, '无', 'none'))}{tr(lang, '（在“销售流程”中管理）', ' (managed in Pipeline)')}</Typography.Text>;
      case 'options': return <OptionsEditor entityId={p.entity.id} field={p.field} />;
      case 'formula': return <FormulaEditor entity={p.entity} field={p.field} onChange={set} />;
      case 'entity': return <Select showSearch optionFilterProp="label" value={value as string} onChange={set} style={{ width: 260 }} data-testid="setting-target"
        options={entities.map((e) => ({ value: e.key, label: `${labelOf(e.label, lang)} (${e.key})` }))} />;
      case 'relationField': return <Select value={value as string} onChange={set} style={{ width: 260 }}
        options={p.entity.fields.filter((f) => f.type === 'relation' && !f.archived).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />;
      case 'targetField': {
        const rel = p.entity.fields.find((f) => f.key === p.field.through);
        const target = entities.find((e) => e.key === rel?.target);
        return <Select value={value as string} onChange={set} style={{ width: 260 }} disabled={!target}
          options={(target?.fields ?? []).filter((f) => !f.archived).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />;
      }
      case 'childEntity': return <Select value={value as string} onChange={set} style={{ width: 260 }}
        options={entities.filter((e) => e.fields.some((f) => f.type === 'relation' && f.target === p.entity.key)).map((e) => ({ value: e.key, label: labelOf(e.label, lang) }))} />;
      case 'childRelation': {
        const child = entities.find((e) => e.key === p.field.child);
        return <Select value={value as string} onChange={set} style={{ width: 260 }}
          options={(child?.fields ?? []).filter((f) => f.type === 'relation' && f.target === p.entity.key).map((f) => ({ value: f.key, label: labelOf(f.label, lang) }))} />;
      }
      case 'childField': {
        const child = entities.find((e) => e.key === p.field.child);
        return <Select value={value as string} onChange={set} allowClear style={{ width: 260 }}
          options={(child?.fields ?? []).filter((f) => ['integer', 'decimal', 'currency', 'percent', 'date', 'datetime'].includes(f.type) && !f.archived).map((f) => ({ value: f.key, label: labelOf(f.label, lang) }))} />;
      }
    }
  };
  return (
    <Form.Item label={label} required={c.required} validateStatus={p.issue ? 'error' : undefined} help={p.issue}>
      <Controller control={p.control} name={name} render={({ field: f }) => <>{render(f.value, f.onChange)}</>} />
    </Form.Item>
  );
}

