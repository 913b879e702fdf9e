import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { AUTONUMBER_PATTERN } from '../field-types/autonumber.js';
import { COLOR_PATTERN, ID_PATTERN, KEY_PATTERN, SEMVER_PATTERN } from '../schemas/common.js';
import { schemas, type DocumentKind } from '../schemas/documents.js';
import type { MetadataIssueCode } from '../messages.js';
import type { IssueSink } from './issue.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * One ajv for the process. `discriminator` makes tagged unions (fields by
 * `type`, layout items and entity rules by `kind`) check only the branch the
 * tag names. Validators are compiled once per schema and kept.
 */
export const ajv = addFormats(new Ajv({ allErrors: true, verbose: true, strict: false, discriminator: true }));
const compiledBySchema = new WeakMap<TSchema, ValidateFunction>();

export function compiled(schema: TSchema): ValidateFunction {
  let v = compiledBySchema.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiledBySchema.set(schema, v);
  }
  return v;
}

/** People-readable examples of the formats our schemas use. */
const EXAMPLES: Record<string, string> = {
  [ID_PATTERN]: 'fld_3k9x2a',
  [KEY_PATTERN]: 'expected_close',
  [SEMVER_PATTERN]: '1.2.0',
  [COLOR_PATTERN]: '#1677ff',
  [AUTONUMBER_PATTERN]: 'CT-{YYYY}-{0000}',
  '^[A-Z]{3}$': 'CNY',
  '^[A-Z]{2}$': 'CN',
  date: '2026-11-22',
  'date-time': '2026-11-22T08:30:00Z',
  uuid: '0190a1b2-0000-7000-8000-000000000001',
  email: 'name@example.com',
};

/** A structural finding: pointer relative to the value checked, code and params. */
export interface StructuralError {
  pointer: string;
  code: MetadataIssueCode;
  params: Record<string, unknown>;
}

/**
 * Runs a compiled schema and returns its errors as our codes, one per place
 * and code. Errors of union branches the value was plainly not meant for
 * (wrong JSON type or tag) are left out, so a bad setting is reported on the
 * branch that fits instead of on every branch.
 */
export function structuralErrors(validate: ValidateFunction, value: unknown): StructuralError[] {
  if (validate(value)) return [];
  const errors = relevant(validate.errors ?? []);
  const out: StructuralError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const t = translate(e);
    if (!t) continue;
    const key = `${t.pointer}|${t.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** Reports structural errors through a sink, under `base`; returns whether the value passed. */
export function check(validate: ValidateFunction, value: unknown, base: string, report: IssueSink): boolean {
  const errors = structuralErrors(validate, value);
  for (const e of errors) report(`${base}${e.pointer}`, e.code, e.params);
  return errors.length === 0;
}

export const documentValidator = (kind: DocumentKind) => compiled(schemas[kind]);

/**
 * Resolves `anyOf` (the only untagged unions: pipeline transitions, nullable
 * wire values): when exactly one branch fits the value's shape, its errors
 * stand for the union; otherwise the union's own error does.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const unions = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const u of unions) {
    if (dropped.has(u)) continue;
    const prefix = `${u.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const fitting = [...branches.values()].filter((errs) => !errs.some((e) => e.instancePath === u.instancePath && ['type', 'enum', 'const'].includes(e.keyword)));
    const keep = fitting.length === 1 ? fitting[0]! : [];
    for (const errs of branches.values()) for (const e of errs) if (!keep.includes(e)) dropped.add(e);
    if (keep.length) dropped.add(u);
  }
  return errors.filter((e) => !dropped.has(e));
}

/** Values of an enum/const schema, or of each branch of an anyOf. */
function allowedOf(schema: unknown): unknown[] {
  const s = schema as { enum?: unknown[]; const?: unknown; anyOf?: unknown[] } | undefined;
  if (!s) return [];
  if (Array.isArray(s.enum)) return s.enum;
  if ('const' in s) return [s.const];
  if (Array.isArray(s.anyOf)) return s.anyOf.flatMap(allowedOf);
  return [];
}

function typesOf(schema: unknown): string[] {
  const s = schema as { type?: string | string[]; anyOf?: unknown[] } | undefined;
  if (!s) return [];
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type;
  if (Array.isArray(s.anyOf)) return [...new Set(s.anyOf.flatMap(typesOf))];
  return [];
}

function translate(e: ErrorObject): StructuralError | undefined {
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const r = (pointer: string, code: MetadataIssueCode, params: Record<string, unknown> = {}): StructuralError => ({ pointer, code, params });
  switch (e.keyword) {
    case 'required': {
      const property = String(p.missingProperty);
      const props = parent?.properties as Record<string, unknown> | undefined;
      return r(`${at}/${property}`, 'META_REQUIRED', { property: props && 'zh-CN' in props ? 'zh-CN / en' : property });
    }
    case 'additionalProperties': {
      const property = String(p.additionalProperty);
      const patterns = Object.keys((parent?.patternProperties as Record<string, unknown> | undefined) ?? {});
      if (patterns.includes(KEY_PATTERN)) return r(`${at}/${escape(property)}`, 'META_KEY_FORMAT', { key: property });
      if (patterns.length) return r(`${at}/${escape(property)}`, 'META_BAD_FORMAT', { example: EXAMPLES[patterns[0]!] ?? patterns[0] });
      return r(`${at}/${escape(property)}`, 'META_UNKNOWN_PROPERTY', { property });
    }
    case 'discriminator': {
      const tag = String(p.tag);
      if (p.tagValue === undefined) return undefined; // reported by `required`
      if (typeof p.tagValue !== 'string') return r(`${at}/${tag}`, 'META_WRONG_TYPE', { expected: 'string' });
      if (tag === 'type') return r(`${at}/${tag}`, 'META_UNKNOWN_FIELD_TYPE', { type: p.tagValue });
      const branches = (parent?.oneOf as { properties?: Record<string, unknown> }[] | undefined) ?? [];
      return r(`${at}/${tag}`, 'META_NOT_ALLOWED_VALUE', { allowed: branches.flatMap((b) => allowedOf(b.properties?.[tag])) });
    }
    case 'anyOf': {
      const allowed = allowedOf(parent);
      if (allowed.length && typeof e.data === 'string') return r(at, 'META_NOT_ALLOWED_VALUE', { allowed });
      return r(at, 'META_WRONG_TYPE', { expected: typesOf(parent) });
    }
    case 'type':
      return r(at, 'META_WRONG_TYPE', { expected: p.type });
    case 'enum':
      return r(at, 'META_NOT_ALLOWED_VALUE', { allowed: p.allowedValues });
    case 'const':
      return r(at, 'META_NOT_ALLOWED_VALUE', { allowed: [p.allowedValue] });
    case 'pattern':
      return p.pattern === KEY_PATTERN ? r(at, 'META_KEY_FORMAT', { key: e.data }) : r(at, 'META_BAD_FORMAT', { example: EXAMPLES[String(p.pattern)] ?? String(p.pattern) });
    case 'format':
      return r(at, 'META_BAD_FORMAT', { example: EXAMPLES[String(p.format)] ?? String(p.format) });
    case 'minLength':
      return r(at, 'META_TOO_SHORT', { limit: p.limit });
    case 'maxLength':
      return r(at, 'META_TOO_LONG', { limit: p.limit });
    case 'minItems':
      return r(at, 'META_TOO_FEW', { limit: p.limit });
    case 'maxItems': case 'maxProperties':
      return r(at, 'META_TOO_MANY', { limit: p.limit });
    case 'minProperties': {
      const props = parent?.properties as Record<string, unknown> | undefined;
      return props && 'zh-CN' in props ? r(at, 'META_REQUIRED', { property: 'zh-CN / en' }) : r(at, 'META_TOO_FEW', { limit: p.limit });
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return r(at, 'META_OUT_OF_RANGE', { comparison: p.comparison, limit: p.limit });
    case 'uniqueItems':
      return r(`${at}/${String(p.i)}`, 'META_DUPLICATE_ITEM', { item: Array.isArray(e.data) ? e.data[p.i as number] : '' });
    default:
      return r(at, 'META_INVALID', { reason: e.message ?? e.keyword });
  }
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
