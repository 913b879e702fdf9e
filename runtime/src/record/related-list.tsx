import { useEffect, useState } from 'react';
import { labelOf, cells, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import type { Navigation } from '../types.js';
import { useLiveTick } from '../live/index.js';
import '../list/grid.css';

type Rec = Record<string, unknown>;
const LIMIT = 50;

/** Records of another entity pointing at this one (contacts of an account...), in that entity's list columns. */
export function RelatedList(p: { nav: Navigation; id: string; ctx: WidgetContext; entityKey: string; field: string }) {
  const target = p.nav.entities.find((x) => x.key === p.entityKey);
  const [rows, setRows] = useState<Rec[] | null>(null);
  const liveTick = useLiveTick(p.entityKey);
  useEffect(() => {
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: p.field }, p.id] }));
    p.ctx.api.get<{ data: Rec[] }>(`/api/w/${p.ctx.ws}/records/${p.entityKey}?limit=${LIMIT}&filter=${filter}`).then((r) => setRows(r.data), () => setRows([]));
  }, [p.id, liveTick]);
  if (!target) return null;
  const cols = (target.views.find((v) => v.type === 'list')?.columns ?? target.fields.map((f) => f.key)).slice(0, 5)
    .map((k) => target.fields.find((f) => f.key === k)).filter((f) => !!f && f.key !== p.field) as typeof target.fields;
  const template = `repeat(${cols.length}, minmax(140px, 1fr))`;
  const en = p.ctx.lang === 'en';
  return (
    <div className="crm-grid static" role="table" data-testid={`related-${p.entityKey}`}>
      <div className="crm-grid-head" role="row" style={{ gridTemplateColumns: template }}>
        {cols.map((f) => <div key={f.key} role="columnheader">{labelOf(f.label, p.ctx.lang)}</div>)}
      </div>
      {rows?.map((r) => (
        <div key={String(r.id)} className="crm-grid-row" role="row" tabIndex={0} style={{ gridTemplateColumns: template }}
          onClick={() => go(`/app/${p.ctx.ws}/${p.entityKey}/${String(r.id)}`)}
          onKeyDown={(ev) => { if (ev.key === 'Enter') go(`/app/${p.ctx.ws}/${p.entityKey}/${String(r.id)}`); }}>
          {cols.map((f) => (
            <div key={f.key} role="cell" className="crm-grid-td"><span className="crm-grid-value">{r[f.key] === null || r[f.key] === undefined ? '' : cells[f.type]({ field: f, value: r[f.key], ctx: p.ctx, record: r })}</span></div>
          ))}
        </div>
      ))}
      {rows && !rows.length && <div className="crm-grid-empty">{en ? 'None yet' : '暂无'}</div>}
      {rows?.length === LIMIT && <div className="crm-grid-empty">{en ? `Showing the latest ${LIMIT}` : `仅显示最近 ${LIMIT} 条`}</div>}
    </div>
  );
}
