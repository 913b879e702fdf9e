import { DatePicker, Input, InputNumber, Select, Switch, Tag } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { FieldType } from '@crm/metadata';
import { labelOf, type Lang } from './labels.js';
import type { Api } from './api.js';
import { RelationSelect } from './relation-select.js';

/** A field as the runtime sees it (from the published entity document). */
export interface UiField {
  key: string;
  type: FieldType;
  label: { 'zh-CN'?: string; en?: string };
  required?: boolean;
  options?: { key: string; label: { 'zh-CN'?: string; en?: string }; color?: string; active?: boolean }[];
  target?: string;
  [k: string]: unknown;
}

export interface WidgetContext { lang: Lang; api: Api; ws: string; titles?: Record<string, string>; members?: { id: string; name: string; status?: string }[]; /** The signed-in user (quick actions assign tasks to them). */ userId?: string }

interface Widget {
  /** Read-only display (lists, record pages). */
  Cell(p: { field: UiField; value: unknown; ctx: WidgetContext; record?: Record<string, unknown> }): ReactNode;
  /** Editing control (forms). */
  Input(p: { field: UiField; value: unknown; onChange: (v: unknown) => void; ctx: WidgetContext; disabled?: boolean }): ReactNode;
}

const text = (v: unknown) => (v === null || v === undefined || v === '' ? <span className="crm-empty">—</span> : String(v));
const money = (v: unknown) => (typeof v === 'string' ? Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : text(v));

const textInput: Widget = {
  Cell: ({ value }) => text(value),
  Input: ({ value, onChange, disabled }) => <Input value={(value as string) ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} />,
};
const area: Widget = {
  Cell: ({ value }) => <span style={{ whiteSpace: 'pre-wrap' }}>{text(value)}</span>,
  Input: ({ value, onChange, disabled }) => <Input.TextArea rows={3} value={(value as string) ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} />,
};
/** Decimals travel as strings: the control edits a string so no float ever touches money. */
const decimal = (scale: number): Widget => ({
  Cell: ({ value }) => money(value),
  Input: ({ value, onChange, disabled }) => (
    <Input inputMode="decimal" value={(value as string) ?? ''} disabled={disabled} placeholder={scale ? `0.${'0'.repeat(scale)}` : '0'}
      onChange={(e) => onChange(e.target.value.trim() === '' ? null : e.target.value.trim())} />
  ),
});
const choiceLabel = (f: UiField, key: unknown, lang: Lang) => labelOf(f.options?.find((o) => o.key === key)?.label, lang) || String(key);
const computed: Widget = { Cell: ({ value }) => money(value), Input: ({ value }) => <span className="crm-computed">{money(value)}</span> };

export const widgets: Record<FieldType, Widget> = {
  text: textInput,
  textarea: area,
  richtext: area,
  email: textInput,
  url: { Cell: ({ value }) => (value ? <a href={String(value)} target="_blank" rel="noreferrer noopener">{String(value)}</a> : text(value)), Input: textInput.Input },
  phone: textInput,
  integer: {
    Cell: ({ value }) => text(value),
    Input: ({ value, onChange, disabled }) => <InputNumber style={{ width: '100%' }} precision={0} value={value as number | null} disabled={disabled} onChange={(v) => onChange(v ?? null)} />,
  },
  decimal: decimal(4),
  currency: decimal(2),
  percent: { Cell: ({ value }) => (value === null || value === undefined ? text(value) : `${value}%`), Input: decimal(2).Input },
  boolean: {
    Cell: ({ value, ctx }) => (value === true ? (ctx.lang === 'en' ? 'Yes' : '是') : value === false ? (ctx.lang === 'en' ? 'No' : '否') : text(value)),
    Input: ({ value, onChange, disabled }) => <Switch checked={value === true} disabled={disabled} onChange={(v) => onChange(v)} />,
  },
  date: {
    Cell: ({ value }) => text(value),
    Input: ({ value, onChange, disabled }) => <DatePicker style={{ width: '100%' }} disabled={disabled} value={value ? dayjs(String(value)) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)} />,
  },
  datetime: {
    Cell: ({ value }) => (value ? dayjs(String(value)).format('YYYY-MM-DD HH:mm') : text(value)),
    Input: ({ value, onChange, disabled }) => <DatePicker showTime style={{ width: '100%' }} disabled={disabled} value={value ? dayjs(String(value)) : null} onChange={(d) => onChange(d ? d.toISOString() : null)} />,
  },
  select: {
    Cell: ({ field, value, ctx }) => (value ? <Tag color={field.options?.find((o) => o.key === value)?.color}>{choiceLabel(field, value, ctx.lang)}</Tag> : text(value)),
    Input: ({ field, value, onChange, ctx, disabled }) => (
      <Select allowClear style={{ width: '100%' }} disabled={disabled} value={(value as string) ?? undefined} onChange={(v) => onChange(v ?? null)}
        options={(field.options ?? []).filter((o) => o.active !== false || o.key === value).map((o) => ({ value: o.key, label: labelOf(o.label, ctx.lang) }))} />
    ),
  },
  multiselect: {
    Cell: ({ field, value, ctx }) => (Array.isArray(value) && value.length ? value.map((v) => <Tag key={String(v)}>{choiceLabel(field, v, ctx.lang)}</Tag>) : text(null)),
    Input: ({ field, value, onChange, ctx, disabled }) => (
      <Select mode="multiple" allowClear style={{ width: '100%' }} disabled={disabled} value={(value as string[]) ?? []} onChange={(v) => onChange(v.length ? v : null)}
        options={(field.options ?? []).filter((o) => o.active !== false).map((o) => ({ value: o.key, label: labelOf(o.label, ctx.lang) }))} />
    ),
  },
  relation: {
    Cell: ({ field, value, ctx, record }) => {
      const exp = (record?.expand as Record<string, { id: string; title: unknown }> | undefined)?.[field.key];
      if (!value) return text(null);
      return <a href={`/app/${ctx.ws}/${field.target}/${String(value)}`}>{exp ? String(exp.title ?? value) : ctx.titles?.[String(value)] ?? (ctx.lang === 'en' ? 'Open' : '查看')}</a>;
    },
    Input: ({ field, value, onChange, ctx, disabled }) => <RelationSelect field={field} value={value as string | null} onChange={onChange} ctx={ctx} disabled={disabled} />,
  },
  user: {
    Cell: ({ value, ctx }) => text(value ? ctx.members?.find((m) => m.id === value)?.name ?? String(value).slice(0, 8) : null),
    Input: ({ value, onChange, ctx, disabled }) => (
      <Select allowClear showSearch optionFilterProp="label" style={{ width: '100%' }} disabled={disabled} value={(value as string) ?? undefined} onChange={(v) => onChange(v ?? null)}
        options={(ctx.members ?? []).filter((m) => m.status !== 'inactive' || m.id === value).map((m) => ({ value: m.id, label: m.name }))} />
    ),
  },
  address: {
    Cell: ({ value }) => {
      const a = value as Record<string, string | null> | null;
      return a ? [a.province, a.city, a.district, a.detail].filter(Boolean).join(' ') : text(null);
    },
    Input: ({ value, onChange, disabled }) => {
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
  },
  file: {
    Cell: ({ value, ctx }) => (Array.isArray(value) && value.length
      ? value.map((f: { id: string; name: string }) => <div key={f.id}><a href={`/api/w/${ctx.ws}/files/${f.id}`}>{f.name}</a></div>) : text(null)),
    Input: ({ value, ctx }) => widgets.file.Cell({ field: {} as UiField, value, ctx }),
  },
  autonumber: { Cell: ({ value }) => text(value), Input: ({ value, ctx }) => <span className="crm-computed">{value ? String(value) : ctx.lang === 'en' ? '(assigned on save)' : '（保存后生成）'}</span> },
  formula: computed,
  lookup: { Cell: ({ value }) => text(value), Input: ({ value }) => text(value) },
  rollup: computed,
};
