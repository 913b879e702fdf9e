import { Tag } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { FieldType } from '@crm/metadata';
import { labelOf, type Lang } from './labels.js';
import type { UiField, WidgetContext } from './widget-types.js';

/**
 * Read-only display of a value per field type (lists, cards, record pages,
 * timelines). Kept apart from the editing controls so screens that only show
 * values do not load date pickers and selects.
 */
export type Cell = (p: { field: UiField; value: unknown; ctx: WidgetContext; record?: Record<string, unknown> }) => ReactNode;

export const text = (v: unknown): ReactNode => (v === null || v === undefined || v === '' ? <span className="crm-empty">—</span> : String(v));
export const money = (v: unknown): ReactNode => (typeof v === 'string' ? Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : text(v));
export const choiceLabel = (f: UiField, key: unknown, lang: Lang) => labelOf(f.options?.find((o) => o.key === key)?.label, lang) || String(key);

const plain: Cell = ({ value }) => text(value);
const area: Cell = ({ value }) => <span style={{ whiteSpace: 'pre-wrap' }}>{text(value)}</span>;
const amount: Cell = ({ value }) => money(value);
const files: Cell = ({ value, ctx }) => (Array.isArray(value) && value.length
  ? value.map((f: { id: string; name: string }) => <div key={f.id}><a href={`/api/w/${ctx.ws}/files/${f.id}`}>{f.name}</a></div>) : text(null));

export const cells: Record<FieldType, Cell> = {
  text: plain,
  textarea: area,
  richtext: area,
  email: plain,
  url: ({ value }) => (value ? <a href={String(value)} target="_blank" rel="noreferrer noopener">{String(value)}</a> : text(value)),
  phone: plain,
  integer: plain,
  decimal: amount,
  currency: amount,
  percent: ({ value }) => (value === null || value === undefined ? text(value) : `${value}%`),
  boolean: ({ value, ctx }) => (value === true ? (ctx.lang === 'en' ? 'Yes' : '是') : value === false ? (ctx.lang === 'en' ? 'No' : '否') : text(value)),
  date: plain,
  datetime: ({ value }) => (value ? dayjs(String(value)).format('YYYY-MM-DD HH:mm') : text(value)),
  select: ({ field, value, ctx }) => (value ? <Tag color={field.options?.find((o) => o.key === value)?.color}>{choiceLabel(field, value, ctx.lang)}</Tag> : text(value)),
  multiselect: ({ field, value, ctx }) => (Array.isArray(value) && value.length ? value.map((v) => <Tag key={String(v)}>{choiceLabel(field, v, ctx.lang)}</Tag>) : text(null)),
  relation: ({ field, value, ctx, record }) => {
    const exp = (record?.expand as Record<string, { id: string; title: unknown }> | undefined)?.[field.key];
    if (!value) return text(null);
    return <a href={`/app/${ctx.ws}/${field.target}/${String(value)}`}>{exp ? String(exp.title ?? value) : ctx.titles?.[String(value)] ?? (ctx.lang === 'en' ? 'Open' : '查看')}</a>;
  },
  user: ({ value, ctx }) => text(value ? ctx.members?.find((m) => m.id === value)?.name ?? String(value).slice(0, 8) : null),
  address: ({ value }) => {
    const a = value as Record<string, string | null> | null;
    return a ? [a.province, a.city, a.district, a.detail].filter(Boolean).join(' ') : text(null);
  },
  file: files,
  autonumber: plain,
  formula: amount,
  lookup: plain,
  rollup: amount,
};
