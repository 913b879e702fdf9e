import { App } from 'antd';
import { useState } from 'react';
import { ApiError, labelOf, type UiField, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';
import { GateDialog, type GateRequest } from '../kanban/gate-dialog.js';
import { gateProblem, type Detail } from '../kanban/board-model.js';

type Rec = Record<string, unknown>;

/**
 * The record's stage path (the select field a pipeline runs on): where the
 * record stands, and a click to move it. The server's transitions and gates
 * decide; a gate refusal opens the same dialog as the kanban board, asking
 * for the missing fields and retrying the move with them in one PATCH.
 */
export function StagePath(p: { entity: NavEntity; record: Rec; ctx: WidgetContext; onMoved: () => void }) {
  const { message } = App.useApp();
  const field = p.entity.fields.find((f) => f.type === 'select' && typeof f.pipeline === 'string');
  const [gate, setGate] = useState<GateRequest | null>(null);
  if (!field) return null;
  const stages = (field.options ?? []).filter((o) => o.active !== false || o.key === p.record[field.key]);
  const at = stages.findIndex((o) => o.key === p.record[field.key]);
  const label = (key: string) => labelOf(stages.find((o) => o.key === key)?.label, p.ctx.lang) || key;
  const move = async (to: string) => {
    if (to === p.record[field.key]) return;
    try {
      await p.ctx.api.send('PATCH', `/api/w/${p.ctx.ws}/records/${p.entity.key}/${String(p.record.id)}`, { [field.key]: to }, { 'if-match': `"${String(p.record.version)}"` });
      p.onMoved();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const problem = gateProblem(err.status, err.details as Detail[], field.key, to, new Set(p.entity.fields.map((f) => f.key)));
      if (problem) setGate({ card: p.record, to, problem });
      else { message.error(err.details.map((d) => d.message).join('；') || err.message, 6); if (err.status === 409) p.onMoved(); }
    }
  };
  return (
    <>
      <div className="crm-stage-path" data-testid="stage-path">
        {stages.map((o, i) => (
          <button key={o.key} type="button" onClick={() => void move(o.key)} data-testid={`stage-${o.key}`}
            className={i === at ? 'current' : i < at ? 'done' : ''} style={i === at && o.color ? { background: o.color } : undefined}>
            {labelOf(o.label, p.ctx.lang)}
          </button>
        ))}
      </div>
      <GateDialog request={gate} fields={p.entity.fields as UiField[]} titleField={p.entity.titleField} stageField={field.key} stageLabel={label}
        entityKey={p.entity.key} ctx={p.ctx} onMoved={() => { setGate(null); p.onMoved(); }} onStale={() => { setGate(null); p.onMoved(); }} onCancel={() => setGate(null)} />
    </>
  );
}
