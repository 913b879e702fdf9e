/**
 * The kanban board's logic, apart from React: which filter each column asks
 * for, how a card moves between columns, what a refused move asks the user
 * for, and how totals read. Unit-tested in board-model.test.ts.
 */

export type Rec = Record<string, unknown>;
export type Columns = Record<string, Rec[]>;

export interface ColumnTotal { key: string | null; count: number; sum: string | null; weighted: string | null }

/** A server error detail as the API sends it (params stay keys, the message is for people). */
export interface Detail { pointer: string; code: string; message: string; params?: Record<string, unknown> }

/**
 * What a refused move needs before it can go through: the fields to fill
 * (the stage gate's missing fields and any field the move made required),
 * whether a gate condition (not a field list) also failed, and the server's
 * reasons to show.
 */
export interface GateProblem {
  stage: string;
  fields: string[];
  rule: boolean;
  messages: string[];
}

const FIXABLE = new Set(['RECORD_STAGE_GATE', 'RECORD_STAGE_GATE_RULE', 'RECORD_REQUIRED']);

/** The view's filter and the screen's extra filter as one rule (undefined when neither). */
export function boardFilter(viewFilter: unknown, extra: unknown): unknown {
  const parts = [viewFilter, extra].filter((x) => x !== undefined && x !== null);
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { and: parts };
}

/** One column's records: the board's filter and "the group field is this key". */
export function columnFilter(groupBy: string, key: string, filter: unknown): unknown {
  const own = { '==': [{ var: groupBy }, key] };
  return filter === undefined ? own : { and: [own, filter] };
}

/** Where a card sits now. */
export function columnOf(columns: Columns, id: string): string | undefined {
  return Object.keys(columns).find((k) => columns[k]!.some((r) => r.id === id));
}

/** The card (as `record`, e.g. the server's answer) at the top of column `to`, and nowhere else. */
export function placeCard(columns: Columns, record: Rec, to: string): Columns {
  const out: Columns = {};
  for (const [k, list] of Object.entries(columns)) out[k] = list.filter((r) => r.id !== record.id);
  out[to] = [record, ...(out[to] ?? [])];
  return out;
}

/** Replaces a card where it is (a reload that did not change its column). */
export function replaceCard(columns: Columns, record: Rec): Columns {
  return Object.fromEntries(Object.entries(columns).map(([k, list]) => [k, list.map((r) => (r.id === record.id ? record : r))]));
}

/**
 * From a refused move (422), what to ask the user: undefined when the refusal
 * is nothing fields can fix (a forbidden transition, say), so the board shows
 * the reason instead of a dialog. Field keys come from the gate's
 * `params.missing` and from "required" details pointing at a field the user
 * may write.
 */
export function gateProblem(status: number, details: readonly Detail[], stageField: string, to: string, writable: ReadonlySet<string>): GateProblem | undefined {
  if (status !== 422 || !details.length) return undefined;
  if (!details.some((d) => d.code === 'RECORD_STAGE_GATE' || d.code === 'RECORD_STAGE_GATE_RULE' || d.code === 'RECORD_REQUIRED')) return undefined;
  const fields: string[] = [];
  const add = (k: string) => { if (writable.has(k) && k !== stageField && !fields.includes(k)) fields.push(k); };
  for (const d of details) {
    if (!FIXABLE.has(d.code)) return undefined;
    if (d.code === 'RECORD_STAGE_GATE') for (const k of (d.params?.missing as string[] | undefined) ?? []) add(k);
    if (d.code === 'RECORD_REQUIRED') {
      const k = fieldOf(d.pointer);
      if (!k || !writable.has(k)) return undefined;
      add(k);
    }
  }
  return { stage: to, fields, rule: details.some((d) => d.code === 'RECORD_STAGE_GATE_RULE'), messages: [...new Set(details.map((d) => d.message).filter(Boolean))] };
}

/** `/amount` -> amount */
export function fieldOf(pointer: string): string | undefined {
  return pointer.split('/').filter(Boolean)[0];
}

export const isEmptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The filled values of the dialog, ready to travel with the stage in one PATCH. */
export function moveBody(stageField: string, to: string, values: Record<string, unknown>): Record<string, unknown> {
  const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => !isEmptyValue(v)));
  return { ...filled, [stageField]: to };
}

/** The field a column header adds up: the view's choice, else the first money field on the cards, else of the entity. */
export function sumFieldOf(fields: readonly { key: string; type: string }[], cardFields: readonly string[], chosen?: string): string | undefined {
  const numeric = (t: string) => t === 'currency' || t === 'decimal' || t === 'integer';
  if (chosen && fields.some((f) => f.key === chosen && numeric(f.type))) return chosen;
  const money = fields.filter((f) => f.type === 'currency');
  return money.find((f) => cardFields.includes(f.key))?.key ?? money[0]?.key;
}

/**
 * A decimal string for a column header: grouped by thousands, trailing
 * zeros dropped, no float anywhere (the digits are regrouped as text), so a
 * total of 12345678901234.56 shows every digit.
 */
export function formatDecimal(value: string | null | undefined): string {
  if (value === null || value === undefined || !/^-?\d+(\.\d+)?$/.test(value)) return '—';
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = frac.replace(/0+$/, '');
  return `${negative ? '-' : ''}${grouped}${cents ? `.${cents}` : ''}`;
}
