import { DndContext, DragOverlay, KeyboardSensor, MeasuringStrategy, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { Alert, Badge, Button, List, Popover, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { Step, StepKind } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import { BranchPanel } from './branch-panel.js';
import { Canvas } from './canvas.js';
import type { FlowEditor, Selection } from './editor.js';
import { applyDrop, collide, type FlowDragData, type FlowDragSource } from './flow-dnd.js';
import { issuePlace, type FlowBody } from './flow-ops.js';
import { Palette } from './palette.js';
import { defaultBranch, newRuledBranch, newStep, type StepContext } from './step-defaults.js';
import { STEP_INFO } from './step-kinds.js';
import { StepPanel } from './step-panel.js';
import type { SummaryContext } from './step-summary.js';
import { addBranch, findStep, takenIds, type Place } from './step-tree.js';
import { TriggerPanel } from './trigger-panel.js';
import { useMembers, useTeamNames } from './use-workspace.js';
import './flows.css';

const AUTO_SCROLL = { threshold: { x: 0.05, y: 0.06 } };
// Gaps change look (not size) during a drag, but the page may scroll: measure them as the drag goes.
const MEASURING = { droppable: { strategy: MeasuringStrategy.Always } };

/** Palette, canvas and the panel of what is selected, over one flow document of the draft. */
export function FlowDesigner(p: { ed: Omit<FlowEditor, 'selection' | 'select'> }) {
  const d = useDraft();
  const [selection, select] = useState<Selection>({ kind: 'trigger' });
  const [drag, setDrag] = useState<{ source: FlowDragSource; label: string } | null>(null);
  const members = useMembers();
  const teams = useTeamNames();
  const ed: FlowEditor = { ...p.ed, selection, select };
  const { lang, flow } = ed;
  const flows = docsOf<FlowBody>(d.docs, 'flow');
  const stepCtx = (): StepContext => ({ lang, entity: ed.entity, entities: ed.entities, flows: flows.map((f) => f.id).filter((id) => id !== ed.flowId), teams });
  const summary: SummaryContext = useMemo(() => ({
    lang, entities: ed.entities, entity: ed.entity,
    members: Object.fromEntries((members ?? []).map((m) => [m.id, m.name])),
    flows: Object.fromEntries(flows.map((f) => [f.id, f.body.label])),
  }), [lang, ed.entities, ed.entity, members, flows]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  /** Inserts or moves, selecting a new step so its settings open. */
  const drop = (source: FlowDragSource, place: Place) => {
    // Made here, not in the updater: React may run an updater later (or twice).
    const created: Step | undefined = source.kind === 'new' ? newStep(source.stepKind, takenIds(flow.steps), stepCtx()) : undefined;
    ed.setSteps((steps) => applyDrop(steps, source, place, () => created!));
    if (created) select({ kind: 'step', id: created.id });
  };
  const onStart = (e: DragStartEvent) => {
    const data = e.active.data.current as FlowDragData | undefined;
    if (data?.source) setDrag({ source: data.source, label: data.label ?? '…' });
  };
  const onEnd = (e: DragEndEvent) => {
    setDrag(null);
    const source = (e.active.data.current as FlowDragData | undefined)?.source;
    const place = (e.over?.data.current as FlowDragData | undefined)?.place;
    if (source && place) drop(source, place);
  };

  /** A click on the palette: after the selected step, at the end of the selected branch, else at the end of the flow. */
  const append = (kind: StepKind) => {
    const sel = selection.kind === 'step' ? findStep(flow.steps, selection.id) : undefined;
    const place: Place = sel ? { list: sel.list, index: sel.index + 1 }
      : selection.kind === 'branch' ? { list: { step: selection.step, branch: selection.branch }, index: Number.MAX_SAFE_INTEGER }
      : { list: null, index: flow.steps.length };
    drop({ kind: 'new', stepKind: kind }, place);
  };
  const newBranch = (stepId: string, ruled: boolean) => {
    ed.setSteps((steps) => {
      const taken = takenIds(steps);
      const n = (findStep(steps, stepId)?.step.branches?.length ?? 0) + (ruled ? 0 : 1);
      return addBranch(steps, stepId, ruled ? newRuledBranch(taken, n, ed.entity) : defaultBranch(taken));
    });
  };

  const panel = selection.kind === 'step' && findStep(flow.steps, selection.id)
    ? <StepPanel key={selection.id} ed={ed} stepId={selection.id} />
    : selection.kind === 'branch' && findStep(flow.steps, selection.step)
      ? <BranchPanel key={selection.branch} ed={ed} stepId={selection.step} branchId={selection.branch} />
      : <TriggerPanel ed={ed} />;

  return (
    <DndContext sensors={sensors} collisionDetection={collide} autoScroll={AUTO_SCROLL} measuring={MEASURING} onDragStart={onStart} onDragEnd={onEnd} onDragCancel={() => setDrag(null)}>
      <IssueSummary ed={ed} />
      {!flow.steps.length && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="flow-empty"
          title={tr(lang, '添加第一个步骤：从左侧拖到画布上，或点击它。草稿在有了步骤之后才会保存。', 'Add the first step: drag it from the left onto the canvas, or click it. The draft is saved once the flow has a step.')} />
      )}
      <div className="flow-designer">
        <Palette lang={lang} onAdd={append} />
        <Canvas ed={ed} dragging={drag?.source ?? null} summary={summary} insert={(kind, place) => drop({ kind: 'new', stepKind: kind }, place)} newBranch={newBranch} />
        <div className="flow-panel">{panel}</div>
      </div>
      <DragOverlay dropAnimation={null}>
        {drag && <div className="flow-overlay">{drag.source.kind === 'new' ? `${STEP_INFO[drag.source.stepKind].icon} ` : ''}{drag.label}</div>}
      </DragOverlay>
    </DndContext>
  );
}

/** How many findings the flow has, and where: a click goes to the step (or the trigger). */
function IssueSummary(p: { ed: FlowEditor }) {
  const { ed } = p;
  const { lang } = ed;
  if (!ed.issues.length) return null;
  const where = (pointer: string) => {
    const place = issuePlace(ed.flow, pointer);
    if (place.kind === 'trigger') return { text: tr(lang, '触发条件', 'Trigger'), go: () => ed.select({ kind: 'trigger' }) };
    if (place.kind === 'step') {
      const s = findStep(ed.flow.steps, place.id)!.step;
      return { text: `${labelOf(s.label, lang) || tr(lang, ...STEP_INFO[s.kind].name)} (${s.id})`, go: () => ed.select({ kind: 'step', id: s.id }) };
    }
    return { text: tr(lang, '自动化', 'Flow'), go: undefined };
  };
  const pending = ed.issues.filter((i) => i.pending).length;
  return (
    <div className="flow-issue-bar" data-testid="flow-issues" data-count={ed.issues.length}>
      <Popover trigger="click" placement="bottomLeft" content={(
        <List size="small" style={{ maxWidth: 520, maxHeight: 360, overflow: 'auto' }} dataSource={[...ed.issues]} renderItem={(i) => {
          const w = where(i.pointer);
          return (
            <List.Item actions={w.go ? [<Button key="go" size="small" type="link" onClick={w.go}>{tr(lang, '查看', 'Show')}</Button>] : []}>
              <div><Typography.Text strong>{w.text}</Typography.Text><div className={i.pending ? undefined : 'issue-text'}>{i.message}</div></div>
            </List.Item>
          );
        }} />
      )}>
        <Button size="small" danger={pending < ed.issues.length} data-testid="flow-issues-button">
          <Badge status={pending < ed.issues.length ? 'error' : 'warning'} />
          {tr(lang, `${ed.issues.length} 个问题`, `${ed.issues.length} issue${ed.issues.length > 1 ? 's' : ''}`)}
        </Button>
      </Popover>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {pending === ed.issues.length
          ? tr(lang, '草稿已保存；发布前需要处理这些引用问题。', 'The draft is saved; fix these references before publishing.')
          : tr(lang, '有问题的修改不会保存，请处理标红的地方。', 'Changes with problems are not saved: fix what is marked in red.')}
      </Typography.Text>
    </div>
  );
}
