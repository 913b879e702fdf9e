import { Button, ColorPicker, Input, InputNumber, Popconfirm, Segmented, Select, Slider, Switch, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { labelOf } from '@crm/ui';
import { KEY_PATTERN } from '@crm/metadata';
import { useDraft } from '../state/draft-context.js';
import { issuesUnder, type DocIssue } from '../state/issues.js';
import { RuleBuilder, type RuleField } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody, PipelineBody } from '../model.js';
import { LabelInputs } from '../views/label-inputs.js';
import {
  canDeleteStage, removeStage, renameStageKey, setGate, setOptionActive, setStage, setStageColor, setStageLabel, type Pair, type Stage,
} from './pipeline-ops.js';
import { STAGE_COLORS, stageColor } from './stage-path.js';

/**
 * One stage: its label (the option's), colour, probability, outcome and
 * entry gate. Removing a published stage only deactivates its option.
 */
export function StageEditor(p: {
  stage: Stage; index: number; entity: EntityBody; pipeline: PipelineBody; field: FieldBody; published: ReadonlySet<string>;
  issues: readonly DocIssue[]; apply: (fn: (pair: Pair) => Pair, tag?: string) => void;
  setPipeline: (fn: (x: PipelineBody) => PipelineBody, tag?: string) => void; onRemoved: () => void;
}) {
  const d = useDraft();
  const { lang } = d;
  const { stage: s, field } = p;
  const option = field.options?.find((o) => o.id === s.id);
  const isPublished = p.published.has(s.id);
  const at = `/stages/${p.index}`;
  const gateFields = (p.entity.fields as FieldBody[]).filter((f) => !f.archived && f.key !== field.key);
  const gateRequired = s.gate?.requiredFields ?? [];
  const entityIssues = issuesUnder(d.issues[`entity/${p.entity.id}`], `/fields/${p.entity.fields.indexOf(field as never)}/options`);

  return (
    <div style={{ background: '#fff', borderRadius: 8, padding: 16, border: '1px solid #eee' }} data-testid={`stage-editor-${s.key}`}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 14 }}>
        <span style={{ width: 14, height: 14, borderRadius: 7, background: stageColor(s, option) }} />
        <Typography.Text strong style={{ fontSize: 16 }}>{labelOf(option?.label, lang) || s.key}</Typography.Text>
        {!isPublished && <Tag color="gold">{tr(lang, '未发布', 'new')}</Tag>}
        {option?.active === false && <Tag>{tr(lang, '已停用', 'inactive')}</Tag>}
        <span style={{ marginLeft: 'auto' }}>
          {isPublished
            ? option?.active === false
              ? <Button size="small" onClick={() => p.apply((x) => setOptionActive(x, s.id, true))} data-testid={`stage-reactivate-${s.key}`}>{tr(lang, '重新启用', 'Reactivate')}</Button>
              : (
                <Popconfirm title={tr(lang, '停用这个阶段？已有记录保留原值，新记录不能再选它。', 'Deactivate this stage? Records keep it; new ones cannot pick it.')}
                  okText={tr(lang, '停用', 'Deactivate')} cancelText={tr(lang, '取消', 'Cancel')} onConfirm={() => p.apply((x) => removeStage(x, s.id, p.published))}>
                  <Button size="small" danger data-testid={`stage-remove-${s.key}`}>{tr(lang, '停用阶段', 'Deactivate stage')}</Button>
                </Popconfirm>
              )
            : (
              <Popconfirm title={tr(lang, '删除这个阶段和对应的选项？', 'Delete this stage and its option?')} okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}
                onConfirm={() => { p.apply((x) => removeStage(x, s.id, p.published)); p.onRemoved(); }} disabled={!canDeleteStage(p.pipeline, s.id, p.published)}>
                <Button size="small" danger disabled={!canDeleteStage(p.pipeline, s.id, p.published)} data-testid={`stage-remove-${s.key}`}>{tr(lang, '删除阶段', 'Delete stage')}</Button>
              </Popconfirm>
            )}
        </span>
      </div>
      {issuesUnder(p.issues, at).length > 0 && <div className="issue-text" style={{ marginBottom: 10 }}>{issuesUnder(p.issues, at).map((i) => i.message).join('；')}</div>}
      {entityIssues.length > 0 && <div className="issue-text" style={{ marginBottom: 10 }}>{entityIssues.map((i) => i.message).join('；')}</div>}

      <Row label={tr(lang, '名称', 'Label')}>
        <LabelInputs value={option?.label ?? {}} testId={`stage-label-${s.key}`} onChange={(l, text) => p.apply((x) => setStageLabel(x, s.id, l, text), `stage-label-${l}:${s.id}`)} />
      </Row>
      <Row label="Key">
        {isPublished
          ? <Typography.Text code>{s.key}</Typography.Text>
          : <KeyInput value={s.key} taken={(field.options ?? []).filter((o) => o.id !== s.id).map((o) => o.key)} onCommit={(key) => p.apply((x) => renameStageKey(x, s.id, key))} />}
        <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
          {isPublished ? tr(lang, '已发布，不能再改', 'published: fixed') : tr(lang, '发布前可修改', 'editable until published')}
        </Typography.Text>
      </Row>
      <Row label={tr(lang, '颜色', 'Colour')}>
        <ColorPicker disabledAlpha allowClear presets={[{ label: tr(lang, '推荐', 'Suggested'), colors: STAGE_COLORS }]} value={s.color ?? option?.color ?? null}
          showText data-testid={`stage-color-${s.key}`}
          onChange={(c) => p.apply((x) => setStageColor(x, s.id, c.toHexString().slice(0, 7)), `stage-color:${s.id}`)}
          onClear={() => p.apply((x) => setStageColor(x, s.id, undefined))} />
      </Row>
      <Row label={tr(lang, '赢率', 'Probability')}>
        <div style={{ display: 'flex', alignItems: 'center', gap: 12, maxWidth: 420 }}>
          <Slider style={{ flex: 1 }} min={0} max={100} value={s.probability} onChange={(v: number) => p.setPipeline((x) => setStage(x, s.id, { probability: v }), `prob:${s.id}`)} />
          <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 90 }} value={s.probability} data-testid={`stage-probability-${s.key}`}
            onChange={(v) => v !== null && p.setPipeline((x) => setStage(x, s.id, { probability: Number(v) }), `prob:${s.id}`)} />
        </div>
      </Row>
      <Row label={tr(lang, '结果', 'Outcome')}>
        <Segmented value={s.outcome ?? 'none'} data-testid={`stage-outcome-${s.key}`}
          onChange={(v) => p.setPipeline((x) => setStage(x, s.id, { outcome: v === 'none' ? null : (v as 'won' | 'lost') }))}
          options={[{ value: 'none', label: tr(lang, '进行中', 'Open') }, { value: 'won', label: tr(lang, '赢单', 'Won') }, { value: 'lost', label: tr(lang, '输单', 'Lost') }]} />
      </Row>

      <div style={{ borderTop: '1px solid #f0f0f0', marginTop: 4, paddingTop: 14 }}>
        <div style={{ display: 'flex', alignItems: 'center', gap: 10, marginBottom: 10 }}>
          <Switch checked={!!s.gate} data-testid={`gate-toggle-${s.key}`}
            onChange={(on) => p.setPipeline((x) => setGate(x, s.id, on ? { requiredFields: [] } : undefined))} />
          <Typography.Text strong>{tr(lang, '进入门槛', 'Entry gate')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.gate ? tr(lang, '记录进入此阶段前必须满足以下条件', 'A record must meet these before it enters this stage') : tr(lang, '无门槛：任何记录都可以进入', 'No gate: any record may enter')}
          </Typography.Text>
        </div>
        {s.gate && (
          <div data-testid={`gate-${s.key}`}>
            <Row label={tr(lang, '必填字段', 'Required fields')}>
              <Select mode="multiple" allowClear style={{ width: '100%' }} value={gateRequired} data-testid={`gate-required-${s.key}`}
                placeholder={tr(lang, '进入此阶段时这些字段不能为空', 'Fields that must be filled to enter')}
                status={issuesUnder(p.issues, `${at}/gate/requiredFields`).length ? 'error' : undefined}
                onChange={(keys: string[]) => p.setPipeline((x) => setGate(x, s.id, { ...s.gate, requiredFields: keys }))}
                options={gateFields.map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />
            </Row>
            <Row label={tr(lang, '条件', 'Condition')}>
              <RuleBuilder fields={p.entity.fields as unknown as RuleField[]} ownership={p.entity.ownership} value={s.gate.rule} lang={lang} testId={`gate-rule-${s.key}`}
                onChange={(rule) => p.setPipeline((x) => setGate(x, s.id, { ...s.gate, rule }), `gate-rule:${s.id}`)} />
            </Row>
          </div>
        )}
      </div>
    </div>
  );
}

function Row(p: { label: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 12, marginBottom: 12, alignItems: 'flex-start' }}>
      <div style={{ width: 80, flex: '0 0 80px', color: '#555', paddingTop: 4 }}>{p.label}</div>
      <div style={{ flex: 1, minWidth: 0 }}>{p.children}</div>
    </div>
  );
}

/** An unpublished key, applied on blur or Enter once it is a valid key no other option uses. */
function KeyInput(p: { value: string; taken: string[]; onCommit: (key: string) => void }) {
  const { lang } = useDraft();
  const [text, setText] = useState(p.value);
  const valid = new RegExp(KEY_PATTERN).test(text) && !p.taken.includes(text);
  const commit = () => { if (valid) p.onCommit(text); else setText(p.value); };
  return (
    <Input size="small" style={{ width: 200 }} value={text} status={valid ? undefined : 'error'} data-testid="stage-key"
      title={valid ? undefined : tr(lang, '小写字母开头，只含小写字母、数字和下划线，且不能重复', 'Lower-case letter first, then letters, digits, underscores; unique')}
      onChange={(e) => setText(e.target.value)} onBlur={commit} onPressEnter={commit} />
  );
}
