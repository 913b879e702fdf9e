import { Alert, Button, Divider, Popconfirm, Typography } from 'antd';
import { tr } from '../shell/i18n.js';
import { issuesText } from '../state/issues.js';
import { LabelInputs } from '../views/label-inputs.js';
import { ConfigPanel } from './config-panel.js';
import type { FlowEditor } from './editor.js';
import { stepIssues } from './flow-ops.js';
import { STEP_INFO } from './step-kinds.js';
import { findStep, removeStep, updateStep } from './step-tree.js';

/** The selected step: its name, what the kind does, its settings, and delete. */
export function StepPanel(p: { ed: FlowEditor; stepId: string }) {
  const { ed } = p;
  const { lang } = ed;
  const found = findStep(ed.flow.steps, p.stepId);
  if (!found) return null;
  const { step, pointer } = found;
  const info = STEP_INFO[step.kind];
  // Findings on the step itself (its id, its branches' shape); the config's show on their controls.
  const own = stepIssues(ed.issues, pointer).filter((i) => !i.pointer.startsWith(`${pointer}/config/`) && !/\/branches\/\d+\//.test(i.pointer.slice(pointer.length)));
  const configRoot = ed.issues.filter((i) => i.pointer === `${pointer}/config`);
  const label = step.label ?? {};
  const inside = step.branches?.reduce((n, b) => n + (b.steps?.length ?? 0), 0) ?? 0;
  return (
    <div data-testid="step-panel">
      <div className="flow-panel-head">
        <span className="flow-kind-icon" style={{ background: info.color }}>{info.icon}</span>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Typography.Text strong>{tr(lang, ...info.name)}</Typography.Text> <code className="flow-id">{step.id}</code>
          <div className="flow-panel-desc">{tr(lang, ...info.description)}</div>
        </div>
        <Popconfirm title={inside ? tr(lang, `删除这个步骤和其中的 ${inside} 个步骤？`, `Delete this step and the ${inside} steps inside it?`) : tr(lang, '删除这个步骤？', 'Delete this step?')}
          okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}
          onConfirm={() => { ed.setSteps((s) => removeStep(s, step.id)); ed.select({ kind: 'trigger' }); }}>
          <Button size="small" danger data-testid="step-delete">{tr(lang, '删除', 'Delete')}</Button>
        </Popconfirm>
      </div>
      {[...own, ...configRoot].length > 0 && <Alert type="error" showIcon style={{ margin: '8px 0' }} title={issuesText([...own, ...configRoot])} data-testid="step-issues" />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '步骤名称（可选，显示在画布和运行记录中）', 'Step name (optional, shown on the canvas and in run logs)')}</Typography.Text>
      <LabelInputs optional size="small" value={label} testId="step-label"
        onChange={(l, text) => ed.setSteps((steps) => updateStep(steps, step.id, (s) => {
          const next = Object.fromEntries(Object.entries({ ...s.label, [l]: text || undefined }).filter(([, v]) => v));
          const { label: _old, ...rest } = s;
          return Object.keys(next).length ? { ...rest, label: next } : rest;
        }), `${step.id}.label`)} />
      <Divider style={{ margin: '12px 0' }} />
      <ConfigPanel ed={ed} stepId={step.id} />
    </div>
  );
}
