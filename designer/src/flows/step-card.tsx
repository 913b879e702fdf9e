import { useDraggable } from '@dnd-kit/core';
import type { ReactNode } from 'react';
import { Button, Popconfirm, Tag, Tooltip } from 'antd';
import { labelOf } from '@crm/ui';
import type { Step } from '@crm/metadata';
import { tr } from '../shell/i18n.js';
import { issuesText, type DocIssue } from '../state/issues.js';
import type { FlowEditor } from './editor.js';
import type { FlowDragData } from './flow-dnd.js';
import { STEP_INFO } from './step-kinds.js';
import { removeStep } from './step-tree.js';

/** A step on the canvas: its kind, name or what it does, its findings; drag it to move it (with its branches), click to edit it. */
export function StepCard(p: { ed: FlowEditor; step: Step; summary: string; issues: DocIssue[]; foot?: ReactNode }) {
  const { ed, step } = p;
  const { lang } = ed;
  const info = STEP_INFO[step.kind];
  const title = labelOf(step.label, lang);
  const selected = ed.selection.kind === 'step' && ed.selection.id === step.id;
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `step:${step.id}`, data: { source: { kind: 'step', id: step.id }, label: title || tr(lang, ...info.name) } satisfies FlowDragData,
  });
  const inside = step.branches?.reduce((n, b) => n + (b.steps?.length ?? 0), 0) ?? 0;
  const remove = () => { ed.setSteps((s) => removeStep(s, step.id)); if (selected) ed.select({ kind: 'trigger' }); };
  return (
    <div ref={setNodeRef} {...listeners} {...attributes} style={{ borderLeftColor: info.color }}
      className={`flow-card${selected ? ' is-selected' : ''}${isDragging ? ' is-dragging' : ''}${p.issues.length ? ' has-issue' : ''}`}
      data-testid={`step-${step.id}`} data-kind={step.kind} onClick={() => ed.select({ kind: 'step', id: step.id })}>
      <div className="flow-card-head">
        <span className="flow-kind-icon" style={{ background: info.color }}>{info.icon}</span>
        <span className="flow-card-kind">{tr(lang, ...info.name)}</span>
        <code className="flow-id">{step.id}</code>
        {p.issues.length > 0 && <Tag color="error" className="flow-issue-tag" data-testid={`step-issues-${step.id}`}>{p.issues.length}</Tag>}
        <span onPointerDown={(e) => e.stopPropagation()} onClick={(e) => e.stopPropagation()} className="flow-card-tools">
          {inside > 0
            ? (
              <Popconfirm title={tr(lang, `删除这个步骤和其中的 ${inside} 个步骤？`, `Delete this step and the ${inside} steps inside it?`)} onConfirm={remove}
                okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}>
                <Button size="small" type="text" className="flow-card-remove" data-testid={`remove-step-${step.id}`}>✕</Button>
              </Popconfirm>
            )
            : <Tooltip title={tr(lang, '删除步骤', 'Delete step')}><Button size="small" type="text" className="flow-card-remove" onClick={remove} data-testid={`remove-step-${step.id}`}>✕</Button></Tooltip>}
        </span>
      </div>
      <div className="flow-card-title">{title || p.summary || tr(lang, ...info.description)}</div>
      {title && p.summary && <div className="flow-card-summary">{p.summary}</div>}
      {p.issues.length > 0 && <div className="issue-text flow-card-issues">{issuesText(p.issues)}</div>}
      {p.foot && <div className="flow-card-foot" onPointerDown={(e) => e.stopPropagation()} onClick={(e) => e.stopPropagation()}>{p.foot}</div>}
    </div>
  );
}
