import type { Field, FieldType } from '@crm/metadata';
import type { Lang } from '../errors/i18n.js';

/**
 * A record value as a person reads it in a spreadsheet: option labels instead
 * of keys, member names instead of user ids, related records by title,
 * decimals exactly as on the wire (never through a float), datetimes in the
 * workspace time zone. Pure: the caller brings the member names and the
 * record with its `expand` (titles the reader was allowed to see).
 */
export interface PeopleFormat {
  lang: Lang;
  timeZone: string;
  /** user id -> display name */
  members: ReadonlyMap<string, string>;
}

type Label = { 'zh-CN'?: string; en?: string } | undefined;
type Format = (f: Field, v: unknown, record: Record<string, unknown>, fmt: PeopleFormat) => string;

export const labelIn = (l: Label, lang: Lang): string => (lang === 'en' ? l?.en ?? l?.['zh-CN'] : l?.['zh-CN'] ?? l?.en) ?? '';

const plain: Format = (_f, v) => String(v);
const optionLabel = (f: Field, key: unknown, lang: Lang) => {
  const o = (((f as { options?: unknown }).options ?? []) as { key: string; label?: Label }[]).find((x) => x.key === key);
  return o ? labelIn(o.label, lang) || String(key) : String(key);
};
const yesNo = (v: unknown, lang: Lang) => (v ? (lang === 'en' ? 'Yes' : '是') : lang === 'en' ? 'No' : '否');

/** "2026-11-22 16:30" in the workspace time zone. */
export function zonedDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Sanitised HTML (the server stores no other) as text: block ends become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6])>/gi, '\n').replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n+$/, '');
}

/** A computed value, by what it holds (formulas and rollups have a result type, not a field type of their own). */
const computed: Format = (_f, v, _r, fmt) => (typeof v === 'boolean' ? yesNo(v, fmt.lang) : String(v));

/** One formatter per field type: a new type without one does not compile. */
const formats: Record<FieldType, Format> = {
  text: plain, textarea: plain, email: plain, url: plain, phone: plain, autonumber: plain,
  richtext: (_f, v) => htmlToText(String(v)),
  integer: plain, decimal: plain, currency: plain, percent: plain,
  boolean: (_f, v, _r, fmt) => yesNo(v, fmt.lang),
  date: plain,
  datetime: (_f, v, _r, fmt) => zonedDateTime(String(v), fmt.timeZone),
  select: (f, v, _r, fmt) => optionLabel(f, v, fmt.lang),
  multiselect: (f, v, _r, fmt) => (Array.isArray(v) ? v.map((k) => optionLabel(f, k, fmt.lang)).join('; ') : String(v)),
  relation: (f, v, r) => {
    const hit = (r.expand as Record<string, { title?: unknown }> | undefined)?.[f.key];
    return hit && hit.title !== null && hit.title !== undefined ? String(hit.title) : String(v);
  },
  user: (_f, v, _r, fmt) => fmt.members.get(String(v)) ?? String(v),
  address: (_f, v) => {
    const a = v as Record<string, unknown>;
    return ['province', 'city', 'district', 'detail'].map((p) => a[p]).filter((x) => x !== null && x !== undefined && x !== '').join(' ');
  },
  file: (_f, v) => (Array.isArray(v) ? v.map((x) => String((x as { name?: unknown }).name ?? '')).join('; ') : ''),
  formula: computed, rollup: computed, lookup: computed,
};

export function formatForPeople(f: Field, value: unknown, record: Record<string, unknown>, fmt: PeopleFormat): string {
  if (value === null || value === undefined || value === '') return '';
  return formats[f.type as FieldType](f, value, record, fmt);
}

/** The owner column: the member's name. */
export function ownerText(value: unknown, fmt: PeopleFormat): string {
  return typeof value === 'string' ? fmt.members.get(value) ?? value : '';
}
