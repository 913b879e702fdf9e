import { Input } from 'antd';
import { useRef } from 'react';
import type { Lang } from '@crm/ui';
import { insertPlaceholder, type VarOption } from './variables.js';
import { VariablePicker } from './variable-picker.js';

/**
 * A text with `{{placeholders}}`: typed as it is, with a button that inserts
 * a variable where the cursor was. Empty text reports `undefined` (the
 * property is left out rather than saved as "").
 */
export function TemplateInput(p: {
  value: string | undefined; onChange: (v: string | undefined) => void; vars: readonly VarOption[]; lang: Lang;
  multiline?: boolean; maxLength?: number; triggerInputs?: boolean; status?: 'error'; testId?: string; placeholder?: string;
}) {
  const cursor = useRef<number | undefined>(undefined);
  const text = p.value ?? '';
  const remember = (e: { target: EventTarget }) => { cursor.current = (e.target as HTMLInputElement).selectionStart ?? undefined; };
  const set = (v: string) => p.onChange(v === '' ? undefined : v);
  const insert = (name: string) => {
    const next = insertPlaceholder(text, name, cursor.current);
    cursor.current = next.cursor;
    set(next.text);
  };
  const common = {
    value: text, maxLength: p.maxLength, status: p.status, placeholder: p.placeholder,
    onSelect: remember, onKeyUp: remember, onClick: remember, 'data-testid': p.testId,
  };
  return (
    <div className="flow-template">
      {p.multiline
        ? <Input.TextArea {...common} autoSize={{ minRows: 3, maxRows: 10 }} onChange={(e) => { set(e.target.value); remember(e); }} />
        : <Input {...common} onChange={(e) => { set(e.target.value); remember(e); }} />}
      <VariablePicker vars={p.vars} lang={p.lang} onPick={insert} triggerInputs={p.triggerInputs} testId={p.testId ? `${p.testId}-var` : undefined} />
    </div>
  );
}
