import { Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError, inputs, type UiField, type WidgetContext } from '@crm/ui';
import type { NavEntity } from '../types.js';
import { ConflictNotice, type Conflict } from '../record/conflict.js';

type Rec = Record<string, unknown>;
/** Choosing is the whole edit for these: the value is saved as soon as it is picked. */
const SAVE_ON_CHANGE = new Set(['boolean', 'date', 'datetime', 'select', 'relation', 'user']);

type State =
  | { kind: 'editing' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; conflict: Conflict };

/**
 * One cell edited in place. Saves only that field, with If-Match on the
 * version the row was read at: a stale edit (someone saved meanwhile) shows
 * their value and ours and lets the user choose; a refused value (validation,
 * a stage gate, a permission) shows the server's message under the cell and
 * keeps what was typed; so does a network error, with a retry.
 */
export function InlineEditor(p: { entity: NavEntity; field: UiField; row: Rec; ctx: WidgetContext; onSaved: (row: Rec) => void; onClose: () => void }) {
  const en = p.ctx.lang === 'en';
  // The row as it was when editing began: its version is the one the edit is based on, whatever arrives meanwhile.
  const [row] = useState(p.row);
  const [value, setValue] = useState<unknown>(row[p.field.key] ?? null);
  const [state, setState] = useState<State>({ kind: 'editing' });
  const box = useRef<HTMLDivElement>(null);
  const base = `/api/w/${p.ctx.ws}/records/${p.entity.key}`;
  const key = p.field.key;
  const expand = p.entity.fields.filter((f) => f.type === 'relation').map((f) => f.key);
  // The row as the list shows it (relations expanded to titles).
  const reread = async (id: string) => (await p.ctx.api.get<{ data: Rec }>(`${base}/${id}${expand.length ? `?expand=${expand.join(',')}` : ''}`)).data;

  // Focus stays in the editor (also after a refused save), so Enter and Escape keep working.
  useEffect(() => { if (state.kind !== 'saving') box.current?.querySelector<HTMLElement>('input, .ant-select-selector, button')?.focus(); }, [state.kind]);

  const saving = useRef(false);
  const save = async (v: unknown, version: unknown) => {
    if (saving.current) return;
    if (JSON.stringify(v ?? null) === JSON.stringify(row[key] ?? null) && version === row.version) { p.onClose(); return; }
    setState({ kind: 'saving' });
    saving.current = true;
    const id = String(row.id);
    try {
      await p.ctx.api.send('PATCH', `${base}/${id}`, { [key]: v }, { 'if-match': `"${String(version)}"` });
      p.onSaved(await reread(id));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'CRM_ERR_VERSION_CONFLICT') {
        const current = await reread(id).catch(() => null);
        if (current) { setState({ kind: 'conflict', conflict: { current, fields: (err.body.changedFields as string[] | undefined) ?? [] } }); return; }
      }
      if (err instanceof ApiError) setState({ kind: 'error', message: err.fieldErrors()[key] ?? err.message });
      else setState({ kind: 'error', message: en ? 'Network error: your value is kept, try again' : '网络异常：输入已保留，请重试' });
    } finally {
      saving.current = false;
    }
  };

  const change = (v: unknown) => {
    setValue(v);
    if (SAVE_ON_CHANGE.has(p.field.type)) void save(v, row.version);
  };
  const Input = inputs[p.field.type];
  return (
    <div ref={box} className="crm-inline-editor" data-testid="inline-editor"
      onClick={(ev) => ev.stopPropagation()}
      onKeyDown={(ev) => {
        if (ev.key === 'Escape') { ev.stopPropagation(); p.onClose(); }
        if (ev.key === 'Enter' && !SAVE_ON_CHANGE.has(p.field.type)) { ev.preventDefault(); void save(value, row.version); }
      }}>
      <div className="crm-inline-input">
        {Input({ field: p.field, value, onChange: change, ctx: p.ctx })}
        {!SAVE_ON_CHANGE.has(p.field.type) && (
          <Button size="small" type="primary" loading={state.kind === 'saving'} onClick={() => void save(value, row.version)} data-testid="inline-save" aria-label={en ? 'Save' : '保存'}>✓</Button>
        )}
        <Button size="small" onClick={p.onClose} data-testid="inline-cancel" aria-label={en ? 'Cancel' : '取消'}>✕</Button>
      </div>
      {state.kind === 'error' && (
        <div className="crm-inline-panel" role="alert" data-testid="inline-error">
          <span>{state.message}</span>
          <Button size="small" type="link" onClick={() => void save(value, row.version)}>{en ? 'Retry' : '重试'}</Button>
        </div>
      )}
      {state.kind === 'conflict' && (
        <div className="crm-inline-panel wide">
          <ConflictNotice conflict={state.conflict} mine={{ [key]: value }} entity={p.entity} ctx={p.ctx}
            onOverwrite={() => void save(value, state.conflict.current.version)}
            onTakeTheirs={() => p.onSaved(state.conflict.current)} />
        </div>
      )}
    </div>
  );
}
