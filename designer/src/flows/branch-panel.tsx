import { Alert, Button, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { RuleBuilder } from '@crm/ui';
import { tr } from '../shell/i18n.js';
import { issuesText } from '../state/issues.js';
import { LabelInputs } from '../views/label-inputs.js';
import type { FlowEditor } from './editor.js';
import { ruleFields } from './rule-fields.js';
import { branchIssues } from './flow-ops.js';
import { findStep, isDefaultBranch, removeBranch, shiftBranch, updateBranch } from './step-tree.js';
import { hasPrevious } from './variables.js';

/** One branch of a branch step: its name and the condition that picks it (the default branch has none and runs last). */
export function BranchPanel(p: { ed: FlowEditor; stepId: string; branchId: string }) {
  const { ed } = p;
  const { lang } = ed;
  const found = findStep(ed.flow.steps, p.stepId);
  const branches = found?.step.branches ?? [];
  const index = branches.findIndex((b) => b.id === p.branchId);
  const branch = branches[index];
  if (!found || !branch) return null;
  const isLoop = found.step.kind === 'loop';
  const issues = branchIssues(ed.issues, found.pointer, index);
  const set = (fn: Parameters<typeof updateBranch>[3], tag?: string) => ed.setSteps((s) => updateBranch(s, p.stepId, p.branchId, fn), tag);
  const def = isDefaultBranch(branch);
  const count = branch.steps?.length ?? 0;
  return (
    <div data-testid="branch-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {isLoop ? tr(lang, '循环体', 'Loop body') : def ? tr(lang, '默认分支', 'Default branch') : tr(lang, `分支 ${index + 1}`, `Branch ${index + 1}`)} <code className="flow-id">{branch.id}</code>
      </Typography.Title>
      {issues.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={issuesText(issues)} />}
      {!isLoop && (
        <>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tr(lang, '分支名称', 'Branch name')}</Typography.Text>
          <LabelInputs optional size="small" value={branch.label ?? {}} testId="branch-label"
            onChange={(l, text) => set((b) => {
              const next = Object.fromEntries(Object.entries({ ...b.label, [l]: text || undefined }).filter(([, v]) => v));
              const { label: _old, ...rest } = b;
              return Object.keys(next).length ? { ...rest, label: next } : rest;
            }, `${branch.id}.label`)} />
          <div style={{ marginTop: 12 }}>
            {def
              ? <Typography.Paragraph type="secondary">{tr(lang, '前面的分支条件都不满足时，执行这个分支。它总在最后。', 'Runs when no branch before it matches. It always comes last.')}</Typography.Paragraph>
              : (
                <>
                  <Typography.Text strong>{tr(lang, '满足这个条件时走这个分支', 'Take this branch when')}</Typography.Text>
                  {ed.entity
                    ? <RuleBuilder fields={ruleFields(ed.entity)} ownership={ed.entity.ownership} value={branch.rule} lang={lang} testId="branch-rule"
                        previous={hasPrevious(ed.flow.trigger)} onChange={(rule) => set((b) => ({ ...b, rule: (rule ?? {}) as Record<string, unknown> }))} />
                    : <Typography.Paragraph type="secondary">{tr(lang, '没有触发记录的自动化只能按时间判断。', 'A flow without a trigger record can only test the time.')}</Typography.Paragraph>}
                </>
              )}
          </div>
          <Space style={{ marginTop: 12 }}>
            <Tooltip title={tr(lang, '左移（更早判断）', 'Move left (tested earlier)')}>
              <Button size="small" disabled={def || index === 0} onClick={() => ed.setSteps((s) => shiftBranch(s, p.stepId, p.branchId, -1))} data-testid="branch-left">←</Button>
            </Tooltip>
            <Tooltip title={tr(lang, '右移', 'Move right')}>
              <Button size="small" disabled={def || index >= branches.length - 1 || isDefaultBranch(branches[index + 1]!)} onClick={() => ed.setSteps((s) => shiftBranch(s, p.stepId, p.branchId, 1))} data-testid="branch-right">→</Button>
            </Tooltip>
            <Popconfirm disabled={branches.length <= 1} title={count ? tr(lang, `删除这个分支和其中的 ${count} 个步骤？`, `Delete this branch and its ${count} steps?`) : tr(lang, '删除这个分支？', 'Delete this branch?')}
              okText={tr(lang, '删除', 'Delete')} cancelText={tr(lang, '取消', 'Cancel')}
              onConfirm={() => { ed.setSteps((s) => removeBranch(s, p.stepId, p.branchId)); ed.select({ kind: 'step', id: p.stepId }); }}>
              <Button size="small" danger disabled={branches.length <= 1} data-testid="branch-delete">{tr(lang, '删除分支', 'Delete branch')}</Button>
            </Popconfirm>
          </Space>
        </>
      )}
      {isLoop && <Typography.Paragraph type="secondary">{tr(lang, '循环体中的步骤对每条相关记录执行一遍；用变量「当前记录 ID」读取正在处理的记录。', 'The steps of the body run once per related record; the variable "current record id" names the one being handled.')}</Typography.Paragraph>}
    </div>
  );
}
