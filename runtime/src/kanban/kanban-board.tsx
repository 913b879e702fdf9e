import { App, Empty, Spin } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, labelOf, type UiField, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import type { NavEntity } from '../types.js';
import { useLiveTick } from '../live/index.js';
import { boardFilter, columnFilter, columnOf, gateProblem, placeCard, replaceCard, sumFieldOf, type ColumnTotal, type Columns, type Detail, type Rec } from './board-model.js';
import { GateDialog, type GateRequest } from './gate-dialog.js';
import { KanbanCard } from './kanban-card.js';
import { KanbanColumn } from './kanban-column.js';
import { MoveSheet } from './move-sheet.js';
import './kanban.css';

export type KanbanView = NavEntity['views'][number] & { groupBy?: string; cardFields?: string[]; sumField?: string };

const PAGE = 30;
const PHONE = '(max-width: 768px)';

function usePhone(): boolean {
  const [phone, setPhone] = useState(() => matchMedia(PHONE).matches);
  useEffect(() => {
    const m = matchMedia(PHONE);
    const on = () => setPhone(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return phone;
}

/**
 * A kanban view: one column per option of the view's select field (a
 * pipeline's stages), the server's totals in each header (count, sum of the
 * money field, weighted by stage probability), cards with the view's card
 * fields. A move is an ordinary PATCH with the card's version, so the server's
 * transition rules and stage gates decide; a gate refusal opens a dialog
 * asking for the missing fields and retries the move with them in one PATCH.
 * Desktop: drag and drop (HTML5). Phone: each card's move button opens a
 * stage sheet. Someone else's change reloads the board (realtime).
 */
export function KanbanBoard(p: { entity: NavEntity; view: KanbanView; ctx: WidgetContext; filter?: unknown }) {
  const { message } = App.useApp();
  const en = p.ctx.lang === 'en';
  const t = (zh: string, eng: string) => (en ? eng : zh);
  const phone = usePhone();
  const base = `/api/w/${p.ctx.ws}/records/${p.entity.key}`;

  const field = p.entity.fields.find((f) => f.key === p.view.groupBy && f.type === 'select');
  const options = useMemo(() => (field?.options ?? []).filter((o) => o.active !== false), [field]);
  const cardFields = (p.view.cardFields ?? []).map((k) => p.entity.fields.find((f) => f.key === k)).filter((f): f is UiField => !!f);
  const relations = cardFields.filter((f) => f.type === 'relation').map((f) => f.key);
  const sumKey = sumFieldOf(p.entity.fields, p.view.cardFields ?? [], p.view.sumField);
  const sumLabel = sumKey ? labelOf(p.entity.fields.find((f) => f.key === sumKey)?.label, p.ctx.lang) : undefined;
  const filter = boardFilter(p.view.filter, p.filter);
  const filterKey = JSON.stringify(filter ?? null);
  const sort = p.view.sort.map((s) => (s.direction === 'desc' ? '-' : '') + s.field).join(',');
  const stageLabel = (k: string) => labelOf(options.find((o) => o.key === k)?.label, p.ctx.lang) || k;

  const [columns, setColumns] = useState<Columns | null>(null);
  const [cursors, setCursors] = useState<Record<string, string | null>>({});
  const [totals, setTotals] = useState<Record<string, ColumnTotal>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dragging, setDragging] = useState<Rec | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [gate, setGate] = useState<GateRequest | null>(null);
  const [moving, setMoving] = useState<Rec | null>(null);
  const columnsRef = useRef<Columns | null>(null);
  const boardRef = useRef<HTMLDivElement>(null);
  columnsRef.current = columns;

  const page = useCallback(async (key: string, cursor: string | null) => {
    const params = new URLSearchParams({ limit: String(PAGE), filter: JSON.stringify(columnFilter(field!.key, key, filter)) });
    if (sort) params.set('sort', sort);
    if (relations.length) params.set('expand', relations.join(','));
    if (cursor) params.set('cursor', cursor);
    return p.ctx.api.get<{ data: Rec[]; nextCursor: string | null }>(`${base}?${params}`);
  }, [base, field?.key, filterKey, sort, relations.join(',')]);

  const loadTotals = useCallback(async () => {
    if (!field) return;
    const params = new URLSearchParams({ groupBy: field.key });
    if (sumKey) params.set('sum', sumKey);
    if (filter !== undefined) params.set('filter', JSON.stringify(filter));
    try {
      const res = await p.ctx.api.get<{ data: ColumnTotal[] }>(`${base}/totals?${params}`);
      setTotals(Object.fromEntries(res.data.filter((r) => r.key !== null).map((r) => [r.key as string, r])));
    } catch {
      setTotals({}); // the cards still show; the headers fall back to what is loaded
    }
  }, [base, field?.key, sumKey, filterKey]);

  const load = useCallback(async () => {
    if (!field) return;
    try {
      const pages = await Promise.all(options.map((o) => page(o.key, null)));
      setColumns(Object.fromEntries(options.map((o, i) => [o.key, pages[i]!.data])));
      setCursors(Object.fromEntries(options.map((o, i) => [o.key, pages[i]!.nextCursor])));
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
    void loadTotals();
  }, [page, loadTotals, options]);

  const liveTick = useLiveTick(p.entity.key); // someone else's change: refetch the board
  useEffect(() => { void load(); }, [load, liveTick]);

  const more = async (key: string) => {
    const res = await page(key, cursors[key] ?? null);
    setColumns((c) => (c ? { ...c, [key]: [...(c[key] ?? []), ...res.data.filter((r) => !c[key]?.some((x) => x.id === r.id))] } : c));
    setCursors((c) => ({ ...c, [key]: res.nextCursor }));
  };

  /** Someone else changed the card since it was drawn: show it as it is now, and say so. */
  const reloadStale = async (card: Rec) => {
    setGate(null);
    try {
      const fresh = (await p.ctx.api.get<{ data: Rec }>(`${base}/${String(card.id)}${relations.length ? `?expand=${relations.join(',')}` : ''}`)).data;
      const at = String(fresh[field!.key] ?? '');
      setColumns((c) => (c ? (columnOf(c, String(card.id)) === at || !(at in c) ? replaceCard(c, fresh) : placeCard(c, fresh, at)) : c));
    } catch {
      void load();
    }
    void loadTotals();
    message.warning(t('这张卡片刚被他人修改，已重新加载为最新内容，请确认后再移动。', 'Someone else just changed this card. It has been reloaded; check it and move it again.'), 6);
  };

  const landed = (record: Rec, to: string) => {
    const withExpand = { ...record, expand: (columnsRef.current && Object.values(columnsRef.current).flat().find((r) => r.id === record.id)?.expand) ?? record.expand };
    setColumns((c) => (c ? placeCard(c, withExpand, to) : c));
    void loadTotals();
  };

  const move = async (card: Rec, to: string) => {
    const id = String(card.id);
    const from = String(card[field!.key] ?? '');
    if (from === to || pending.has(id)) return;
    const before = columnsRef.current;
    // Shown in its new column at once; put back if the server says no.
    setColumns((c) => (c ? placeCard(c, card, to) : c));
    setPending((s) => new Set(s).add(id));
    try {
      const res = await p.ctx.api.send<{ data: Rec }>('PATCH', `${base}/${id}`, { [field!.key]: to }, { 'if-match': `"${String(card.version)}"` });
      landed(res.data, to);
    } catch (err) {
      setColumns(before);
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 409) { void reloadStale(card); return; }
      const problem = gateProblem(err.status, err.details as Detail[], field!.key, to, new Set(p.entity.fields.map((f) => f.key)));
      if (problem) setGate({ card, to, problem });
      else message.error(err.details.map((d) => d.message).join('；') || err.message, 6);
    } finally {
      setPending((s) => { const n = new Set(s); n.delete(id); return n; });
    }
  };

  if (!field) return <Empty description={t('这个看板没有可分组的选项字段', 'This board has no select field to group by')} />;
  if (loadError) return <Empty description={loadError} />;
  if (!columns) return <Spin style={{ margin: 40 }} />;
  const jump = (key: string) => boardRef.current?.querySelector(`[data-column="${CSS.escape(key)}"]`)?.scrollIntoView({ behavior: 'smooth', inline: 'start', block: 'nearest' });
  return (
    <>
    {phone && (
      // One column fits a phone: the stages as chips to jump between them.
      <div className="crm-kanban-chips" data-testid="kanban-stages">
        {options.map((o) => (
          <button type="button" key={o.key} className="crm-kanban-chip" onClick={() => jump(o.key)}>
            {labelOf(o.label, p.ctx.lang)} <b>{totals[o.key]?.count ?? columns[o.key]?.length ?? 0}</b>
          </button>
        ))}
      </div>
    )}
    <div ref={boardRef} className={`crm-kanban${phone ? ' crm-kanban-phone' : ''}`} data-testid="kanban">
      {options.map((o) => (
        <KanbanColumn key={o.key} option={o} total={totals[o.key]} sumLabel={sumLabel} loaded={columns[o.key]?.length ?? 0}
          more={!!cursors[o.key]} dropTarget={over === o.key && !!dragging && dragging[field.key] !== o.key} dragging={!!dragging} ctx={p.ctx}
          onDragOver={() => setOver(o.key)} onDragLeave={() => setOver((k) => (k === o.key ? null : k))}
          onDrop={() => { const card = dragging; setDragging(null); setOver(null); if (card) void move(card, o.key); }}
          onMore={() => void more(o.key)}>
          {(columns[o.key] ?? []).map((r) => (
            <KanbanCard key={String(r.id)} record={r} titleField={p.entity.titleField} fields={cardFields} ctx={p.ctx} phone={phone}
              pending={pending.has(String(r.id))}
              onOpen={() => go(`/app/${p.ctx.ws}/${p.entity.key}/${String(r.id)}`)}
              onDragStart={() => setDragging(r)} onDragEnd={() => { setDragging(null); setOver(null); }}
              onMove={() => setMoving(r)} />
          ))}
        </KanbanColumn>
      ))}
      <MoveSheet card={moving} title={String(moving?.[p.entity.titleField] ?? '')} options={options} current={moving ? String(moving[field.key] ?? '') : undefined}
        ctx={p.ctx} onClose={() => setMoving(null)} onPick={(to) => { const card = moving!; setMoving(null); void move(card, to); }} />
      <GateDialog request={gate} fields={p.entity.fields} titleField={p.entity.titleField} stageField={field.key} stageLabel={stageLabel}
        entityKey={p.entity.key} ctx={p.ctx}
        onMoved={(record) => { const to = gate!.to; setGate(null); landed(record, to); message.success(t(`已移到「${stageLabel(to)}」`, `Moved to “${stageLabel(to)}”`)); }}
        onStale={(card) => void reloadStale(card)}
        onCancel={() => setGate(null)} />
    </div>
    </>
  );
}
