import type { ValueKind } from '@crm/rules';
import type { ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { fieldTypes, isFieldType } from '../field-types/registry.js';
import { checkFormula, fitsResultType } from '../formula-language.js';
import { formulaVars } from '../formula-vars.js';
import { PG_RESERVED, SYSTEM_COLUMNS } from '../reserved.js';
import type { Entity, Field } from '../schemas/entity.js';
import { checkKey, checkRule, isObject, liveEntity, liveField, type Ctx, type EntityInfo } from './context.js';
import { ptr, type IssueSink, type Sinks } from './issue.js';
import { ajv } from './structural.js';

/** Types whose single value can name a record. */
const TITLE_KINDS: ReadonlySet<ValueKind> = new Set(['text', 'integer', 'decimal', 'date', 'datetime']);
/** Everything about one entity document: ids, keys, columns, settings, references, formulas and rules. */
export function checkEntity(e: Entity, info: EntityInfo, sinks: Sinks, ctx: Ctx): void {
  const { own } = sinks;
  checkKey(e.key, '/key', own);
  checkIdsAndKeys(e, info, own);
  checkColumns(e, info, own);

  const title = liveField(info, e.titleField, '/titleField', own);
  if (title && !isTitleField(title)) own('/titleField', 'META_TITLE_FIELD', { field: title.key });
  if (e.parentField) checkParent(e, info, ctx, own);

  e.fields.forEach((f, i) => {
    if (!isObject(f) || info.bad.has(f) || !isFieldType(f.type)) return;
    const at = ptr('fields', i);
    checkSettings(f, at, own);
    if (f.archived) return;
    checkReferences(f, at, e, info, sinks, ctx);
  });
  checkFormulas(e, info, own);

  e.rules.forEach((r, i) => {
    const at = ptr('rules', i);
    if (r.kind === 'validation') {
      if (r.when) checkRule(r.when, info, `${at}/when`, sinks, true);
      checkRule(r.assert, info, `${at}/assert`, sinks, true);
      return;
    }
    const target = liveField(info, r.field, `${at}/field`, own);
    if (target && (r.kind === 'requiredIf' || r.kind === 'readOnlyIf') && fieldTypes[target.type].computed) {
      own(`${at}/field`, 'META_COMPUTED_FIELD', { field: target.key, setting: r.kind });
    }
    checkRule(r.when, info, `${at}/when`, sinks, true);
  });

  if (e.conversion) checkConversion(e, info, sinks, ctx);
}

/** Field, option and rule ids are unique in the document; field keys in the entity (archived included); option keys in their field. */
function checkIdsAndKeys(e: Entity, info: EntityInfo, own: IssueSink): void {
  const ids = new Set<string>();
  const seeId = (id: unknown, at: string) => {
    if (typeof id !== 'string') return;
    if (ids.has(id)) own(at, 'META_DUPLICATE_ID', { id });
    ids.add(id);
  };
  const byKey = new Map<string, Record<string, unknown>>();
  e.fields.forEach((f, i) => {
    if (!isObject(f)) return;
    const at = ptr('fields', i);
    seeId(f.id, `${at}/id`);
    if (typeof f.key === 'string') {
      checkKey(f.key, `${at}/key`, own, { column: true });
      const other = byKey.get(f.key);
      if (other) own(`${at}/key`, other.archived === true ? 'META_DUPLICATE_KEY_ARCHIVED' : 'META_DUPLICATE_KEY', { key: f.key, other: other.id });
      else byKey.set(f.key, f);
    }
    if (info.bad.has(f) || !Array.isArray(f.options)) return;
    const optionKeys = new Set<string>();
    (f.options as { id: string; key: string }[]).forEach((o, j) => {
      seeId(o.id, `${at}/options/${j}/id`);
      checkKey(o.key, `${at}/options/${j}/key`, own, { sql: false });
      if (optionKeys.has(o.key)) own(`${at}/options/${j}/key`, 'META_DUPLICATE_OPTION', { key: o.key });
      optionKeys.add(o.key);
    });
  });
  e.rules.forEach((r, i) => seeId(r.id, ptr('rules', i, 'id')));
}

/**
 * Physical column names after expansion (address `addr` -> `addr_city` ...)
 * must not collide, archived fields included: their columns stay.
 */
function checkColumns(e: Entity, info: EntityInfo, own: IssueSink): void {
  const owner = new Map<string, Field>();
  e.fields.forEach((f, i) => {
    if (!isObject(f) || info.bad.has(f) || !isFieldType(f.type)) return;
    const at = `${ptr('fields', i)}/key`;
    for (const c of fieldTypes[f.type].columns(f)) {
      if (c.name !== f.key) {
        if (SYSTEM_COLUMNS.has(c.name)) own(at, 'META_KEY_SYSTEM', { key: c.name });
        else if (PG_RESERVED.has(c.name)) own(at, 'META_KEY_RESERVED', { key: c.name });
      }
      const other = owner.get(c.name);
      if (!other) owner.set(c.name, f);
      else if (other.key !== f.key) own(at, 'META_DUPLICATE_COLUMN', { key: f.key, column: c.name, other: other.key });
    }
  });
}

function isTitleField(f: Field): boolean {
  const def = fieldTypes[f.type];
  const kind = def.valueKind(f);
  return def.columns(f).length === 1 && kind !== null && TITLE_KINDS.has(kind);
}

/** parentField: a live relation, and following parents never comes back to this entity. */
function checkParent(e: Entity, info: EntityInfo, ctx: Ctx, own: IssueSink): void {
  const parent = liveField(info, e.parentField!, '/parentField', own);
  if (!parent) return;
  if (parent.type !== 'relation') return own('/parentField', 'META_FIELD_WRONG_TYPE', { field: parent.key, expected: 'relation' });
  const path = [e.key];
  let next: unknown = parent.target;
  while (typeof next === 'string') {
    path.push(next);
    if (next === e.key) return own('/parentField', 'META_PARENT_CYCLE', { path: path.join(' → ') });
    if (path.indexOf(next) < path.length - 1) return; // a cycle further up: its members report it
    const up = ctx.entities.get(next);
    if (!up || up.broken || !up.body.parentField) return;
    next = up.fields.get(up.body.parentField)?.target;
  }
}

/** Settings the type cannot honour, settings computed fields cannot have, and default values of the wrong shape. */
function checkSettings(f: Field, at: string, own: IssueSink): void {
  const def = fieldTypes[f.type];
  for (const s of ['unique', 'indexed', 'searchable'] as const) {
    if (f[s] === true && !def.supports[s]) own(`${at}/${s}`, 'META_SETTING_NOT_SUPPORTED', { type: f.type, setting: s });
  }
  if (def.computed) {
    if (f.required === true) own(`${at}/required`, 'META_COMPUTED_FIELD', { field: f.key, setting: 'required' });
    if (f.defaultValue !== undefined) own(`${at}/defaultValue`, 'META_COMPUTED_FIELD', { field: f.key, setting: 'defaultValue' });
  } else if (f.defaultValue !== undefined && f.defaultValue !== null) {
    const inactive = Array.isArray(f.options) ? (f.options as { key: string; active: boolean }[]).filter((o) => !o.active).map((o) => o.key) : [];
    const chosen = Array.isArray(f.defaultValue) ? f.defaultValue : [f.defaultValue];
    if (!wireValidator(def.wireSchema(f))(f.defaultValue) || chosen.some((v) => inactive.includes(v as string))) {
      own(`${at}/defaultValue`, 'META_BAD_DEFAULT', { field: f.key });
    }
  }
  if (f.type === 'integer' && typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) {
    own(`${at}/max`, 'META_OUT_OF_RANGE', { comparison: '>=', limit: f.min });
  }
}

const wireValidators = new Map<string, ValidateFunction>();
/** Wire schemas are built per field; compile each distinct one once. */
function wireValidator(schema: TSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = wireValidators.get(key);
  if (!v) {
    v = ajv.compile(schema);
    wireValidators.set(key, v);
  }
  return v;
}

/** What a live field of a given type points at: relation targets, lookups, rollups, stage pipelines. */
function checkReferences(f: Field, at: string, e: Entity, info: EntityInfo, sinks: Sinks, ctx: Ctx): void {
  const { own, ref } = sinks;
  switch (f.type) {
    case 'relation':
      liveEntity(ctx, String(f.target), `${at}/target`, ref);
      return;
    case 'select': {
      if (typeof f.pipeline !== 'string') return;
      if (ctx.pipelineIds.has(f.pipeline) && !ctx.pipelines.has(f.pipeline)) return; // a broken pipeline reports itself
      const p = ctx.pipelines.get(f.pipeline);
      if (!p || p.entity !== e.key || p.field !== f.key) ref(`${at}/pipeline`, 'META_UNKNOWN_PIPELINE', { pipeline: f.pipeline, field: f.key });
      return;
    }
    case 'lookup': {
      const through = liveField(info, String(f.through), `${at}/through`, own);
      if (!through) return;
      if (through.type !== 'relation') return own(`${at}/through`, 'META_FIELD_WRONG_TYPE', { field: through.key, expected: 'relation' });
      const target = ctx.entities.get(String(through.target));
      if (!target || target.broken || target.body.archived) return; // the relation reports it
      const src = liveField(target, String(f.field), `${at}/field`, target === info ? own : ref);
      if (src?.type === 'lookup') (target === info ? own : ref)(`${at}/field`, 'META_FIELD_WRONG_TYPE', { field: src.key, expected: 'stored' });
      return;
    }
    case 'rollup':
      checkRollup(f, at, e, sinks, ctx);
      return;
    default:
  }
}

function checkRollup(f: Field, at: string, e: Entity, { own, ref }: Sinks, ctx: Ctx): void {
  const child = liveEntity(ctx, String(f.child), `${at}/child`, ref);
  if (!child) return;
  const via = liveField(child, String(f.via), `${at}/via`, ref);
  if (via && (via.type !== 'relation' || via.target !== e.key)) ref(`${at}/via`, 'META_RELATION_TARGET', { field: via.key, entity: e.key });
  if (f.aggregate === 'count') {
    if (f.resultType === 'date') own(`${at}/resultType`, 'META_RESULT_TYPE', { actual: 'integer', expected: f.resultType });
    return;
  }
  if (typeof f.field !== 'string') return own(`${at}/field`, 'META_REQUIRED', { property: 'field' });
  const src = liveField(child, f.field, `${at}/field`, ref);
  if (!src) return;
  const kind = fieldTypes[src.type].valueKind(src);
  const numeric = kind === 'integer' || kind === 'decimal';
  if (!(numeric || (kind === 'date' && f.aggregate !== 'sum'))) return ref(`${at}/field`, 'META_ROLLUP_FIELD', { aggregate: f.aggregate });
  const fits = kind === 'date' ? f.resultType === 'date' : f.resultType === 'decimal' || (f.resultType === 'integer' && kind === 'integer');
  if (!fits) ref(`${at}/resultType`, 'META_RESULT_TYPE', { actual: kind, expected: f.resultType });
}

/**
 * Formulas read the record's own stored fields, compute a value that fits
 * their result type, and never depend on themselves through other formulas.
 */
function checkFormulas(e: Entity, info: EntityInfo, own: IssueSink): void {
  const vars = formulaVars(e.fields, info.bad);
  const deps = new Map<string, string[]>();
  const where = new Map<string, string>();
  e.fields.forEach((f, i) => {
    if (!isObject(f) || info.bad.has(f) || f.type !== 'formula' || f.archived) return;
    const at = `${ptr('fields', i)}/expression`;
    const result = checkFormula(f.expression, vars);
    for (const x of result.issues) own(`${at}${x.pointer}`, x.code, x.code === 'META_UNKNOWN_FIELD' ? { ...x.params, entity: e.key } : x.params);
    if (!fitsResultType(result.type, String(f.resultType))) {
      own(`${ptr('fields', i)}/resultType`, 'META_RESULT_TYPE', { actual: result.type, expected: f.resultType });
    }
    deps.set(f.key, result.vars);
    where.set(f.key, at);
  });
  for (const [key, path] of cycles(deps)) own(where.get(key)!, 'META_FORMULA_CYCLE', { path: path.join(' → ') });
}

/** Each formula that is part of a dependency cycle, with one cycle through it. */
function cycles(deps: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const start of deps.keys()) {
    // Depth-first search for a path from start back to start.
    const stack: { key: string; path: string[] }[] = [{ key: start, path: [start] }];
    const seen = new Set<string>();
    while (stack.length) {
      const { key, path } = stack.pop()!;
      for (const next of deps.get(key) ?? []) {
        if (next === start) {
          out.set(start, [...path, start]);
          stack.length = 0;
          break;
        }
        if (deps.has(next) && !seen.has(next)) {
          seen.add(next);
          stack.push({ key: next, path: [...path, next] });
        }
      }
    }
  }
  return out;
}

/** Lead conversion: source fields of this entity, target fields of accounts / contacts / opportunities. */
function checkConversion(e: Entity, info: EntityInfo, { own, ref }: Sinks, ctx: Ctx): void {
  const c = e.conversion!;
  const targets = { account: 'accounts', contact: 'contacts', opportunity: 'opportunities' } as const;
  for (const part of ['account', 'contact', 'opportunity'] as const) {
    const map = c[part];
    if (!map) continue;
    const target = liveEntity(ctx, targets[part], `/conversion/${part}`, ref);
    for (const [to, from] of Object.entries(map)) {
      if (target) liveField(target, to, ptr('conversion', part, to), ref);
      liveField(info, from, ptr('conversion', part, to), own);
    }
  }
  const status = liveField(info, c.status.field, '/conversion/status/field', own);
  if (status) {
    const options = new Set((Array.isArray(status.options) ? (status.options as { key: string }[]) : []).map((o) => o.key));
    if (status.type !== 'select') own('/conversion/status/field', 'META_FIELD_WRONG_TYPE', { field: status.key, expected: 'select' });
    else {
      [c.status.converted, ...c.status.closed].forEach((k, i) => {
        if (!options.has(k)) own(i === 0 ? '/conversion/status/converted' : ptr('conversion', 'status', 'closed', i - 1), 'META_UNKNOWN_OPTION', { field: status.key, option: k });
      });
    }
  }
  for (const [part, key] of Object.entries(c.links)) if (key) liveField(info, key, ptr('conversion', 'links', part), own);
}
