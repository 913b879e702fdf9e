import { ADDRESS_PARTS, type Field } from '@crm/metadata';
import { AppError, type ErrorDetail } from '../errors/app-error.js';
import { columnsOf, systemColumns, type EntityModel } from './model.js';

/** Keys a client may never write: the server owns them. */
export const PROTECTED = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted_at', 'last_activity_at']);

export type Wire = Record<string, unknown>;

/**
 * Checks the keys of a write body before any value is looked at: unknown,
 * archived, protected or computed keys are a 400 naming them and listing what
 * may be written.
 */
export function checkKeys(model: EntityModel, body: unknown, opts: { ownerAllowed: boolean; pointer?: string }): Wire {
  const at = opts.pointer ?? '';
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'body must be an object' });
  }
  const writable = [...model.writable].sort();
  const allowed = model.entity.ownership === 'owned' && opts.ownerAllowed ? [...writable, 'owner_id'] : writable;
  const details: ErrorDetail[] = [];
  for (const key of Object.keys(body)) {
    if (key === 'owner_id' && model.entity.ownership === 'owned') {
      if (!opts.ownerAllowed) details.push({ pointer: `${at}/${key}`, code: 'RECORD_PROTECTED_FIELD', params: { field: key } });
      continue;
    }
    if (PROTECTED.has(key) || (model.fields.has(key) && !model.writable.has(key))) {
      details.push({ pointer: `${at}/${key}`, code: 'RECORD_PROTECTED_FIELD', params: { field: key } });
    } else if (!model.writable.has(key)) {
      details.push({ pointer: `${at}/${key}`, code: 'RECORD_UNKNOWN_FIELD', params: { field: key, allowed } });
    }
  }
  if (details.length) throw new AppError('CRM_ERR_UNKNOWN_FIELDS', { names: details.map((d) => d.params!.field), allowed }, details);
  return body as Wire;
}

/** Wire-format checks per field (ajv from the field type's wire schema) and light normalisation. */
export function checkValues(model: EntityModel, body: Wire, at = ''): { values: Wire; details: ErrorDetail[] } {
  const details: ErrorDetail[] = [];
  const values: Wire = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'owner_id') {
      if (raw !== null && (typeof raw !== 'string' || !/^[0-9a-f-]{36}$/i.test(raw))) details.push({ pointer: `${at}/${key}`, code: 'RECORD_INVALID_VALUE', params: { field: key, reason: 'uuid' } });
      values[key] = raw;
      continue;
    }
    const f = model.fields.get(key)!;
    const v = normalise(f, raw);
    const validate = model.validators.get(key)!;
    if (!validate(v)) {
      const e = validate.errors?.[0];
      details.push({ pointer: `${at}/${key}${e?.instancePath ?? ''}`, code: 'RECORD_INVALID_VALUE', params: { field: key, reason: e?.message ?? 'invalid' } });
      continue;
    }
    values[key] = v;
  }
  return { values, details };
}

function normalise(f: Field, v: unknown): unknown {
  if (v === '' && f.type !== 'text' && f.type !== 'textarea') return null;
  if (f.type === 'email' && typeof v === 'string') return v.trim().toLowerCase();
  if (typeof v === 'number' && (f.type === 'decimal' || f.type === 'currency' || f.type === 'percent')) {
    // Accept a JSON number for convenience, but only when it is an exact decimal literal.
    return Number.isFinite(v) && /^-?\d+(\.\d+)?$/.test(String(v)) ? String(v) : v;
  }
  return v;
}

/** Wire values -> column values (address spreads into its four columns, files into jsonb). */
export function toColumns(model: EntityModel, values: Wire): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(values)) {
    if (key === 'owner_id') {
      out.owner_id = v;
      continue;
    }
    const f = model.fields.get(key)!;
    if (f.type === 'address') {
      const a = (v ?? {}) as Record<string, unknown>;
      for (const p of ADDRESS_PARTS) out[`${key}_${p}`] = a[p] ?? null;
    } else if (f.type === 'file') {
      out[key] = v === null ? null : JSON.stringify(v);
    } else out[key] = v;
  }
  return out;
}

/** A database row -> the record on the wire. */
export function toWire(model: EntityModel, row: Record<string, unknown>, fields?: readonly string[]): Wire {
  const out: Wire = {};
  for (const c of systemColumns(model)) out[c] = iso(row[c]);
  for (const [key, f] of model.fields) {
    if (fields && !fields.includes(key)) continue;
    if (f.type === 'lookup') continue;
    if (f.type === 'address') {
      const parts = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, row[`${key}_${p}`] ?? null]));
      out[key] = Object.values(parts).every((x) => x === null) ? null : parts;
    } else out[key] = iso(row[key]);
  }
  return out;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);

export function selectColumns(model: EntityModel, fields?: readonly string[]): string[] {
  return [...systemColumns(model), ...columnsOf(model, fields ?? model.fields.keys())];
}

export const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
