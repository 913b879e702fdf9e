import { Alert, Button, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, labelOf, widgets, type UiField, type WidgetContext } from '@crm/ui';
import { gateProblem, isEmptyValue, moveBody, type Detail, type GateProblem, type Rec } from './board-model.js';

export interface GateRequest {
  card: Rec;
  to: string;
  problem: GateProblem;
}

/**
 * A move the server refused at a stage gate: the missing fields as inputs
 * (the same widgets as the record form), then the move and the values in ONE
 * PATCH with the card's version, so nothing lands unless the move does. A new
 * refusal shows on its fields; a stale version (someone else changed the
 * card) closes the dialog and the board reloads the card.
 */
export function GateDialog(p: {
  request: GateRequest | null;
  fields: UiField[];
  titleField: string;
  stageField: string;
  stageLabel: (key: string) => string;
  entityKey: string;
  ctx: WidgetContext;
  onMoved: (record: Rec) => void;
  onStale: (card: Rec) => void;
  onCancel: () => void;
}) {
  const en = p.ctx.lang === 'en';
  const t = (zh: string, eng: string) => (en ? eng : zh);
  const [problem, setProblem] = useState<GateProblem | null>(null);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!p.request) return;
    setProblem(p.request.problem);
    setValues(Object.fromEntries(p.request.problem.fields.map((k) => [k, p.request!.card[k] ?? null])));
    setErrors({});
    setFailure(null);
  }, [p.request]);

  const req = p.request;
  const writable = new Set(p.fields.map((f) => f.key));
  const asked = (problem?.fields ?? []).map((k) => p.fields.find((f) => f.key === k)).filter((f): f is UiField => !!f);
  const ready = asked.every((f) => !isEmptyValue(values[f.key]));

  const retry = async () => {
    if (!req || !problem) return;
    setBusy(true);
    setFailure(null);
    try {
      const res = await p.ctx.api.send<{ data: Rec }>('PATCH', `/api/w/${p.ctx.ws}/records/${p.entityKey}/${String(req.card.id)}`,
        moveBody(p.stageField, req.to, values), { 'if-match': `"${String(req.card.version)}"` });
      p.onMoved(res.data);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 409) { p.onStale(req.card); return; }
      const again = gateProblem(err.status, err.details as Detail[], p.stageField, req.to, writable);
      if (again) {
        // Still refused: keep what was typed, ask for anything new, and say why on each field.
        const fields = [...problem.fields, ...again.fields.filter((k) => !problem.fields.includes(k))];
        setProblem({ ...again, fields });
        setValues((v) => ({ ...Object.fromEntries(fields.map((k) => [k, req.card[k] ?? null])), ...v }));
        setErrors(err.fieldErrors());
      } else {
        // Something the fields cannot fix (a value out of range, no right to edit): the server's words.
        setErrors(err.fieldErrors());
        setFailure([err.message, ...err.details.map((d) => d.message)].join('；'));
      }
    } finally {
      setBusy(false);
    }
  };

  const title = req ? String(req.card[p.titleField] ?? '') : '';
  return (
    <Modal open={!!req} onCancel={p.onCancel} destroyOnHidden width={520}
      title={req ? t(`移到「${p.stageLabel(req.to)}」前还需要填写`, `Before moving to “${p.stageLabel(req.to)}”`) : ''}
      footer={[
        <Button key="cancel" onClick={p.onCancel}>{t('取消', 'Cancel')}</Button>,
        <Button key="retry" type="primary" loading={busy} disabled={!ready} onClick={() => void retry()} data-testid="gate-retry">
          {t('保存并移动', 'Save and move')}
        </Button>,
      ]}>
      <div data-testid="gate-dialog">
        {title && <Typography.Paragraph strong style={{ marginBottom: 8 }}>{title}</Typography.Paragraph>}
        {problem?.messages.map((m) => <Alert key={m} type="warning" showIcon title={m} style={{ marginBottom: 8 }} />)}
        {problem?.rule && !asked.length && (
          <Typography.Paragraph type="secondary">{t('这个阶段还有其他条件，请在记录详情页补充后再移动。', 'This stage has other conditions: complete the record on its page, then move it.')}</Typography.Paragraph>
        )}
        {asked.map((f) => (
          <div key={f.key} style={{ marginBottom: 14 }} data-testid={`gate-field-${f.key}`}>
            <div className="crm-label">{labelOf(f.label, p.ctx.lang)} <span style={{ color: '#f5222d' }}>*</span></div>
            {widgets[f.type].Input({ field: f, value: values[f.key] ?? null, onChange: (v) => setValues((s) => ({ ...s, [f.key]: v })), ctx: p.ctx })}
            {errors[f.key] && <Typography.Text type="danger" style={{ fontSize: 12 }}>{errors[f.key]}</Typography.Text>}
          </div>
        ))}
        {failure && <Alert type="error" showIcon title={failure} />}
      </div>
    </Modal>
  );
}
