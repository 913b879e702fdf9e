import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { KEY_PATTERN } from '../schemas/common.js';
import { fieldSchemas } from '../schemas/entity.js';
import { DOCUMENT_KINDS, schemas, type DocumentKind } from '../schemas/documents.js';
import type { FieldType } from '../field-types/field-type.js';
import type { IssueSink } from './issue.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// One ajv for the process; validators compiled once per schema and kept.
const ajv = addFormats(new Ajv({ allErrors: true, verbose: true, strict: false }));
const compiledBySchema = new WeakMap<TSchema, ValidateFunction>();

export function compiled(schema: TSchema): ValidateFunction {
  let v = compiledBySchema.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiledBySchema.set(schema, v);
  }
  return v;
}

export const documentValidator = (kind: DocumentKind) => compiled(schemas[kind]);
export const fieldValidator = (type: FieldType) => compiled(fieldSchemas[type]);

export const isKind = (k: string): k is DocumentKind => (DOCUMENT_KINDS as readonly string[]).includes(k);

/** Runs a compiled schema and reports its errors as our codes; returns whether it passed. */
export function check(validate: ValidateFunction, value: unknown, base: string, report: IssueSink): boolean {
  if (validate(value)) return true;
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // Branch errors of a union of literals are summed up by its anyOf error.
    if (e.keyword === 'const' || (e.keyword === 'type' && e.schemaPath.includes('anyOf'))) continue;
    const [pointer, code, params] = translate(e);
    const key = `${base}${pointer}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    report(`${base}${pointer}`, code, params);
  }
  return false;
}

function translate(e: ErrorObject): [string, Parameters<IssueSink>[1], Record<string, unknown>] {
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return [`${at}/${String(p.missingProperty)}`, 'META_REQUIRED', { property: p.missingProperty }];
    case 'additionalProperties':
      return [`${at}/${String(p.additionalProperty)}`, 'META_UNKNOWN_PROPERTY', { property: p.additionalProperty }];
    case 'type':
      return [at, 'META_WRONG_TYPE', { expected: p.type }];
    case 'enum':
      return [at, 'META_NOT_ALLOWED_VALUE', { allowed: p.allowedValues }];
    case 'anyOf': {
      const branches = ((e.parentSchema as { anyOf?: { const?: unknown }[] } | undefined)?.anyOf ?? []).map((b) => b.const).filter((c) => c !== undefined);
      return branches.length ? [at, 'META_NOT_ALLOWED_VALUE', { allowed: branches }] : [at, 'META_INVALID', { reason: e.message }];
    }
    case 'pattern':
      return (e.parentSchema as { pattern?: string } | undefined)?.pattern === KEY_PATTERN
        ? [at, 'META_KEY_FORMAT', { key: e.data }]
        : [at, 'META_BAD_FORMAT', { pattern: p.pattern }];
    case 'format':
      return [at, 'META_BAD_FORMAT', { format: p.format }];
    case 'minLength': case 'maxLength': case 'minimum': case 'maximum': case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties':
      return [at, 'META_OUT_OF_RANGE', { limit: p.limit, keyword: e.keyword }];
    default:
      return [at, 'META_INVALID', { reason: e.message }];
  }
}
