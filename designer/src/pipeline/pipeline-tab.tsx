import { Alert, Button, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docKey, docsOf, withDoc } from '../state/documents.js';
import { issuesUnder } from '../state/issues.js';
import { newId, proposeKey } from '../entities/keys.js';
import { navigate } from '../shell/router.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody, PipelineBody } from '../model.js';
import { SortableList } from '../views/sortable-list.js';
import { LabelInputs } from '../views/label-inputs.js';
import { addStage, createPipeline, moveStage, pipelineCandidates, stageField, type Pair } from './pipeline-ops.js';
import { freeColor, STAGE_COLORS, StagePath, stageColor } from './stage-path.js';
import { StageEditor } from './stage-editor.js';
import { TransitionsEditor } from './transitions-editor.js';
import { GateFindings } from './gate-findings.js';

/** The entity's pipelines (one per select field at most); a way to start one when there is none. */
export function PipelineTab({ entityId }: { entityId: string }) {
  const d = useDraft();
  const entity = d.docs[docKey('entity', entityId)]?.body as EntityBody | undefined;
  const pipelines = entity ? docsOf<PipelineBody>(d.docs, 'pipeline').filter((p) => p.body.entity === entity.key) : [];
  const [chosen, setChosen] = useState<string | null>(null);
  if (!entity) return null;
  const current = pipelines.find((p) => p.id === chosen) ?? pipelines[0];
  const { lang } = d;
  const fieldName = (key: string) => labelOf(entity.fields.find((f) => f.key === key)?.label, lang) || key;
  return (
    <div data-testid="pipeline-tab">
      {pipelines.length > 1 && (
        <Segmented style={{ marginBottom: 12 }} value={current?.id} onChange={(v) => setChosen(String(v))}
          options={pipelines.map((p) => ({ value: p.id, label: labelOf(p.body.label, lang) || fieldName(p.body.field) }))} />
      )}
      {current
        ? <PipelineEditor key={current.id} entityId={entityId} pipelineId={current.id} />
        : <CreatePipeline entity={entity} taken={pipelines.map((p) => p.body.field)} onCreated={setChosen} />}
    </div>
  );
}

function CreatePipeline(p: { entity: EntityBody; taken: string[]; onCreated: (id: string) => void }) {
  const d = useDraft();
  const { lang } = d;
  const candidates = pipelineCandidates(p.entity, p.taken);
  const [field, setField] = useState<string | undefined>(candidates.find((f) => /stage|status/.test(f.key))?.key ?? candidates[0]?.key);
  const create = () => {
    if (!field) return;
    const id = newId('pl');
    const pair = createPipeline(p.entity, field, id, STAGE_COLORS);
    d.change((docs) => withDoc(withDoc(docs, 'entity', p.entity.id, pair.entity), 'pipeline', id, pair.pipeline));
    p.onCreated(id);
  };
  return (
    <div style={{ background: '#fff', borderRadius: 8, padding: 20, border: '1px solid #eee', maxWidth: 720 }} data-testid="pipeline-empty">
      <Typography.Title level={5} style={{ marginTop: 0 }}>{tr(lang, '这个对象还没有销售流程', 'This entity has no pipeline yet')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {tr(lang,
          '销售流程建立在一个单选字段之上：字段的每个选项就是一个阶段。你可以为每个阶段设置赢率、结果（赢单/输单）、进入门槛，以及阶段之间允许的流转。',
          'A pipeline runs over a select field: each option of the field is a stage. Each stage gets a probability, an outcome (won / lost), an entry gate, and the moves allowed between stages.')}
      </Typography.Paragraph>
      {candidates.length
        ? (
          <Space wrap>
            <span>{tr(lang, '阶段字段', 'Stage field')}</span>
            <Select style={{ width: 240 }} value={field} onChange={setField} data-testid="pipeline-field"
              options={candidates.map((f) => ({ value: f.key, label: `${labelOf(f.label, lang) || f.key}（${tr(lang, `${f.options?.length ?? 0} 个选项`, `${f.options?.length ?? 0} options`)}）` }))} />
            <Button type="primary" onClick={create} disabled={!field} data-testid="create-pipeline">{tr(lang, '创建销售流程', 'Create pipeline')}</Button>
          </Space>
        )
        : (
          <Alert type="info" showIcon title={tr(lang, '需要一个至少有两个选项的单选字段。', 'A select field with two options or more is needed.')}
            description={<Button size="small" onClick={() => navigate({ page: 'entity', entityId: p.entity.id, tab: 'fields' })}>{tr(lang, '去添加字段', 'Add a field')}</Button>} />
        )}
      {candidates.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {tr(lang, '阶段沿用字段的选项（同一 id 与 key），赢率先按 10%–90% 均匀分布，流转默认为“逐级推进或直接结束”。', 'Stages take the field\'s options (same id and key); probabilities start spread from 10% to 90%; moves default to "forward one, or straight to an outcome".')}
        </Typography.Paragraph>
      )}
    </div>
  );
}

function PipelineEditor(p: { entityId: string; pipelineId: string }) {
  const d = useDraft();
  const { lang } = d;
  const entity = d.docs[docKey('entity', p.entityId)]!.body as EntityBody;
  const pipeline = d.docs[docKey('pipeline', p.pipelineId)]!.body as PipelineBody;
  const field = stageField(entity, pipeline);
  const issues = d.issues[docKey('pipeline', p.pipelineId)] ?? [];
  const publishedEntity = d.published[docKey('entity', p.entityId)]?.body as EntityBody | undefined;
  const publishedIds = new Set(((publishedEntity?.fields ?? []) as FieldBody[]).find((f) => f.key === pipeline.field)?.options?.map((o) => o.id) ?? []);
  const [selected, setSelected] = useState<string | null>(null);
  const stage = pipeline.stages.find((s) => s.id === selected) ?? pipeline.stages[0];
  const [draftLabel, setDraftLabel] = useState<{ 'zh-CN'?: string; en?: string }>({});

  /** Writes the entity and/or the pipeline, whichever the operation changed. */
  // Stage and option change together: one undo step for both documents.
  const apply = (fn: (pair: Pair) => Pair, tag?: string) => {
    d.change((docs) => {
      const pair = { entity: docs[`entity/${p.entityId}`]!.body as EntityBody, pipeline: docs[`pipeline/${p.pipelineId}`]!.body as PipelineBody };
      const next = fn(pair);
      let out = docs;
      if (next.entity !== pair.entity) out = withDoc(out, 'entity', p.entityId, next.entity);
      if (next.pipeline !== pair.pipeline) out = withDoc(out, 'pipeline', p.pipelineId, next.pipeline);
      return out;
    }, tag && `pipeline/${p.pipelineId}:${tag}`);
  };
  const setPipeline = (fn: (x: PipelineBody) => PipelineBody, tag?: string) => d.update<PipelineBody>('pipeline', p.pipelineId, fn, tag);

  const add = () => {
    const text = draftLabel['zh-CN']?.trim() || draftLabel.en?.trim();
    if (!text) return;
    const id = newId('opt');
    const label = Object.fromEntries(Object.entries(draftLabel).filter(([, v]) => v?.trim())) as { 'zh-CN'?: string; en?: string };
    const color = freeColor(pipeline.stages.map((s) => s.color));
    apply((pair) => addStage(pair, { id, key: proposeKey(text, id), label, ...(color ? { color } : {}) }));
    setDraftLabel({});
    setSelected(id);
  };
  const labelOfStage = (id: string) => labelOf(field?.options?.find((o) => o.id === id)?.label, lang);

  if (!field) {
    return <Alert type="error" title={tr(lang, `销售流程的字段 ${pipeline.field} 不存在或不是单选字段。`, `The pipeline's field ${pipeline.field} is missing or not a select field.`)} />;
  }
  const stray = issues.filter((i) => !/^\/(stages|transitions)(\/|$)/.test(i.pointer));
  return (
    <div>
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 10 }}>
        <Typography.Text type="secondary">
          {tr(lang, '阶段字段：', 'Stage field: ')}<b style={{ color: '#333' }}>{labelOf(field.label, lang)}</b> <code>{field.key}</code>
        </Typography.Text>
        {!d.published[docKey('pipeline', p.pipelineId)] && <Tag color="gold">{tr(lang, '未发布', 'new')}</Tag>}
      </div>
      {stray.length > 0 && <Alert type="error" style={{ marginBottom: 10 }} title={stray.map((i) => i.message).join('；')} />}
      {issuesUnder(issues, '/stages').filter((i) => i.pointer === '/stages').map((i) => <Alert key={i.message} type="error" style={{ marginBottom: 10 }} title={i.message} />)}

      <StagePath pipeline={pipeline} field={field} selected={stage?.id} onSelect={setSelected} lang={lang} />

      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', marginTop: 16 }}>
        <div style={{ width: 330, flex: '0 0 330px', background: '#fff', borderRadius: 8, padding: 12, border: '1px solid #eee' }}>
          <Typography.Text strong>{tr(lang, '阶段', 'Stages')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>{tr(lang, '拖动调整顺序', 'drag to reorder')}</Typography.Text>
          <div style={{ marginTop: 8 }}>
            <SortableList testId="stage-list" dragLabel={tr(lang, '拖动排序', 'Drag to reorder')}
              onMove={(from, to) => apply((pair) => moveStage(pair, from, to))}
              items={pipeline.stages.map((s, i) => {
                const option = field.options?.find((o) => o.id === s.id);
                const bad = issuesUnder(issues, `/stages/${i}`).length > 0;
                return {
                  id: s.id, testId: `stage-${s.key}`, selected: s.id === stage?.id, onSelect: () => setSelected(s.id),
                  content: (
                    <>
                      <span style={{ width: 10, height: 10, borderRadius: 5, background: stageColor(s, option), flex: '0 0 10px' }} />
                      <span style={{ color: bad ? '#dc2626' : undefined, textDecoration: option?.active === false ? 'line-through' : undefined, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                        {labelOfStage(s.id) || s.key}
                      </span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.probability}%</Typography.Text>
                      <span style={{ marginLeft: 'auto', display: 'flex', gap: 2 }}>
                        {s.outcome && <Tag style={{ margin: 0 }} color={s.outcome === 'won' ? 'green' : 'red'}>{s.outcome === 'won' ? tr(lang, '赢单', 'won') : tr(lang, '输单', 'lost')}</Tag>}
                        {s.gate && <Tag style={{ margin: 0 }} color="orange">{tr(lang, '门槛', 'gate')}</Tag>}
                        {option?.active === false && <Tag style={{ margin: 0 }}>{tr(lang, '停用', 'off')}</Tag>}
                      </span>
                    </>
                  ),
                };
              })} />
          </div>
          <div style={{ marginTop: 12, borderTop: '1px dashed #e5e7eb', paddingTop: 10 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '新阶段（同时成为字段的一个选项）', 'New stage (also a new option of the field)')}</Typography.Text>
            <div style={{ marginTop: 6 }}>
              <LabelInputs size="small" optional value={draftLabel} testId="new-stage-label" onChange={(l, text) => setDraftLabel((x) => ({ ...x, [l]: text }))} />
            </div>
            <Button size="small" style={{ marginTop: 6 }} onClick={add} disabled={!draftLabel['zh-CN']?.trim() && !draftLabel.en?.trim()} data-testid="add-stage">
              {tr(lang, '+ 添加阶段', '+ Add stage')}
            </Button>
          </div>
        </div>
        <div style={{ flex: 1, minWidth: 0 }}>
          {stage && (
            <StageEditor key={stage.id} stage={stage} index={pipeline.stages.indexOf(stage)} entity={entity} pipeline={pipeline} field={field}
              published={publishedIds} issues={issues} apply={apply} setPipeline={setPipeline}
              onRemoved={() => setSelected(null)} />
          )}
        </div>
      </div>
      <TransitionsEditor pipeline={pipeline} field={field} issues={issuesUnder(issues, '/transitions')} setPipeline={setPipeline} lang={lang} />
      <GateFindings pipeline={pipeline} entity={entity} field={field} />
    </div>
  );
}
