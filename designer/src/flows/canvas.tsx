import { useDroppable } from '@dnd-kit/core';
import { Button, Dropdown, Tag, Tooltip } from 'antd';
import { Fragment, useLayoutEffect, useRef } from 'react';
import { STEP_KINDS, type Step, type StepKind } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { issuesUnder, issuesText } from '../state/issues.js';
import type { FlowEditor } from './editor.js';
import { branchIssues, stepIssues } from './flow-ops.js';
import { slotDndId, type FlowDragData, type FlowDragSource } from './flow-dnd.js';
import { StepCard } from './step-card.js';
import { PALETTE_GROUPS, STEP_INFO } from './step-kinds.js';
import { stepSummary, type SummaryContext } from './step-summary.js';
import { findStep, isDefaultBranch, type ListRef, type Place } from './step-tree.js';
import { triggerSummary } from './trigger-summary.js';

export interface CanvasProps {
  ed: FlowEditor;
  /** What is being dragged (gaps inside a dragged step are not drop targets). */
  dragging: FlowDragSource | null;
  summary: SummaryContext;
  insert: (kind: StepKind, place: Place) => void;
  newBranch: (stepId: string, ruled: boolean) => void;
}

/**
 * The flow as a vertical canvas: the trigger on top, then the steps one under
 * the other with connectors between them; a branch step fans out into
 * side-by-side columns, a loop's body is indented. Every gap is a drop target
 * and has a "+" to insert a step there.
 */
export function Canvas(p: CanvasProps) {
  const { ed } = p;
  const { lang } = ed;
  const triggerIssues = issuesUnder(ed.issues, '/trigger');
  const selected = ed.selection.kind === 'trigger';
  // A flow wider than the canvas (branches side by side) scrolls; it starts centred on the main line.
  // As it grows or shrinks, the scroll keeps the main line where it was.
  const box = useRef<HTMLDivElement>(null);
  const width = useRef(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || el.scrollWidth === width.current) return;
    el.scrollLeft = width.current ? el.scrollLeft + (el.scrollWidth - width.current) / 2 : (el.scrollWidth - el.clientWidth) / 2;
    width.current = el.scrollWidth;
  });
  return (
    <div className="flow-canvas" data-testid="flow-canvas" ref={box}>
      <div className="flow-canvas-inner">
        <div className={`flow-card flow-trigger-card${selected ? ' is-selected' : ''}${triggerIssues.length ? ' has-issue' : ''}`} data-testid="trigger-card"
          onClick={() => ed.select({ kind: 'trigger' })}>
          <div className="flow-card-head">
            <span className="flow-kind-icon" style={{ background: '#16a34a' }}>⚡</span>
            <span className="flow-card-kind">{tr(lang, '触发条件', 'Trigger')}</span>
            {triggerIssues.length > 0 && <Tag color="error" className="flow-issue-tag">{triggerIssues.length}</Tag>}
          </div>
          <div className="flow-card-title" data-testid="trigger-summary">{triggerSummary(ed.flow.trigger, ed.entities, lang)}</div>
          {triggerIssues.length > 0 && <div className="issue-text flow-card-issues">{issuesText(triggerIssues)}</div>}
        </div>
        <StepList {...p} list={null} steps={ed.flow.steps} disabled={false} />
        <div className="flow-end">{tr(lang, '结束', 'End')}</div>
      </div>
    </div>
  );
}

function StepList(p: CanvasProps & { list: ListRef; steps: readonly Step[]; disabled: boolean }) {
  const steps = Array.isArray(p.steps) ? p.steps : [];
  return (
    <div className="flow-list">
      <Slot {...p} place={{ list: p.list, index: 0 }} empty={!steps.length} />
      {steps.map((s, i) => (
        <Fragment key={s.id}>
          <StepNode {...p} step={s} disabled={p.disabled || (p.dragging?.kind === 'step' && p.dragging.id === s.id)} />
          <Slot {...p} place={{ list: p.list, index: i + 1 }} empty={false} />
        </Fragment>
      ))}
    </div>
  );
}

function StepNode(p: CanvasProps & { step: Step; disabled: boolean }) {
  const { ed, step } = p;
  const { lang } = ed;
  const pointer = findStep(ed.flow.steps, step.id)?.pointer ?? '';
  const branches = Array.isArray(step.branches) ? step.branches : [];
  // The branches' own findings show on their columns.
  const own = stepIssues(ed.issues, pointer).filter((i) => !/^\/branches\/\d+($|\/)/.test(i.pointer.slice(pointer.length)));
  return (
    <div className="flow-node">
      <StepCard ed={ed} step={step} summary={stepSummary(step, p.summary)} issues={own}
        foot={step.kind === 'branch' && (
          <>
            <Tooltip title={tr(lang, '加一个按条件执行的分支（在默认分支之前）', 'A branch taken on a condition (before the default one)')}>
              <Button size="small" type="dashed" onClick={() => p.newBranch(step.id, true)} data-testid={`add-branch-${step.id}`}>{tr(lang, '+ 分支', '+ Branch')}</Button>
            </Tooltip>
            {!branches.some(isDefaultBranch) && (
              <Button size="small" type="dashed" onClick={() => p.newBranch(step.id, false)} data-testid={`add-default-${step.id}`}>{tr(lang, '+ 默认分支', '+ Default')}</Button>
            )}
          </>
        )} />
      {step.kind === 'loop' && branches[0] && (
        <div className="flow-loop" data-testid={`loop-body-${step.id}`}>
          <div className={`flow-loop-head${ed.selection.kind === 'branch' && ed.selection.branch === branches[0].id ? ' is-selected' : ''}`}
            onClick={() => ed.select({ kind: 'branch', step: step.id, branch: branches[0]!.id })}>
            ↻ {tr(lang, '对每条记录执行', 'For each record')}
          </div>
          <StepList {...p} list={{ step: step.id, branch: branches[0].id }} steps={branches[0].steps} />
        </div>
      )}
      {step.kind === 'branch' && (
        <div className="flow-branches" data-testid={`branches-${step.id}`}>
          {branches.map((b, j) => {
            const issues = branchIssues(ed.issues, pointer, j);
            const selected = ed.selection.kind === 'branch' && ed.selection.branch === b.id;
            const def = isDefaultBranch(b);
            return (
              <div key={b.id} className="flow-branch" data-testid={`branch-${b.id}`}>
                <div className={`flow-branch-head${selected ? ' is-selected' : ''}${issues.length ? ' has-issue' : ''}`} onClick={() => ed.select({ kind: 'branch', step: step.id, branch: b.id })}>
                  <Tag color={def ? 'default' : 'purple'} style={{ marginRight: 4 }}>{def ? tr(lang, '否则', 'else') : j + 1}</Tag>
                  <span className="flow-branch-name">{labelOf(b.label, lang) || (def ? tr(lang, '其他情况', 'Otherwise') : tr(lang, `分支 ${j + 1}`, `Branch ${j + 1}`))}</span>
                  {issues.length > 0 && <Tag color="error" className="flow-issue-tag">{issues.length}</Tag>}
                  {issues.length > 0 && <div className="issue-text">{issuesText(issues)}</div>}
                </div>
                <StepList {...p} list={{ step: step.id, branch: b.id }} steps={b.steps} />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** A gap between steps: the connector, a drop target while dragging, and a "+" that inserts a step there. */
function Slot(p: CanvasProps & { place: Place; empty: boolean; disabled: boolean }) {
  const { lang } = p.ed;
  const { setNodeRef, isOver } = useDroppable({ id: slotDndId(p.place), disabled: p.disabled, data: { place: p.place } satisfies FlowDragData });
  const active = !!p.dragging && !p.disabled;
  const items = PALETTE_GROUPS.map(([g, zh, en]) => ({
    type: 'group' as const, key: g, label: tr(lang, zh, en),
    children: STEP_KINDS.filter((k) => STEP_INFO[k].group === g).map((k) => ({
      key: k, label: <span data-testid={`insert-${k}`}>{STEP_INFO[k].icon} {tr(lang, ...STEP_INFO[k].name)}</span>,
    })),
  }));
  const id = slotDndId(p.place).replace(/[:/]/g, '-');
  return (
    <div ref={setNodeRef} className={`flow-slot${p.empty ? ' is-empty' : ''}${active ? ' is-active' : ''}${isOver && active ? ' is-over' : ''}`} data-testid={id}>
      {p.empty
        ? <div className="flow-slot-empty">{tr(lang, '把步骤拖到这里', 'Drag a step here')}</div>
        : <div className="flow-slot-line" />}
      {!p.dragging && (
        <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => p.insert(key as StepKind, p.place) }}>
          <button type="button" className="flow-slot-add" aria-label={tr(lang, '在这里插入步骤', 'Insert a step here')} data-testid={`${id}-add`}>+</button>
        </Dropdown>
      )}
    </div>
  );
}
