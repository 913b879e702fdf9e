import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { FIELD_TYPES, type FieldType } from '@crm/metadata';
import { labelOf } from './labels.js';
import type { UiField, WidgetContext } from './widget-types.js';
import { cells, money, text, type Cell } from './cells.js';

export type { UiField, WidgetContext } from './widget-types.js';
import { RelationSelect } from './relation-select.js';

interface Widget {
  /** Read-only display (lists, record pages): the same function as `cells[type]`. */
  Cell: Cell;
  /** Editing control (forms). */
  Input: InputFn;
}
type InputFn = (p: { field: UiField; value: unknown; onChange: (v: unknown) => void; ctx: WidgetContext; disabled?: boolean }) => ReactNode;

const textInput: InputFn = ({ value, onChange, disabled }) => <Input value={(value as string) ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} />;
const area: InputFn = ({ value, onChange, disabled }) => <Input.TextArea rows={3} value={(value as string) ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} />;
/** Decimals travel as strings: the control edits a string so no float ever touches money. */
const decimal = (scale: number): InputFn => ({ value, onChange, disabled }) => (
  <Input inputMode="decimal" value={(value as string) ?? ''} disabled={disabled} placeholder={scale ? `0.${'0'.repeat(scale)}` : '0'}
    onChange={(e) => onChange(e.target.value.trim() === '' ? null : e.target.value.trim())} />
);
const computed: InputFn = ({ value }) => <span className="crm-computed">{money(value)}</span>;

/** Editing controls per field type (forms, quick actions, bulk edits). */
export const inputs: Record<FieldType, InputFn> = {
  text: textInput,
  textarea: area,
  richtext: area,
  email: textInput,
  url: textInput,
  phone: textInput,
  integer: ({ value, onChange, disabled }) => <InputNumber style={{ width: '100%' }} precision={0} value={value as number | null} disabled={disabled} onChange={(v) => onChange(v ?? null)} />,
  decimal: decimal(4),
  currency: decimal(2),
  percent: decimal(2),
  boolean: ({ value, onChange, disabled }) => <Switch checked={value === true} disabled={disabled} onChange={(v) => onChange(v)} />,
  date: ({ value, onChange, disabled }) => <DatePicker style={{ width: '100%' }} disabled={disabled} value={value ? dayjs(String(value)) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)} />,
  datetime: ({ value, onChange, disabled }) => <DatePicker showTime style={{ width: '100%' }} disabled={disabled} value={value ? dayjs(String(value)) : null} onChange={(d) => onChange(d ? d.toISOString() : null)} />,
  select: ({ field, value, onChange, ctx, disabled }) => (
    <Select allowClear style={{ width: '100%' }} disabled={disabled} value={(value as string) ?? undefined} onChange={(v) => onChange(v ?? null)}
      options={(field.options ?? []).filter((o) => o.active !== false || o.key === value).map((o) => ({ value: o.key, label: labelOf(o.label, ctx.lang) }))} />
  ),
  multiselect: ({ field, value, onChange, ctx, disabled }) => (
    <Select mode="multiple" allowClear style={{ width: '100%' }} disabled={disabled} value={(value as string[]) ?? []} onChange={(v) => onChange(v.length ? v : null)}
      options={(field.options ?? []).filter((o) => o.active !== false).map((o) => ({ value: o.key, label: labelOf(o.label, ctx.lang) }))} />
  ),
  relation: ({ field, value, onChange, ctx, disabled }) => <RelationSelect field={field} value={value as string | null} onChange={onChange} ctx={ctx} disabled={disabled} />,
  user: ({ value, onChange, ctx, disabled }) => (
    <Select allowClear showSearch optionFilterProp="label" style={{ width: '100%' }} disabled={disabled} value={(value as string) ?? undefined} onChange={(v) => onChange(v ?? null)}
      options={(ctx.members ?? []).filter((m) => m.status !== 'inactive' || m.id === value).map((m) => ({ value: m.id, label: m.name }))} />
  ),
  address: ({ value, onChange, disabled }) => {
    const a = (value as Record<string, string | null> | null) ?? {};
    const set = (k: string, v: string) => onChange({ ...a, [k]: v || null });
    return (
      <Input.Group compact>
        {(['province', 'city', 'district'] as const).map((k) => (
          <Input key={k} style={{ width: '25%' }} disabled={disabled} placeholder={{ province: '省', city: '市', district: '区' }[k]} value={a[k] ?? ''} onChange={(e) => set(k, e.target.value)} />
        ))}
        <Input style={{ width: '25%' }} disabled={disabled} placeholder="详细地址" value={a.detail ?? ''} onChange={(e) => set('detail', e.target.value)} />
      </Input.Group>
    );
  },
  file: ({ value, ctx }) => cells.file({ field: {} as UiField, value, ctx }),
  autonumber: ({ value, ctx }) => <span className="crm-computed">{value ? String(value) : ctx.lang === 'en' ? '(assigned on save)' : '（保存后生成）'}</span>,
  formula: computed,
  lookup: ({ value }) => text(value),
  rollup: computed,
};

/** Display and editing per field type. */
export const widgets = Object.fromEntries(FIELD_TYPES.map((t) => [t, { Cell: cells[t], Input: inputs[t] }])) as Record<FieldType, Widget>;
