import { Alert, Button, Checkbox, Form, Input, InputNumber, Segmented, Select, Space, Tag, Typography } from 'antd';
import { cronError, DURATION_UNITS, RECORD_EVENTS, type Trigger } from '@crm/metadata';
import { labelOf, RuleBuilder, type Lang } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { issuesText, issuesUnder } from '../state/issues.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody, RoleBody } from '../model.js';
import { LabelInputs } from '../views/label-inputs.js';
import { CHOICE_LABELS } from './config-form.js';
import { CRON_PRESETS, formatIn, nextRuns } from './cron-schedule.js';
import type { FlowEditor } from './editor.js';
import { ruleFields } from './rule-fields.js';
import { triggerOfKind, withEntity } from './flow-ops.js';
import { useTimeZone } from './use-workspace.js';
import { hasPrevious } from './variables.js';

export const TRIGGER_KINDS: [Trigger['kind'], string, string, string, string][] = [
  ['record', '记录事件', 'Record event', '记录新建、修改、删除或恢复时', 'When a record is created, updated, deleted or restored'],
  ['field_changed', '字段变化', 'Field changes', '某个字段从一个值变为另一个值时', 'When a field goes from one value to another'],
  ['time', '相对时间', 'Relative time', '某个日期之前或之后（如分配后 24 小时）', 'Before or after a date (24 hours after assignment)'],
  ['schedule', '定时', 'Schedule', '按固定时间执行（如每个工作日 9:00）', 'At fixed times (every weekday at 9:00)'],
  ['manual', '手动按钮', 'Button', '在记录页面上点按钮执行', 'A button on the record page'],
  ['webhook', 'Webhook', 'Webhook', '外部系统调用时执行', 'When another system calls in'],
];
const EVENT_NAMES: Record<string, [string, string]> = { created: ['新建', 'Created'], updated: ['修改', 'Updated'], deleted: ['删除', 'Deleted'], restored: ['恢复', 'Restored'] };
const TIME_ANCHORS: [string, string, string][] = [['created_at', '创建时间', 'Created at'], ['updated_at', '更新时间', 'Updated at'], ['owner_assigned_at', '分配负责人时间', 'Owner assigned at']];

const live = (e: EntityBody | undefined) => ((e?.fields ?? []) as FieldBody[]).filter((f) => !f.archived);

/** The trigger: its kind, entity and what of it starts the flow, and its condition (which may read `$previous`). */
export function TriggerPanel(p: { ed: FlowEditor }) {
  const d = useDraft();
  const { ed } = p;
  const { lang } = ed;
  const t = ed.flow.trigger;
  const issues = issuesUnder(ed.issues, '/trigger');
  const at = (name: string) => issuesText(issuesUnder(ed.issues, `/trigger/${name}`)) || undefined;
  const set = (next: Trigger, tag?: string) => ed.change((f) => ({ ...f, trigger: next }), tag);
  const patch = (changes: Record<string, unknown>, tag?: string) => ed.change((f) => {
    const next: Record<string, unknown> = { ...f.trigger, ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete next[k];
    return { ...f, trigger: next as Trigger };
  }, tag);
  const publishedKeys = new Set(docsOf<EntityBody>(d.published, 'entity').map((e) => e.body.key));
  const entity = 'entity' in t && t.entity ? ed.entities.find((e) => e.key === t.entity) : undefined;
  const entityPicker = (optional = false) => (
    <Form.Item label={tr(lang, '对象', 'Entity')} validateStatus={at('entity') ? 'error' : undefined} help={at('entity')}>
      <Select showSearch optionFilterProp="label" value={'entity' in t ? t.entity : undefined} allowClear={optional} style={{ width: '100%' }} data-testid="trigger-entity"
        onChange={(key?: string) => set(withEntity(t, key))}
        options={ed.entities.map((e) => ({ value: e.key, label: `${labelOf(e.label, lang)} (${e.key})${publishedKeys.has(e.key) ? '' : tr(lang, ' · 未发布', ' · not published')}` }))} />
    </Form.Item>
  );
  const unowned = entity?.ownership === 'none';
  return (
    <div data-testid="trigger-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>{tr(lang, '触发条件', 'Trigger')}</Typography.Title>
      {issues.some((i) => i.pointer === '/trigger') && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={issuesText(issues.filter((i) => i.pointer === '/trigger'))} />}
      <Form layout="vertical" requiredMark={false}>
        <Form.Item label={tr(lang, '什么时候执行', 'Runs when')}>
          <Select value={t.kind} style={{ width: '100%' }} data-testid="trigger-kind" onChange={(k: Trigger['kind']) => set(triggerOfKind(k, 'entity' in t ? t.entity : undefined, t))}
            optionRender={(o) => <div><div>{o.label}</div><div className="flow-panel-desc">{(o.data as { desc: string }).desc}</div></div>}
            options={TRIGGER_KINDS.map(([k, zh, en, dzh, den]) => ({ value: k, label: tr(lang, zh, en), desc: tr(lang, dzh, den) }))} />
        </Form.Item>
        {t.kind !== 'schedule' && entityPicker(t.kind === 'webhook')}

        {t.kind === 'record' && (
          <>
            <Form.Item label={tr(lang, '事件', 'Events')} validateStatus={at('on') ? 'error' : undefined} help={at('on')}>
              <Checkbox.Group value={t.on} data-testid="trigger-on" onChange={(v) => patch({ on: RECORD_EVENTS.filter((e) => v.includes(e)), ...(v.includes('updated') ? {} : { fields: undefined }) })}
                options={RECORD_EVENTS.map((e) => ({ value: e, label: tr(lang, ...EVENT_NAMES[e]!) }))} />
            </Form.Item>
            {t.on.includes('updated') && (
              <Form.Item label={tr(lang, '仅当这些字段变化时（留空：任何修改）', 'Only when these fields change (empty: any update)')} validateStatus={at('fields') ? 'error' : undefined} help={at('fields')}>
                <Select mode="multiple" showSearch optionFilterProp="label" value={t.fields ?? []} data-testid="trigger-fields"
                  onChange={(v: string[]) => patch({ fields: v.length ? v : undefined })}
                  options={live(entity).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />
              </Form.Item>
            )}
          </>
        )}

        {t.kind === 'field_changed' && (
          <>
            <Form.Item label={tr(lang, '字段', 'Field')} validateStatus={at('field') ? 'error' : undefined} help={at('field')}>
              <Select showSearch optionFilterProp="label" value={t.field} data-testid="trigger-field" onChange={(field: string) => patch({ field, from: undefined, to: undefined })}
                options={[...(unowned ? [] : [{ value: 'owner_id', label: tr(lang, '负责人', 'Owner') }]), ...live(entity).filter((f) => !['formula', 'rollup', 'lookup'].includes(f.type)).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))]} />
            </Form.Item>
            {(['from', 'to'] as const).map((side) => (
              <Form.Item key={side} label={side === 'from' ? tr(lang, '从（留空：任何值）', 'From (empty: any value)') : tr(lang, '变为（留空：任何值）', 'To (empty: any value)')}
                validateStatus={at(side) ? 'error' : undefined} help={at(side)}>
                <ValuesPicker field={live(entity).find((f) => f.key === t.field)} value={t[side]} lang={lang} testId={`trigger-${side}`}
                  onChange={(v) => patch({ [side]: v })} />
              </Form.Item>
            ))}
          </>
        )}

        {t.kind === 'time' && (
          <>
            <Form.Item label={tr(lang, '以这个时间为准', 'Counting from')} validateStatus={at('field') ? 'error' : undefined} help={at('field')}>
              <Select value={t.field} data-testid="trigger-time-field" onChange={(field: string) => patch({ field })}
                options={[
                  ...TIME_ANCHORS.filter(([k]) => k !== 'owner_assigned_at' || !unowned).map(([k, zh, en]) => ({ value: k, label: tr(lang, zh, en) })),
                  ...live(entity).filter((f) => f.type === 'date' || f.type === 'datetime').map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key })),
                ]} />
            </Form.Item>
            <Form.Item label={tr(lang, '时间差', 'Offset')} validateStatus={at('offset') ? 'error' : undefined} help={at('offset')}>
              <Space.Compact>
                <InputNumber min={0} max={3650} precision={0} value={Math.abs(t.offset.amount)} style={{ width: 100 }} data-testid="trigger-offset"
                  onChange={(n) => patch({ offset: { ...t.offset, amount: (t.offset.amount < 0 ? -1 : 1) * (n ?? 0) } }, 'offset')} />
                <Select value={t.offset.unit} style={{ width: 90 }} onChange={(unit) => patch({ offset: { ...t.offset, unit } })}
                  options={DURATION_UNITS.map((u) => ({ value: u, label: tr(lang, ...CHOICE_LABELS[u]!) }))} />
                <Segmented value={t.offset.amount < 0 ? 'before' : 'after'} onChange={(v) => patch({ offset: { ...t.offset, amount: (v === 'before' ? -1 : 1) * Math.abs(t.offset.amount) } })}
                  options={[{ value: 'before', label: tr(lang, '之前', 'before') }, { value: 'after', label: tr(lang, '之后', 'after') }]} />
              </Space.Compact>
            </Form.Item>
            <Form.Item>
              <Checkbox checked={!!t.unlessActivitySince} onChange={(e) => patch({ unlessActivitySince: e.target.checked || undefined })} data-testid="trigger-unless">
                {tr(lang, '期间有跟进活动则不执行', 'Skip if there was activity since')}
              </Checkbox>
            </Form.Item>
          </>
        )}

        {t.kind === 'schedule' && <CronInput cron={t.cron} lang={lang} issue={at('cron')} onChange={(cron) => patch({ cron }, 'cron')} />}

        {t.kind === 'manual' && (
          <>
            <Form.Item label={tr(lang, '按钮文字', 'Button text')} validateStatus={at('button') ? 'error' : undefined} help={at('button')}>
              <LabelInputs value={t.button} testId="trigger-button" onChange={(l, text) => {
                const next = Object.fromEntries(Object.entries({ ...t.button, [l]: text || undefined }).filter(([, v]) => v));
                patch({ button: next }, `button.${l}`);
              }} />
            </Form.Item>
            <Form.Item label={tr(lang, '可以看到按钮的角色（留空：能修改记录的人）', 'Roles that see the button (empty: anyone who may edit the record)')} validateStatus={at('roles') ? 'error' : undefined} help={at('roles')}>
              <Select mode="multiple" value={t.roles ?? []} data-testid="trigger-roles" onChange={(v: string[]) => patch({ roles: v.length ? v : undefined })}
                options={docsOf<RoleBody>(d.docs, 'role').map((r) => ({ value: r.body.key, label: labelOf(r.body.label, lang) || r.body.key }))} />
            </Form.Item>
          </>
        )}

        {t.kind === 'webhook' && (
          <Typography.Paragraph type="secondary">
            {tr(lang, '调用内容中的值可用变量 trigger.<键名> 读取；选择对象后，调用可以指明要处理的记录。', 'Values of the call are read as trigger.<key>; with an entity, the call may name the record to act on.')}
          </Typography.Paragraph>
        )}

        {t.kind !== 'schedule' && t.kind !== 'webhook' && (
          <Form.Item label={tr(lang, '并且满足条件（可选）', 'And only if (optional)')} validateStatus={at('condition') ? 'error' : undefined} help={at('condition')}>
            {entity
              ? (
                <>
                  <RuleBuilder fields={ruleFields(entity)} ownership={entity.ownership} value={t.condition} lang={lang} testId="trigger-condition"
                    previous={hasPrevious(t)} onChange={(condition) => patch({ condition: condition ?? undefined })} />
                  {t.condition && <Button size="small" type="link" onClick={() => patch({ condition: undefined })} data-testid="trigger-condition-clear">{tr(lang, '清除条件', 'Clear')}</Button>}
                </>
              )
              : <Typography.Text type="secondary">{tr(lang, '先选择对象', 'Pick the entity first')}</Typography.Text>}
          </Form.Item>
        )}
      </Form>
    </div>
  );
}

/** Values of a field as a trigger matches them: its options (and "empty") for a select, yes/no for a boolean, typed values otherwise. */
function ValuesPicker(p: { field: FieldBody | undefined; value: readonly unknown[] | undefined; lang: Lang; onChange: (v: unknown[] | undefined) => void; testId: string }) {
  const { lang } = p;
  const EMPTY = '__empty__';
  const toUi = (v: unknown) => (v === null ? EMPTY : String(v));
  const fromUi = (s: string): unknown => (s === EMPTY ? null : p.field?.type === 'boolean' ? s === 'true' : s);
  const empty = { value: EMPTY, label: tr(lang, '（空）', '(empty)') };
  const options = p.field?.type === 'select' || p.field?.type === 'multiselect'
    ? [...(p.field.options ?? []).map((o) => ({ value: o.key, label: labelOf(o.label, lang) || o.key })), empty]
    : p.field?.type === 'boolean' ? [{ value: 'true', label: tr(lang, '是', 'yes') }, { value: 'false', label: tr(lang, '否', 'no') }, empty] : undefined;
  return (
    <Select mode={options ? 'multiple' : 'tags'} value={(p.value ?? []).map(toUi)} options={options} data-testid={p.testId} open={options ? undefined : false}
      placeholder={tr(lang, '任何值', 'Any value')} onChange={(v: string[]) => p.onChange(v.length ? v.map(fromUi) : undefined)} />
  );
}

/** A five-field cron with presets, checked as it is typed, and its next three runs in the workspace's time zone. */
function CronInput(p: { cron: string; lang: Lang; issue?: string; onChange: (cron: string) => void }) {
  const { lang } = p;
  const zone = useTimeZone();
  const bad = cronError(p.cron);
  const next = bad === undefined ? nextRuns(p.cron, new Date(), zone, 3) : [];
  const problem = p.issue ?? (bad !== undefined ? tr(lang, `无法识别「${bad}」：格式为“分 时 日 月 周”，如 0 9 * * 1-5`, `Cannot read "${bad}": the format is "minute hour day month weekday", e.g. 0 9 * * 1-5`) : undefined);
  return (
    <>
      <Form.Item label={tr(lang, '执行时间（cron：分 时 日 月 周）', 'When (cron: minute hour day month weekday)')} validateStatus={problem ? 'error' : undefined} help={problem}>
        <Input value={p.cron} onChange={(e) => p.onChange(e.target.value)} data-testid="trigger-cron" style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Space wrap size={4} style={{ marginBottom: 12 }}>
        {CRON_PRESETS.map((x) => (
          <Tag.CheckableTag key={x.cron} checked={p.cron.trim() === x.cron} onChange={() => p.onChange(x.cron)} data-testid={`cron-preset-${x.cron.replace(/\W+/g, '_')}`}>
            {tr(lang, ...x.label)}
          </Tag.CheckableTag>
        ))}
      </Space>
      {next.length > 0 && (
        <div className="flow-next-runs" data-testid="cron-next">
          <Typography.Text type="secondary">{tr(lang, `接下来 3 次（${zone}）`, `Next 3 runs (${zone})`)}</Typography.Text>
          {next.map((x) => <div key={x.getTime()}>{formatIn(x, zone, lang)}</div>)}
        </div>
      )}
    </>
  );
}
