import { AutoComplete, Button, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { DURATION_UNITS, isFieldType, type Step, type StepKind } from '@crm/metadata';
import { labelOf, RuleBuilder, type Lang, type UiField, type WidgetContext } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { issuesText } from '../state/issues.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody } from '../model.js';
import { LabelInputs } from '../views/label-inputs.js';
import { CHOICE_LABELS, configLabel, visibleControls, type ConfigControl, type ControlKind } from './config-form.js';
import type { FlowEditor } from './editor.js';
import { ruleFields } from './rule-fields.js';
import { configIssues, type FlowBody } from './flow-ops.js';
import { RecipientInput, RecipientsEditor } from './recipients-editor.js';
import { findStep, updateStep } from './step-tree.js';
import { TemplateInput } from './template-input.js';
import { useMembers, useTeamNames, type MemberName } from './use-workspace.js';
import { ValueInput } from './value-input.js';
import { ValuesEditor } from './values-editor.js';
import { hasInputs, hasPrevious, variablesAt, type VarOption } from './variables.js';

/** What every control renderer gets. */
interface ControlProps {
  c: ConfigControl;
  kind: StepKind;
  step: Step;
  config: Record<string, any>;
  value: any;
  /** Sets the property (`undefined` leaves it out). */
  set: (v: unknown) => void;
  /** Sets several properties in one undo step (an entity and what depends on it). */
  patch: (p: Record<string, unknown>) => void;
  ed: FlowEditor;
  vars: VarOption[];
  widget: WidgetContext;
  members: MemberName[] | undefined;
  lang: Lang;
  /** Issues under the property, by the rest of their pointer (`/status` of `values`). */
  issueAt: (rest?: string) => string | undefined;
  testId: string;
}

/** The entity a step works on: the one it names, else the trigger's. */
export const stepEntity = (ed: FlowEditor, config: Record<string, any>): EntityBody | undefined =>
  typeof config.entity === 'string' ? ed.entities.find((e) => e.key === config.entity) : ed.entity;

const liveFields = (e: EntityBody | undefined) => ((e?.fields ?? []) as FieldBody[]).filter((f) => !f.archived && isFieldType(f.type));
const fieldOptions = (fs: FieldBody[], lang: Lang) => fs.map((f) => ({ value: f.key, label: `${labelOf(f.label, lang) || f.key} (${f.key})` }));

/** Which fields a field picker offers, per kind and property (default: the live fields of the step's entity). */
const FIELD_FILTERS: Record<string, (f: FieldBody, ed: FlowEditor, own: EntityBody | undefined) => boolean> = {
  'loop.field': (f, ed) => f.type === 'relation' && f.target === ed.entity?.key,
  'find_duplicate.link': (f, _ed, own) => f.type === 'relation' && f.target === own?.key,
};

/** Literals of a value property that is not a record field are typed like this field. */
const VALUE_FIELDS: Record<string, UiField> = { 'wait_until.at': { key: 'at', type: 'datetime', label: {} } };

const ownerless = (ed: FlowEditor) => !ed.entity || ed.entity.ownership === 'none';

/** One renderer per control kind: exhaustive, so a new kind of setting does not compile without its control. */
const CONTROLS: Record<ControlKind, (p: ControlProps) => ReactNode> = {
  template: (p) => p.c.kind === 'template' && (
    <TemplateInput value={p.value} onChange={p.set} vars={p.vars} lang={p.lang} multiline={p.c.multiline} maxLength={p.c.maxLength}
      triggerInputs={hasInputs(p.ed.flow.trigger)} status={p.issueAt() ? 'error' : undefined} testId={p.testId} />
  ),
  choice: (p) => p.c.kind === 'choice' && (
    <Select value={p.value} onChange={p.set} allowClear={!p.c.required} style={{ width: 260 }} data-testid={p.testId}
      options={p.c.choices.map((x) => ({ value: x, label: CHOICE_LABELS[x] ? tr(p.lang, ...CHOICE_LABELS[x]!) : x }))} />
  ),
  integer: (p) => p.c.kind === 'integer' && (
    <InputNumber precision={0} min={p.c.min} max={p.c.max} value={p.value ?? null} onChange={(v) => p.set(v ?? undefined)} data-testid={p.testId} />
  ),
  // Written out either way: a setting left out may default to on (find_duplicate's openOnly).
  boolean: (p) => <Switch checked={!!p.value} onChange={(v) => p.set(v)} data-testid={p.testId} />,
  duration: (p) => {
    const d = (p.value ?? { amount: 1, unit: 'days' }) as { amount: number; unit: string };
    return (
      <Space.Compact>
        <InputNumber precision={0} min={0} max={3650} value={d.amount} style={{ width: 110 }} onChange={(n) => p.set({ ...d, amount: n ?? 0 })} data-testid={`${p.testId}-amount`} />
        <Select value={d.unit} style={{ width: 100 }} onChange={(unit) => p.set({ ...d, unit })} data-testid={`${p.testId}-unit`}
          options={DURATION_UNITS.map((u) => ({ value: u, label: tr(p.lang, ...CHOICE_LABELS[u]!) }))} />
        {!p.c.required && p.value && <Button onClick={() => p.set(undefined)}>{tr(p.lang, '不设', 'None')}</Button>}
      </Space.Compact>
    );
  },
  label: (p) => (
    <LabelInputs optional value={p.value ?? {}} testId={p.testId} size="small"
      onChange={(lang, text) => {
        const next = { ...(p.value ?? {}), [lang]: text || undefined };
        p.set(next['zh-CN'] || next.en ? Object.fromEntries(Object.entries(next).filter(([, v]) => v)) : undefined);
      }} />
  ),
  rule: (p) => {
    const inLoop = p.kind === 'loop';
    const e = inLoop ? stepEntity(p.ed, p.config) : p.ed.entity;
    if (!e) return <Typography.Text type="secondary">{tr(p.lang, '没有触发记录时，条件只能读取当前时间。', 'Without a trigger record a condition can only read the time.')}</Typography.Text>;
    return (
      <div>
        <RuleBuilder fields={ruleFields(e)} ownership={e.ownership} value={p.value} lang={p.lang} testId={p.testId}
          previous={!inLoop && hasPrevious(p.ed.flow.trigger)} onChange={(logic) => p.set(logic)} />
        {!p.c.required && p.value && <Button size="small" type="link" onClick={() => p.set(undefined)}>{tr(p.lang, '清除条件', 'Clear')}</Button>}
      </div>
    );
  },
  entity: (p) => (
    <Select showSearch optionFilterProp="label" value={p.value} allowClear={!p.c.required} style={{ width: 260 }} data-testid={p.testId}
      placeholder={p.kind === 'create_task' ? tr(p.lang, '默认：任务', 'Default: tasks') : p.kind === 'create_activity' ? tr(p.lang, '默认：活动记录', 'Default: activities') : p.kind === 'update_record' ? tr(p.lang, '默认：触发记录的对象', 'Default: the trigger entity') : undefined}
      onChange={(key?: string) => {
        // Fields, values and filters belong to the entity: a new entity starts them afresh.
        const next = p.ed.entities.find((e) => e.key === key);
        const reset: Record<string, unknown> = { entity: key };
        if ('values' in p.config) reset.values = {};
        if ('filter' in p.config) reset.filter = undefined;
        if (p.kind === 'loop') reset.field = liveFields(next).find((f) => f.type === 'relation' && f.target === p.ed.entity?.key)?.key ?? p.config.field;
        p.patch(reset);
      }}
      options={p.ed.entities.map((e) => ({ value: e.key, label: `${labelOf(e.label, p.lang)} (${e.key})` }))} />
  ),
  field: (p) => {
    const own = stepEntity(p.ed, p.config);
    const filter = FIELD_FILTERS[`${p.kind}.${p.c.name}`];
    const fs = liveFields(own).filter((f) => !filter || filter(f, p.ed, own));
    return <Select showSearch optionFilterProp="label" value={p.value} allowClear={!p.c.required} style={{ width: 260 }} data-testid={p.testId}
      onChange={(v) => p.set(v ?? undefined)} options={fieldOptions(fs, p.lang)} />;
  },
  fields: (p) => (
    <Select mode="multiple" showSearch optionFilterProp="label" value={p.value ?? []} style={{ width: '100%' }} data-testid={p.testId}
      onChange={(v: string[]) => p.set(v)} options={fieldOptions(liveFields(stepEntity(p.ed, p.config)), p.lang)} />
  ),
  values: (p) => (
    <ValuesEditor value={p.value} onChange={p.set} entity={p.kind === 'http_request' ? undefined : stepEntity(p.ed, p.config)} freeKeys={p.kind === 'http_request'}
      vars={p.vars} lang={p.lang} ctx={p.widget} triggerInputs={hasInputs(p.ed.flow.trigger)} testId={p.testId}
      issueAt={(key) => p.issueAt(`/${key}`)} />
  ),
  headers: (p) => <HeadersEditor {...p} />,
  recipients: (p) => <RecipientsEditor value={p.value} onChange={p.set} members={p.members} vars={p.vars} lang={p.lang} testId={p.testId} ownerless={ownerless(p.ed)} />,
  recipient: (p) => <RecipientInput value={p.value} onChange={p.set} members={p.members} vars={p.vars} lang={p.lang} testId={p.testId} ownerless={ownerless(p.ed)} />,
  value: (p) => <ValueInput value={p.value} onChange={p.set} field={VALUE_FIELDS[`${p.kind}.${p.c.name}`]} vars={p.vars} lang={p.lang} ctx={p.widget} testId={p.testId} />,
  recordRef: (p) => (
    <Select value={p.value?.var ?? ''} style={{ width: '100%' }} data-testid={p.testId} onChange={(v: string) => p.set(v ? { var: v } : undefined)}
      options={[{ value: '', label: tr(p.lang, '触发记录', 'The trigger record') },
        ...p.vars.filter((v) => v.type === 'id').map((v) => ({ value: v.name, label: `${v.step ? `${v.step.label[p.lang === 'en' ? 1 : 0]} · ` : ''}${v.label[p.lang === 'en' ? 1 : 0]} (${v.name})` }))]} />
  ),
  member: (p) => (
    <Select showSearch optionFilterProp="label" allowClear value={p.value} style={{ width: 260 }} data-testid={p.testId} onChange={(v) => p.set(v ?? undefined)}
      options={(p.members ?? []).filter((m) => m.status !== 'inactive' || m.id === p.value).map((m) => ({ value: m.id, label: m.name }))} />
  ),
  memberMap: (p) => <MemberMapEditor {...p} />,
  team: (p) => <TeamInput {...p} />,
  activityType: (p) => {
    const activities = p.ed.entities.find((e) => e.key === (p.config.entity ?? 'activities'));
    const options = ((activities?.fields ?? []) as FieldBody[]).find((f) => f.type === 'select' && !f.archived)?.options ?? [];
    return options.length
      ? <Select value={p.value} style={{ width: 260 }} data-testid={p.testId} onChange={p.set} options={options.map((o) => ({ value: o.key, label: labelOf(o.label, p.lang) || o.key }))} />
      : <Input value={p.value ?? ''} style={{ width: 260 }} data-testid={p.testId} onChange={(e) => p.set(e.target.value || undefined)} />;
  },
  flow: (p) => <FlowPicker {...p} />,
};

/** Another flow of the workspace (the draft's: a flow published together with this one may be called). */
function FlowPicker(p: ControlProps) {
  const d = useDraft();
  const flows = docsOf<FlowBody>(d.docs, 'flow').filter((f) => f.id !== p.ed.flowId);
  return <Select showSearch optionFilterProp="label" value={p.value} style={{ width: 260 }} data-testid={p.testId} onChange={p.set}
    options={flows.map((f) => ({ value: f.id, label: `${labelOf(f.body.label, p.lang) || f.id} (${f.id})` }))} />;
}

/** HTTP headers: name -> template rows. */
function HeadersEditor(p: ControlProps) {
  const [name, setName] = useState('');
  const headers = (p.value ?? {}) as Record<string, string>;
  const set = (next: Record<string, string>) => p.set(Object.keys(next).length ? next : undefined);
  const ok = /^[A-Za-z0-9-]{1,64}$/.test(name) && !(name in headers);
  return (
    <div className="flow-values" data-testid={p.testId}>
      {Object.entries(headers).map(([k, v]) => (
        <div key={k} className="flow-values-row">
          <div className="flow-values-key"><code>{k}</code><Button size="small" type="text" onClick={() => set(Object.fromEntries(Object.entries(headers).filter(([x]) => x !== k)))}>✕</Button></div>
          <TemplateInput value={v} vars={p.vars} lang={p.lang} onChange={(t) => set({ ...headers, [k]: t ?? '' })} />
        </div>
      ))}
      <Space.Compact size="small">
        <Input size="small" placeholder="X-Source" value={name} onChange={(e) => setName(e.target.value.trim())} status={name && !ok ? 'error' : undefined} />
        <Button size="small" disabled={!ok} onClick={() => { set({ ...headers, [name]: 'crm' }); setName(''); }}>{tr(p.lang, '+ 请求头', '+ Header')}</Button>
      </Space.Compact>
    </div>
  );
}

/** field_map: each value of the chosen field (its options, for a select) -> a member. */
function MemberMapEditor(p: ControlProps) {
  const map = (p.value ?? {}) as Record<string, string>;
  const field = liveFields(p.ed.entity).find((f) => f.key === p.config.field);
  const [free, setFree] = useState('');
  const keys = field?.options?.length ? field.options.filter((o) => o.active !== false || o.key in map).map((o) => ({ key: o.key, label: labelOf(o.label, p.lang) || o.key })) : Object.keys(map).map((k) => ({ key: k, label: k }));
  const set = (k: string, id: string | undefined) => {
    const next = { ...map };
    if (id) next[k] = id; else delete next[k];
    p.set(Object.keys(next).length ? next : undefined);
  };
  if (!field) return <Typography.Text type="secondary">{tr(p.lang, '先选择字段', 'Pick the field first')}</Typography.Text>;
  return (
    <div className="flow-values" data-testid={p.testId}>
      {keys.map(({ key, label }) => (
        <div key={key} className="flow-map-row">
          <span className="flow-map-key">{label}</span>
          <Select size="small" allowClear showSearch optionFilterProp="label" value={map[key]} style={{ flex: 1 }} placeholder={tr(p.lang, '交给…', 'Goes to…')}
            onChange={(id?: string) => set(key, id)} options={(p.members ?? []).map((m) => ({ value: m.id, label: m.name }))} data-testid={`${p.testId}-${key}`} />
        </div>
      ))}
      {!field.options?.length && (
        <Space.Compact size="small">
          <Input size="small" value={free} placeholder={tr(p.lang, '字段值', 'Value')} onChange={(e) => setFree(e.target.value)} />
          <Button size="small" disabled={!free || !p.members?.length} onClick={() => { set(free, p.members![0]!.id); setFree(''); }}>{tr(p.lang, '+ 对应', '+ Map')}</Button>
        </Space.Compact>
      )}
    </div>
  );
}

/** A team by name: picked from the workspace's teams when this member may list them, else typed. */
function TeamInput(p: ControlProps) {
  const teams = useTeamNames();
  return <AutoComplete value={p.value ?? ''} style={{ width: 260 }} data-testid={p.testId} placeholder={tr(p.lang, '团队名称', 'Team name')}
    onChange={(v: string) => p.set(v || undefined)} options={(teams ?? []).map((t) => ({ value: t }))} filterOption />;
}

const setProp = (config: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> => {
  const next: Record<string, unknown> = { ...config, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next;
};

/**
 * A step's settings, generated from its kind's config schema (see
 * config-form.ts): one control per property that applies, each writing the
 * draft at once (undoable, autosaved) and showing the server's findings on it.
 */
export function ConfigPanel(p: { ed: FlowEditor; stepId: string }) {
  const d = useDraft();
  const { ed } = p;
  const { lang } = ed;
  const members = useMembers();
  const found = findStep(ed.flow.steps, p.stepId);
  const vars = useMemo(() => variablesAt(ed.flow, p.stepId, ed.entity as never), [ed.flow, p.stepId, ed.entity]);
  if (!found) return null;
  const { step, pointer } = found;
  const config = (step.config ?? {}) as Record<string, any>;
  const widget: WidgetContext = { lang, api: d.api, ws: d.ws, members };
  const patch = (changes: Record<string, unknown>, tag?: string) =>
    ed.setSteps((steps) => updateStep(steps, step.id, (s) => ({ ...s, config: setProp((s.config ?? {}) as Record<string, unknown>, changes) })), tag);
  const controls = visibleControls(step.kind, config);
  if (!controls.length) return <Typography.Text type="secondary">{tr(lang, '这个步骤没有需要设置的内容。', 'Nothing to set for this step.')}</Typography.Text>;
  return (
    <Form layout="vertical" requiredMark={false} className="flow-config" data-testid="step-config">
      {controls.map((c) => {
        const issues = configIssues(ed.issues, pointer, c.name);
        const issueAt = (rest = '') => issuesText(rest ? issues.filter((i) => i.pointer.startsWith(`${pointer}/config/${c.name}${rest}`)) : issues) || undefined;
        const label = configLabel(step.kind, c.name);
        const props: ControlProps = {
          c, kind: step.kind, step, config, value: config[c.name], ed, vars, widget, members, lang, issueAt, testId: `cfg-${c.name}`,
          set: (v) => patch({ [c.name]: v }, `${step.id}.${c.name}`),
          patch: (changes) => patch(changes),
        };
        // Values rows and recipients carry their own findings; the others show them under the control.
        const own = c.kind === 'values' ? issuesText(issues.filter((i) => i.pointer === `${pointer}/config/${c.name}`)) || undefined : issueAt();
        return (
          <Form.Item key={c.name} label={<span>{label ? tr(lang, ...label) : c.name}{c.required ? <span className="flow-required">*</span> : null}</span>}
            validateStatus={own ? 'error' : undefined} help={own}>
            {CONTROLS[c.kind](props)}
          </Form.Item>
        );
      })}
    </Form>
  );
}
