import { lazy, memo, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type MouseEvent } from 'react';
import { labelOf, cells, type UiField, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';
import { visibleRows, type ListState } from './list-query.js';
import './grid.css';

// The editor loads the input widgets (date pickers, selects) only once someone edits a cell.
const InlineEditor = lazy(() => import('./inline-editor.js').then((m) => ({ default: m.InlineEditor })));

type Rec = Record<string, unknown>;
const ROW_H = 44;
const COL_W = 170;
const CHECK_W = 44;
const UNSORTABLE = new Set(['multiselect', 'file', 'address', 'richtext', 'textarea', 'lookup']);
/** Edited in place; the rest (long text, files, computed values) are edited on the record page. */
const INLINE = new Set(['text', 'email', 'url', 'phone', 'integer', 'decimal', 'currency', 'percent', 'boolean', 'date', 'datetime', 'select', 'relation', 'user']);
export const inlineEditable = (f: UiField) => INLINE.has(f.type) && f.readOnly !== true;

export interface GridProps {
  entity: NavEntity;
  columns: UiField[];
  rows: Rec[];
  ctx: WidgetContext;
  sort: ListState['sort'];
  onSort: (field: string, additive: boolean) => void;
  selected: string[];
  onSelect: (ids: string[]) => void;
  onOpen: (row: Rec) => void;
  /** The rows in view come close to the last loaded one. */
  onNearEnd: () => void;
  /** A cell edit was saved (or the other person's version taken): the row as it now is. */
  onRowChanged: (row: Rec) => void;
  loading: boolean;
  height: number;
  /** Changes when the query does (not when the same query is refetched). */
  queryKey: string;
  /** The cell being edited in place; the list holds it so it can hold back live refetches meanwhile. */
  editing: { id: string; key: string } | null;
  onEditing: (cell: { id: string; key: string } | null) => void;
}

/**
 * The list's table: a fixed-row-height window over the loaded rows, so 10,000
 * rows cost as much to scroll as 30 (only the rows in view are in the DOM,
 * each row memoised so a scroll mounts just the rows that come into view).
 * Header clicks sort (Shift adds a column), a checkbox column selects, a click
 * opens the record (the most frequent thing done with a row), the pencil that
 * appears on a hovered cell edits that cell in place.
 */
export function DataGrid(p: GridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const { editing, onEditing: setEditing } = p;
  const viewport = p.height - ROW_H;
  const { start, end } = visibleRows(scrollTop, viewport, ROW_H, p.rows.length);
  const template = `${CHECK_W}px repeat(${p.columns.length}, minmax(${COL_W}px, 1fr))`;
  const width = CHECK_W + p.columns.length * COL_W;

  const onScroll = useCallback(() => {
    const el = scroller.current!;
    setScrollTop(el.scrollTop);
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 20 * ROW_H) p.onNearEnd();
  }, [p.onNearEnd]);
  // Another sort, filter or search starts at the top.
  useLayoutEffect(() => { if (scroller.current) scroller.current.scrollTop = 0; setScrollTop(0); }, [p.queryKey]);

  const selected = new Set(p.selected);
  const allLoaded = p.rows.length > 0 && p.rows.every((r) => selected.has(String(r.id)));
  const toggle = useCallback((id: string, on: boolean) => {
    p.onSelect(on ? [...p.selected, id] : p.selected.filter((x) => x !== id));
  }, [p.selected, p.onSelect]);
  const edit = useCallback((id: string, key: string) => setEditing({ id, key }), [setEditing]);

  const en = p.ctx.lang === 'en';
  return (
    <div ref={scroller} className="crm-grid" style={{ height: p.height }} onScroll={onScroll} role="grid" aria-rowcount={p.rows.length + 1} data-testid="list-grid">
      <div style={{ minWidth: width }}>
        <div className="crm-grid-head" role="row" style={{ gridTemplateColumns: template }}>
          <div className="crm-grid-check" role="columnheader">
            <input type="checkbox" aria-label={en ? 'Select all loaded rows' : '选择已加载的全部行'} checked={allLoaded}
              onChange={(ev) => p.onSelect(ev.target.checked ? p.rows.map((r) => String(r.id)) : [])} data-testid="select-all" />
          </div>
          {p.columns.map((f) => {
            const at = p.sort.findIndex((s) => s.field === f.key);
            const dir = at < 0 ? undefined : p.sort[at]!.direction;
            const sortable = !UNSORTABLE.has(f.type);
            return (
              <div key={f.key} role="columnheader" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} className="crm-grid-th">
                {sortable ? (
                  <button type="button" className="crm-grid-sort" data-testid={`sort-${f.key}`} title={en ? 'Sort (Shift: add to the sort)' : '排序（按住 Shift 叠加排序）'}
                    onClick={(ev) => p.onSort(f.key, ev.shiftKey)}>
                    <span>{labelOf(f.label, p.ctx.lang)}</span>
                    <span className={`crm-grid-arrow${dir ? ' on' : ''}`}>{dir === 'desc' ? '▼' : '▲'}{p.sort.length > 1 && at >= 0 ? <sub>{at + 1}</sub> : null}</span>
                  </button>
                ) : <span>{labelOf(f.label, p.ctx.lang)}</span>}
              </div>
            );
          })}
        </div>
        <div className="crm-grid-body" style={{ height: p.rows.length * ROW_H }}>
          {p.rows.slice(start, end).map((r, i) => {
            const id = String(r.id);
            const editKey = editing?.id === id ? editing.key : null;
            return (
              <GridRow key={id} row={r} top={(start + i) * ROW_H} template={template} columns={p.columns} ctx={p.ctx}
                checked={selected.has(id)} onToggle={toggle} onOpen={p.onOpen} onEdit={edit} editKey={editKey}
                editor={editKey ? (
                  <Suspense fallback={null}>
                    <InlineEditor entity={p.entity} field={p.columns.find((c) => c.key === editKey)!} row={r} ctx={p.ctx}
                      onSaved={(row) => { setEditing(null); p.onRowChanged(row); }} onClose={() => setEditing(null)} />
                  </Suspense>
                ) : null} />
            );
          })}
          {!p.rows.length && <div className="crm-grid-empty">{p.loading ? (en ? 'Loading…' : '加载中…') : (en ? 'No records' : '暂无记录')}</div>}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: Rec; top: number; template: string; columns: UiField[]; ctx: WidgetContext; checked: boolean;
  onToggle: (id: string, on: boolean) => void; onOpen: (row: Rec) => void; onEdit: (id: string, key: string) => void;
  editKey: string | null; editor: React.ReactNode;
}

const GridRow = memo(function GridRow(p: RowProps) {
  const id = String(p.row.id);
  const style: CSSProperties = { top: p.top, gridTemplateColumns: p.template };
  const open = (ev: MouseEvent) => { if (!(ev.target as HTMLElement).closest('[data-no-open]')) p.onOpen(p.row); };
  return (
    <div className={`crm-grid-row${p.checked ? ' selected' : ''}${p.editKey ? ' editing' : ''}`} role="row" style={style} onClick={open}
      onKeyDown={(ev) => { if (ev.key === 'Enter' && ev.target === ev.currentTarget) p.onOpen(p.row); }} tabIndex={0} data-testid={`row-${id}`}>
      <div className="crm-grid-check" role="gridcell" data-no-open>
        <input type="checkbox" checked={p.checked} aria-label="select" onChange={(ev) => p.onToggle(id, ev.target.checked)} />
      </div>
      {p.columns.map((f) => {
        const editable = inlineEditable(f);
        if (p.editKey === f.key) return <div key={f.key} role="gridcell" className="crm-grid-td editing" data-no-open data-field={f.key}>{p.editor}</div>;
        return (
          <div key={f.key} role="gridcell" className="crm-grid-td" data-field={f.key}>
            <span className="crm-grid-value">{p.row[f.key] === null || p.row[f.key] === undefined ? '' : cells[f.type]({ field: f, value: p.row[f.key], ctx: p.ctx, record: p.row })}</span>
            {editable && (
              <button type="button" className="crm-grid-pencil" data-no-open aria-label={p.ctx.lang === 'en' ? 'Edit' : '编辑'} data-testid={`edit-${f.key}`}
                onClick={(ev) => { ev.stopPropagation(); p.onEdit(id, f.key); }}>✎</button>
            )}
          </div>
        );
      })}
    </div>
  );
});

/** Keeps the grid's height in step with the window (the list fills the page below its toolbar). */
export function useGridHeight(offset: number): number {
  const [h, setH] = useState(() => Math.max(320, window.innerHeight - offset));
  useEffect(() => {
    const on = () => setH(Math.max(320, window.innerHeight - offset));
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, [offset]);
  return h;
}
