import { Alert, App, Button, Collapse, Descriptions, Drawer, Empty, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import dayjs from 'dayjs';
import { STEP_KINDS, type StepKind } from '@crm/metadata';
import { labelOf } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import type { EntityBody } from '../model.js';
import { tr } from '../shell/i18n.js';
import type { FlowBody } from './flow-ops.js';
import { StatusTag } from './runs-table.js';
import { durationText, recordHref, runDuration, type RunDetail } from './runs-ops.js';
import { STEP_INFO } from './step-kinds.js';
import { findStep } from './step-tree.js';
import { useMembers } from './use-workspace.js';

const EVENTS: Record<string, [string, string]> = { created: ['新建', 'created'], updated: ['修改', 'updated'], deleted: ['删除', 'deleted'], restored: ['恢复', 'restored'] };
const json = (v: unknown) => <pre className="flow-json">{JSON.stringify(v, null, 2)}</pre>;
const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** One run: what set it off, and each step with its status, input, output, error, attempts and duration; retry when it failed. */
export function RunDrawer(p: { runId: string; onClose: () => void; onRetried?: () => void }) {
  const d = useDraft();
  const { lang } = d;
  const { message } = App.useApp();
  const members = useMembers();
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => d.api.get<{ data: RunDetail }>(`/api/w/${d.ws}/automation/runs/${p.runId}`).then((r) => setRun(r.data), (e: Error) => setError(e.message)), [d.api, d.ws, p.runId]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (!run || ['completed', 'stopped', 'failed'].includes(run.status)) return;
    const t = setTimeout(() => void load(), 2000);
    return () => clearTimeout(t);
  }, [run, load]);
  const flow = run ? (d.docs[`flow/${run.flow}`]?.body as FlowBody | undefined) : undefined;
  const stepName = (key: string, kind: string) => {
    const id = key.split('/').pop()!.replace(/\[\d+\]$/, '');
    const s = flow ? findStep(flow.steps, id)?.step : undefined;
    const known = (STEP_KINDS as readonly string[]).includes(kind) ? STEP_INFO[kind as StepKind] : undefined;
    return labelOf(s?.label, lang) || (known ? tr(lang, ...known.name) : kind);
  };
  const retry = async () => {
    setBusy(true);
    try {
      await d.api.send('POST', `/api/w/${d.ws}/automation/runs/${p.runId}/retry`);
      message.success(tr(lang, '已重新排队，将从失败的步骤继续', 'Queued again: it goes on from the step that failed'));
      p.onRetried?.();
      await load();
    } catch (err) { message.error((err as Error).message); } finally { setBusy(false); }
  };
  const href = run && recordHref(d.ws, run);
  const entity = run ? docsOf<EntityBody>(d.docs, 'entity').find((e) => e.body.key === run.entity)?.body : undefined;
  const fieldName = (k: string) => labelOf(entity?.fields.find((f) => f.key === k)?.label, lang) || k;
  const changed = run?.trigger?.changed ?? [];
  const event = run?.trigger?.event ? tr(lang, ...(EVENTS[run.trigger.event] ?? [run.trigger.event, run.trigger.event])) : '—';
  return (
    <Drawer open width={720} onClose={p.onClose} data-testid="run-drawer"
      title={<span>{tr(lang, '运行详情', 'Run')} {run && <StatusTag status={run.status} lang={lang} />}</span>}
      extra={run?.status === 'failed' && <Button type="primary" loading={busy} onClick={retry} data-testid="run-retry">{tr(lang, '重试', 'Retry')}</Button>}>
      {error && <Alert type="error" title={error} />}
      {!run && !error && <Spin />}
      {run && (
        <>
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 12 }}
            items={[
              { key: 'flow', label: tr(lang, '自动化', 'Flow'), children: labelOf(flow?.label, lang) || run.flow },
              { key: 'rec', label: tr(lang, '记录', 'Record'), children: href ? <a href={href}>{labelOf(entity?.label, lang) || run.entity} · {run.recordId!.slice(0, 8)}</a> : '—' },
              { key: 'by', label: tr(lang, '触发人', 'Triggered by'), children: run.triggeredBy ? members?.find((m) => m.id === run.triggeredBy)?.name ?? run.triggeredBy : tr(lang, '系统', 'system') },
              {
                key: 'event', label: tr(lang, '触发', 'Trigger'),
                children: run.trigger?.event === 'updated' && changed.length
                  ? `${event}${tr(lang, '：', ': ')}${changed.slice(0, 4).map(fieldName).join(tr(lang, '、', ', '))}${changed.length > 4 ? tr(lang, ` 等 ${changed.length} 个字段`, ` and ${changed.length - 4} more`) : ''}`
                  : event,
              },
              { key: 'at', label: tr(lang, '开始', 'Started'), children: dayjs(run.startedAt ?? run.createdAt).format('YYYY-MM-DD HH:mm:ss') },
              { key: 'took', label: tr(lang, '耗时', 'Took'), children: durationText(runDuration(run)) },
              ...(run.chain?.length ? [{ key: 'chain', label: tr(lang, '由这些自动化引起', 'Started by'), children: run.chain.join(' → ') }] : []),
              ...(run.wakeAt ? [{ key: 'wake', label: tr(lang, '将在此时继续', 'Resumes at'), children: dayjs(run.wakeAt).format('YYYY-MM-DD HH:mm') }] : []),
            ]} />
          {run.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={`${run.failedStep ? `${run.failedStep} · ` : ''}${run.error.message ?? ''}`} description={run.error.code} data-testid="run-error" />}
          {!run.steps.length && <Empty description={tr(lang, '还没有执行任何步骤', 'No step has run yet')} />}
          <div data-testid="run-steps">
            {run.steps.map((s) => (
              <div key={s.key} className={`flow-run-step is-${s.status}`} data-testid={`run-step-${s.key}`} data-status={s.status}>
                <div className="flow-run-step-head">
                  <StatusTag status={s.status} lang={lang} />
                  <Typography.Text strong>{stepName(s.key, s.kind)}</Typography.Text>
                  <code className="flow-id">{s.key}</code>
                  <span className="flow-run-step-meta">
                    {s.attempts > 1 && <Tag color="orange">{tr(lang, `第 ${s.attempts} 次尝试`, `attempt ${s.attempts}`)}</Tag>}
                    {durationText(s.durationMs)}
                  </span>
                </div>
                {s.error && <div className="issue-text">{String(s.error.code ?? '')} {String(s.error.message ?? '')}</div>}
                <Collapse size="small" ghost items={[
                  ...(!isEmpty(s.input) ? [{ key: 'in', label: tr(lang, '输入', 'Input'), children: json(s.input) }] : []),
                  ...(!isEmpty(s.output) ? [{ key: 'out', label: tr(lang, '输出', 'Output'), children: json(s.output) }] : []),
                  ...(s.error ? [{ key: 'err', label: tr(lang, '错误详情', 'Error'), children: json(s.error) }] : []),
                ]} />
              </div>
            ))}
          </div>
        </>
      )}
    </Drawer>
  );
}
