import { Alert, Button, Card, Checkbox, Empty, Form, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { isFieldType, RECORD_EVENTS } from '@crm/metadata';
import { cells, inputs, labelOf, type Lang, type UiField, type WidgetContext } from '@crm/ui';
import { useDraft } from '../state/draft-context.js';
import { docsOf } from '../state/documents.js';
import { tr } from '../shell/i18n.js';
import type { EntityBody, FieldBody } from '../model.js';
import { changeRows, dryRunRequest, isNotFound, skippedWait, type DryRunResult, type DryRunRun, type DryRunStep, type DryRunWrite } from './dry-run-ops.js';
import type { FlowBody } from './flow-ops.js';
import type { PublishState } from './flow-page.js';
import { StatusTag } from './runs-table.js';
import { STEP_INFO } from './step-kinds.js';
import { findStep } from './step-tree.js';
import { durationText } from './trigger-summary.js';
import { useMembers } from './use-workspace.js';
import { writableFields } from './values-editor.js';

type Rec = Record<string, unknown> & { id: string };
const EVENT_NAMES: Record<string, [string, string]> = { created: ['新建', 'created'], updated: ['修改', 'updated'], deleted: ['删除', 'deleted'], restored: ['恢复', 'restored'] };

/**
 * Tries the flow on a record without saving or sending anything: the server
 * runs the whole cascade in a transaction it rolls back and reports each
 * run's steps, their field changes, and the mails and requests they would
 * have sent. Pick a record, optionally a change of one field, and run.
 */
export function DryRunPanel(p: { flow: FlowBody; entity: EntityBody | undefined; state: PublishState }) {
  const d = useDraft();
  const { lang } = d;
  const members = useMembers();
  const t = p.flow.trigger;
  const [recordId, setRecordId] = useState<string>();
  const [field, setField] = useState<string>();
  const [value, setValue] = useState<unknown>(null);
  const [event, setEvent] = useState<(typeof RECORD_EVENTS)[number]>(t.kind === 'record' ? t.on[0]! : 'updated');
  const [only, setOnly] = useState(true);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [problem, setProblem] = useState<ReactNode>(null);
  const entity = p.entity;
  const widget: WidgetContext = { lang, api: d.api, ws: d.ws, members };
  if (!entity) {
    return <Alert type="info" showIcon title={tr(lang, '试运行需要一个有触发记录的自动化（定时和无对象的 Webhook 暂不支持）。', 'A dry run needs a flow with a trigger record (schedules and webhooks without an entity are not supported yet).')} />;
  }
  const changeField = writableFields(entity).find((f) => f.key === field);
  const run = async () => {
    if (!recordId) return;
    setBusy(true); setProblem(null);
    try {
      const body = dryRunRequest({ entity: entity.key, recordId, event, ...(changeField ? { change: { field: changeField.key, value } } : {}), ...(only ? { flow: p.flow.id } : {}) });
      const r = await d.api.send<{ data: DryRunResult }>('POST', `/api/w/${d.ws}/automation/dry-run`, body);
      setResult(r.data);
    } catch (err) {
      setResult(null);
      setProblem(isNotFound(err)
        ? tr(lang, '服务器没有返回试运行结果（404）：试运行功能可能尚未在这台服务器上线，或所选记录、自动化已不存在（试运行只认已发布的自动化）。', 'The server returned no dry run (404): the dry run may not be available on this server yet, or the record or the flow is gone (a dry run only knows published flows).')
        : (err as Error).message);
    } finally { setBusy(false); }
  };
  return (
    <div className="flow-dry" data-testid="dry-run">
      {p.state === 'new' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={tr(lang, '先发布这个自动化，才能试运行（试运行使用已发布的版本）。', 'Publish this flow first: a dry run uses the published version.')} />}
      {p.state === 'changed' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={tr(lang, '试运行使用已发布的版本，草稿中的修改要发布后才会生效。', 'A dry run uses the published version; the draft\'s changes count once published.')} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="vertical" requiredMark={false}>
          <Space wrap align="start" size={16}>
            <Form.Item label={tr(lang, `选择一条${labelOf(entity.label, lang)}`, `Pick a ${labelOf(entity.label, lang)}`)} style={{ marginBottom: 8 }}>
              <RecordSearch entity={entity} value={recordId} onChange={setRecordId} />
            </Form.Item>
            <Form.Item label={tr(lang, '模拟修改一个字段（可选）', 'Change a field (optional)')} style={{ marginBottom: 8 }}>
              <Space.Compact>
                <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} value={field} placeholder={tr(lang, '不修改', 'No change')} data-testid="dry-field"
                  onChange={(k?: string) => { setField(k); setValue(null); }} options={writableFields(entity).map((f) => ({ value: f.key, label: labelOf(f.label, lang) || f.key }))} />
              </Space.Compact>
            </Form.Item>
            {changeField && isFieldType(changeField.type) && (
              <Form.Item label={tr(lang, '改为', 'New value')} style={{ marginBottom: 8, minWidth: 200 }}>
                <div data-testid="dry-value">{inputs[changeField.type]({ field: changeField as UiField, value, onChange: setValue, ctx: widget })}</div>
              </Form.Item>
            )}
            {!changeField && (
              <Form.Item label={tr(lang, '当作这条记录被', 'As if the record was')} style={{ marginBottom: 8 }}>
                <Select value={event} style={{ width: 120 }} onChange={setEvent} data-testid="dry-event"
                  options={RECORD_EVENTS.map((e) => ({ value: e, label: tr(lang, ...EVENT_NAMES[e]!) }))} />
              </Form.Item>
            )}
          </Space>
          <Space>
            <Checkbox checked={only} onChange={(e) => setOnly(e.target.checked)}>{tr(lang, '只从这个自动化开始（它引起的其他自动化照样试运行）', 'Start with this flow only (flows it sets off still run)')}</Checkbox>
            <Button type="primary" disabled={!recordId || p.state === 'new'} loading={busy} onClick={run} data-testid="dry-run-go">{tr(lang, '试运行', 'Dry run')}</Button>
          </Space>
        </Form>
      </Card>
      {problem && <Alert type="warning" showIcon title={problem} data-testid="dry-run-problem" />}
      {result && <DryRunReport result={result} lang={lang} widget={widget} />}
    </div>
  );
}

/** Records of the entity found by what is typed (the list's own search), titled by the title field. */
function RecordSearch(p: { entity: EntityBody; value: string | undefined; onChange: (id: string | undefined) => void }) {
  const d = useDraft();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      d.api.get<{ data: Rec[] }>(`/api/w/${d.ws}/records/${p.entity.key}?limit=20${q ? `&q=${encodeURIComponent(q)}` : ''}`).then((r) => {
        if (live) setOptions(r.data.map((x) => ({ value: x.id, label: String(x[p.entity.titleField ?? 'name'] ?? x.id) })));
      }, () => live && setOptions([]));
    }, 200);
    return () => { live = false; clearTimeout(t); };
  }, [q, p.entity.key, d.api, d.ws]);
  return <Select showSearch allowClear filterOption={false} style={{ width: 240 }} value={p.value} onSearch={setQ} onChange={p.onChange} options={options}
    placeholder={d.lang === 'en' ? 'Search…' : '输入名称搜索…'} data-testid="dry-record" notFoundContent={null} />;
}

function DryRunReport(p: { result: DryRunResult; lang: Lang; widget: WidgetContext }) {
  const { result, lang } = p;
  const t = result.totals;
  return (
    <div data-testid="dry-run-report">
      <Alert type="success" showIcon banner style={{ marginBottom: 12 }} data-testid="dry-run-banner"
        title={tr(lang, '试运行：未写入任何数据、未发送任何邮件或请求', 'Dry run: nothing was saved or sent')}
        description={tr(lang,
          `会执行 ${t.runs} 个自动化、${t.steps} 个步骤：写入 ${t.writes} 次，发送 ${t.mails} 封邮件、${t.requests} 个请求${t.notifications !== undefined ? `、${t.notifications} 条通知` : ''}。`,
          `${t.runs} flows and ${t.steps} steps would run: ${t.writes} writes, ${t.mails} mails, ${t.requests} requests${t.notifications !== undefined ? `, ${t.notifications} notifications` : ''}.`)} />
      {!result.runs.length && <Empty description={tr(lang, '这个变化不会触发任何自动化（触发条件或条件不满足）。', 'This change starts no flow (the trigger or its condition does not match).')} />}
      {result.runs.map((r, i) => <RunReport key={i} run={r} lang={lang} widget={p.widget} />)}
    </div>
  );
}

function RunReport(p: { run: DryRunRun; lang: Lang; widget: WidgetContext }) {
  const d = useDraft();
  const { run, lang } = p;
  const flow = d.docs[`flow/${run.flow}`]?.body as FlowBody | undefined;
  // The key's last part is the step's id (`b1/s3`, `s5[2]/s6`); the report may leave the kind out, the flow knows it.
  const stepName = (s: DryRunStep) => {
    const id = s.key.split('/').pop()!.replace(/\[\d+\]$/, '');
    const found = flow ? findStep(flow.steps, id)?.step : undefined;
    const info = STEP_INFO[(s.kind || found?.kind) as keyof typeof STEP_INFO];
    return labelOf(found?.label, lang) || (info ? tr(lang, ...info.name) : s.kind || id);
  };
  return (
    <Card size="small" className="flow-dry-run" style={{ marginLeft: run.depth * 28 }} data-testid={`dry-run-${run.flow}`}
      title={<Space>{run.depth > 0 && <span className="flow-dry-depth">↳</span>}<span>{labelOf(run.label ?? flow?.label, lang) || run.flow}</span><StatusTag status={run.status} lang={lang} />
        {run.depth > 0 && <Tag>{tr(lang, `由上一层的写入引起 · 第 ${run.depth} 层`, `set off by a write above · level ${run.depth}`)}</Tag>}</Space>}>
      {run.error && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={`${run.error.code}: ${run.error.message}`} />}
      {!run.steps.length && <Typography.Text type="secondary">{tr(lang, '没有执行任何步骤', 'No step ran')}</Typography.Text>}
      {run.steps.map((s) => {
        const wait = skippedWait(s);
        return (
          <div key={s.key} className={`flow-run-step is-${s.status}`} data-testid={`dry-step-${s.key}`}>
            <div className="flow-run-step-head">
              <StatusTag status={s.status} lang={lang} />
              <Typography.Text strong>{stepName(s)}</Typography.Text>
              <code className="flow-id">{s.key}</code>
              {wait && <Tag color="gold">{tr(lang, `跳过等待 ${durationText(wait, lang)}`, `skipped a wait of ${durationText(wait, lang)}`)}</Tag>}
            </div>
            {s.error && <div className="issue-text">{String(s.error.code ?? '')} {String(s.error.message ?? '')}</div>}
            {s.writes.map((w, i) => <WriteDiff key={i} write={w} lang={lang} widget={p.widget} />)}
            {s.mails.map((m, i) => (
              <div key={i} className="flow-dry-effect" data-testid="dry-mail">
                <div>✉ <b>{m.subject}</b> → {m.to.join(', ')}</div>
                <pre className="flow-json">{m.text}</pre>
              </div>
            ))}
            {s.requests.map((r, i) => (
              <div key={i} className="flow-dry-effect" data-testid="dry-request">
                <div>⇄ <b>{r.method}</b> <code>{r.url}</code></div>
                <pre className="flow-json">{Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n')}{r.body ? `\n\n${r.body}` : ''}</pre>
              </div>
            ))}
            {s.notifications.map((n, i) => (
              <div key={i} className="flow-dry-effect" data-testid="dry-notification">◎ <b>{n.title}</b> → {n.users.map((u) => p.widget.members?.find((m) => m.id === u)?.name ?? u.slice(0, 8)).join('、')}</div>
            ))}
          </div>
        );
      })}
    </Card>
  );
}

/** A write's field changes, from -> to, values shown the way the app shows them. */
function WriteDiff(p: { write: DryRunWrite; lang: Lang; widget: WidgetContext }) {
  const d = useDraft();
  const { write, lang } = p;
  const entity = docsOf<EntityBody>(d.docs, 'entity').find((e) => e.body.key === write.entity)?.body;
  const rows = changeRows(write);
  const show = (f: FieldBody | undefined, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '') return <span className="crm-empty">—</span>;
    if (f && isFieldType(f.type)) return cells[f.type]({ field: f as UiField, value: v, ctx: p.widget });
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return (
    <div className="flow-dry-effect" data-testid="dry-write">
      <div>{write.action === 'create' ? tr(lang, '新建', 'Create') : tr(lang, '更新', 'Update')} {labelOf(entity?.label, lang) || write.entity} <code className="flow-id">{write.id.slice(0, 8)}</code></div>
      {!rows.length && <div className="flow-panel-desc">{tr(lang, '（没有字段变化：值与原来相同）', '(no field changes: the values were already so)')}</div>}
      <table className="flow-diff">
        <tbody>
          {rows.map((r) => {
            const f = (entity?.fields as FieldBody[] | undefined)?.find((x) => x.key === r.field);
            return (
              <tr key={r.field} data-testid={`dry-diff-${r.field}`}>
                <td className="flow-diff-field">{labelOf(f?.label, lang) || r.field}</td>
                <td>{write.action === 'create' ? null : show(f, r.from)}</td>
                <td className="flow-diff-arrow">{write.action === 'create' ? '' : '→'}</td>
                <td>{show(f, r.to)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
