import { validate as validateRule } from '@crm/rules';
import { ruleMessages } from '@crm/rules';
import { FIELD_TYPES, type FieldType } from '../field-types/field-type.js';
import { fieldTypes } from '../field-types/registry.js';
import { checkFormula } from '../formula-language.js';
import { metadataMessages, type MetadataIssueCode } from '../messages.js';
import { FORBIDDEN_KEYS, PG_RESERVED, SYSTEM_COLUMNS } from '../reserved.js';
import { ruleSchemaFor } from '../rule-schema.js';
import type { Entity, Field } from '../schemas/entity.js';
import type { Layout } from '../schemas/layout.js';
import type { Pipeline } from '../schemas/pipeline.js';
import type { Role } from '../schemas/role.js';
import type { View } from '../schemas/view.js';
import type { DocumentKind, MetadataDocument } from '../schemas/documents.js';
import { ptr, type IssueSink, type MetadataIssue, type Sinks } from './issue.js';
import { check, documentValidator, fieldValidator, isKind } from './structural.js';

export type { MetadataIssue } from './issue.js';

const fill = (t: string, params: Record<string, unknown>) =>
  t.replace(/\{(\w+)\}/g, (w, k: string) => (params[k] === undefined ? w : Array.isArray(params[k]) ? (params[k] as unknown[]).join(', ') : String(params[k])));

const allMessages: Record<string, { 'zh-CN': string; en: string }> = { ...metadataMessages, ...ruleMessages };

function sinkFor(issues: MetadataIssue[], kind: string, id: string, reference = false): IssueSink {
  return (pointer, code, params = {}) => {
    const m = allMessages[code] ?? { 'zh-CN': code, en: code };
    issues.push({ kind, id, pointer, code, params, message: { 'zh-CN': fill(m['zh-CN'], params), en: fill(m.en, params) }, reference });
  };
}

/** The structure of one document alone (no references). Never throws. */
export function validateDocument(kind: string, body: unknown, id = ''): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  const report = sinkFor(issues, kind, id);
  structure(kind, body, report);
  return issues;
}

/** Indexes of entity fields that failed their type's schema: skipped by the type-specific checks. */
const badFields = new WeakMap<object, Set<number>>();

function structure(kind: string, body: unknown, report: IssueSink): boolean {
  if (!isKind(kind)) {
    report('', 'META_INVALID', { reason: `unknown document kind ${kind}` });
    return false;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    report('', 'META_NOT_OBJECT');
    return false;
  }
  const ok = check(documentValidator(kind), body, '', report);
  if (kind === 'entity' && Array.isArray((body as { fields?: unknown }).fields)) {
    const bad = new Set<number>();
    (body as { fields: unknown[] }).fields.forEach((f, i) => {
      const type = (f as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && (FIELD_TYPES as readonly string[]).includes(type)) {
        if (!check(fieldValidator(type as FieldType), f, ptr('fields', i), report)) bad.add(i);
      } else bad.add(i);
    });
    badFields.set(body, bad);
  }
  return ok;
}

/**
 * Every problem of a workspace's set of documents: structure, keys, references
 * between documents, and the rules inside them. Never throws, never mutates.
 */
export function validate(documents: readonly MetadataDocument[]): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  const sound: MetadataDocument[] = [];
  const seen = new Set<string>();
  for (const d of documents) {
    const report = sinkFor(issues, d.kind, d.id);
    if (seen.has(`${d.kind}/${d.id}`)) report('/id', 'META_DUPLICATE_ID', { id: d.id });
    seen.add(`${d.kind}/${d.id}`);
    const ok = structure(d.kind, d.body, report);
    if (ok && (d.body as { id?: unknown }).id !== d.id) report('/id', 'META_DUPLICATE_ID', { id: d.id });
    if (ok) sound.push(d);
  }
  const entities = sound.filter((d) => d.kind === 'entity').map((d) => d.body as unknown as Entity);
  const entityByKey = new Map<string, Entity>();
  for (const d of sound.filter((x) => x.kind === 'entity')) {
    const e = d.body as unknown as Entity;
    const report = sinkFor(issues, 'entity', d.id);
    const other = entityByKey.get(e.key);
    if (other) report('/key', 'META_DUPLICATE_KEY', { key: e.key, other: other.id });
    else entityByKey.set(e.key, e);
  }
  const ctx: Ctx = { entityByKey };
  for (const d of sound) {
    checks[d.kind as DocumentKind]?.(d.body as never, { own: sinkFor(issues, d.kind, d.id), ref: sinkFor(issues, d.kind, d.id, true) }, ctx);
  }
  void entities;
  return issues;
}

interface Ctx {
  entityByKey: Map<string, Entity>;
}

function checkKey(key: string, at: string, report: IssueSink, opts: { column?: boolean } = {}) {
  if (FORBIDDEN_KEYS.has(key)) return report(at, 'META_KEY_FORBIDDEN', { key });
  if (PG_RESERVED.has(key)) return report(at, 'META_KEY_RESERVED', { key });
  if (opts.column && SYSTEM_COLUMNS.has(key)) report(at, 'META_KEY_SYSTEM', { key });
}

function liveEntity(ctx: Ctx, key: string, at: string, report: IssueSink): Entity | undefined {
  const e = ctx.entityByKey.get(key);
  if (!e) return void report(at, 'META_UNKNOWN_ENTITY', { entity: key });
  if (e.archived) return void report(at, 'META_ENTITY_ARCHIVED', { entity: key });
  return e;
}

function liveField(entity: Entity, key: string, at: string, report: IssueSink): Field | undefined {
  const f = entity.fields.find((x) => x.key === key);
  if (!f) return void report(at, 'META_UNKNOWN_FIELD', { entity: entity.key, field: key });
  if (f.archived) return void report(at, 'META_FIELD_ARCHIVED', { field: key });
  return f;
}

/** Rule problems are the document's own, except a var naming a field of another document. */
function checkRule(rule: unknown, entity: Entity, at: string, s: Sinks, sameDocument: boolean) {
  for (const i of validateRule(rule, ruleSchemaFor(entity))) {
    (i.code === 'RULE_UNKNOWN_VAR' && !sameDocument ? s.ref : s.own)(`${at}${i.pointer}`, i.code, i.params ?? {});
  }
}

type Checks = { [K in DocumentKind]: (doc: never, sinks: Sinks, ctx: Ctx) => void };

const checks: Checks = {
  entity: (e: Entity, sinks, ctx) => {
    const report = sinks.own;
    const ref = sinks.ref;
    checkKey(e.key, '/key', report);
    const byKey = new Map<string, Field>();
    const columns = new Map<string, Field>();
    const ids = new Set<string>();
    const bad = badFields.get(e) ?? new Set<number>();
    e.fields.forEach((f, i) => {
      const at = ptr('fields', i);
      if (ids.has(f.id)) report(`${at}/id`, 'META_DUPLICATE_ID', { id: f.id });
      ids.add(f.id);
      checkKey(f.key, `${at}/key`, report, { column: true });
      const dup = byKey.get(f.key);
      if (dup) report(`${at}/key`, 'META_DUPLICATE_KEY', { key: f.key, other: dup.id });
      else byKey.set(f.key, f);
      if (bad.has(i)) return;
      for (const c of fieldTypes[f.type as FieldType].columns(f)) {
        const clash = columns.get(c.name);
        if (clash && clash !== dup && clash.id !== f.id) report(`${at}/key`, 'META_DUPLICATE_COLUMN', { key: f.key, column: c.name, other: clash.key });
        else columns.set(c.name, f);
      }
      const opts = f.options as { id: string; key: string }[] | undefined;
      if (opts) {
        const ok = new Set<string>();
        opts.forEach((o, j) => {
          if (ok.has(o.key)) report(`${at}/options/${j}/key`, 'META_DUPLICATE_OPTION', { key: o.key });
          ok.add(o.key);
          if (ids.has(o.id)) report(`${at}/options/${j}/id`, 'META_DUPLICATE_ID', { id: o.id });
          ids.add(o.id);
        });
      }
    });
    // Column collisions in the other direction (a plain field named like an earlier address part).
    e.fields.forEach((f, i) => {
      if (bad.has(i)) return;
      const owner = columns.get(f.key);
      if (owner && owner.id !== f.id && fieldTypes[owner.type as FieldType].columns(owner).length > 1) {
        report(`${ptr('fields', i)}/key`, 'META_DUPLICATE_COLUMN', { key: f.key, column: f.key, other: owner.key });
      }
    });
    const live = new Set(e.fields.filter((f) => !f.archived).map((f) => f.key));
    if (!live.has(e.titleField)) report('/titleField', 'META_UNKNOWN_FIELD', { entity: e.key, field: e.titleField });
    if (e.parentField) {
      const p = liveField(e, e.parentField, '/parentField', report);
      if (p && p.type !== 'relation') report('/parentField', 'META_FIELD_WRONG_TYPE', { field: p.key, expected: 'relation' });
    }
    e.fields.forEach((f, i) => {
      if (f.archived || bad.has(i)) return;
      const at = ptr('fields', i);
      if (f.type === 'relation') liveEntity(ctx, String(f.target), `${at}/target`, ref);
      if (f.type === 'formula') checkFormula(f.expression, new Set([...live].filter((k) => k !== f.key)), `${at}/expression`, report);
      if (f.type === 'lookup') {
        const through = liveField(e, String(f.through), `${at}/through`, report);
        if (through && through.type !== 'relation') report(`${at}/through`, 'META_FIELD_WRONG_TYPE', { field: through.key, expected: 'relation' });
        const target = through?.type === 'relation' ? ctx.entityByKey.get(String(through.target)) : undefined;
        if (target) liveField(target, String(f.field), `${at}/field`, target === e ? report : ref);
      }
      if (f.type === 'rollup') {
        const child = liveEntity(ctx, String(f.child), `${at}/child`, ref);
        if (child) {
          const via = liveField(child, String(f.via), `${at}/via`, ref);
          if (via && (via.type !== 'relation' || via.target !== e.key)) ref(`${at}/via`, 'META_FIELD_WRONG_TYPE', { field: via.key, expected: `relation -> ${e.key}` });
          if (f.aggregate !== 'count') {
            const src = f.field ? liveField(child, String(f.field), `${at}/field`, ref) : undefined;
            const numeric = ['integer', 'decimal', 'currency', 'percent', 'date', 'formula', 'rollup'];
            if (!f.field) report(`${at}/field`, 'META_ROLLUP_FIELD', { aggregate: f.aggregate });
            else if (src && !numeric.includes(src.type)) ref(`${at}/field`, 'META_ROLLUP_FIELD', { aggregate: f.aggregate });
          }
        }
      }
    });
    if (e.conversion) {
      const c = e.conversion;
      const targets = { account: 'accounts', contact: 'contacts', opportunity: 'opportunities' } as const;
      for (const part of ['account', 'contact', 'opportunity'] as const) {
        const map = c[part];
        if (!map) continue;
        const target = liveEntity(ctx, targets[part], `/conversion/${part}`, ref);
        for (const [to, from] of Object.entries(map)) {
          if (target) liveField(target, to, `/conversion/${part}/${to}`, ref);
          liveField(e, from, `/conversion/${part}/${to}`, report);
        }
      }
      liveField(e, c.status.field, '/conversion/status/field', report);
      for (const [part, key] of Object.entries(c.links)) if (key) liveField(e, key, `/conversion/links/${part}`, report);
    }
    e.rules.forEach((r, i) => {
      const at = ptr('rules', i);
      if ('field' in r) {
        liveField(e, r.field, `${at}/field`, report);
        checkRule(r.when, e, `${at}/when`, sinks, true);
      } else {
        if (r.when) checkRule(r.when, e, `${at}/when`, sinks, true);
        checkRule(r.assert, e, `${at}/assert`, sinks, true);
      }
    });
  },

  layout: (l: Layout, sinks, ctx) => {
    const report = sinks.own;
    const ref = sinks.ref;
    const e = liveEntity(ctx, l.entity, '/entity', ref);
    const ids = new Set<string>();
    l.tabs.forEach((tab, t) => {
      for (const [id, at] of [[tab.id, ptr('tabs', t, 'id')]] as const) {
        if (ids.has(id)) report(at, 'META_DUPLICATE_ID', { id });
        ids.add(id);
      }
      tab.sections.forEach((s, si) => {
        const sat = ptr('tabs', t, 'sections', si);
        if (ids.has(s.id)) report(`${sat}/id`, 'META_DUPLICATE_ID', { id: s.id });
        ids.add(s.id);
        s.items.forEach((item, ii) => {
          const at = `${sat}${ptr('items', ii)}`;
          if (item.kind === 'field' && e) liveField(e, item.field, `${at}/field`, ref);
          if (item.kind === 'relatedList') {
            const child = liveEntity(ctx, item.entity, `${at}/entity`, ref);
            const via = child && liveField(child, item.field, `${at}/field`, ref);
            if (via && e && (via.type !== 'relation' || via.target !== e.key)) ref(`${at}/field`, 'META_FIELD_WRONG_TYPE', { field: via.key, expected: `relation -> ${e.key}` });
          }
        });
      });
    });
  },

  view: (v: View, sinks, ctx) => {
    const report = sinks.own;
    const ref = sinks.ref;
    const e = liveEntity(ctx, v.entity, '/entity', ref);
    if (!e) return;
    const systemSortable = new Set(['created_at', 'updated_at', 'owner_id', 'last_activity_at']);
    v.columns.forEach((c, i) => liveField(e, c, ptr('columns', i), ref));
    v.sort.forEach((s, i) => {
      if (!systemSortable.has(s.field)) liveField(e, s.field, `${ptr('sort', i)}/field`, ref);
    });
    if (v.filter) checkRule(v.filter, e, '/filter', sinks, false);
    if (v.type === 'kanban' && !v.groupBy) report('/groupBy', 'META_REQUIRED', { property: 'groupBy' });
    if (v.groupBy) {
      const g = liveField(e, v.groupBy, '/groupBy', ref);
      if (g && g.type !== 'select') ref('/groupBy', 'META_FIELD_WRONG_TYPE', { field: g.key, expected: 'select' });
    }
    (v.cardFields ?? []).forEach((c, i) => liveField(e, c, ptr('cardFields', i), ref));
  },

  pipeline: (p: Pipeline, sinks, ctx) => {
    const report = sinks.own;
    const ref = sinks.ref;
    const e = liveEntity(ctx, p.entity, '/entity', ref);
    if (!e) return;
    const field = liveField(e, p.field, '/field', ref);
    if (!field) return;
    if (field.type !== 'select') return ref('/field', 'META_FIELD_WRONG_TYPE', { field: field.key, expected: 'select' });
    const options = (field.options ?? []) as { id: string; key: string; active?: boolean }[];
    const stageKeys = new Set<string>();
    p.stages.forEach((s, i) => {
      const at = ptr('stages', i);
      if (stageKeys.has(s.key)) report(`${at}/key`, 'META_DUPLICATE_KEY', { key: s.key, other: s.key });
      stageKeys.add(s.key);
      if (!options.some((o) => o.id === s.id && o.key === s.key)) ref(at, 'META_STAGE_NOT_OPTION', { stage: s.key, field: field.key });
      (s.gate?.requiredFields ?? []).forEach((k, j) => liveField(e, k, `${at}/gate/requiredFields/${j}`, ref));
      if (s.gate?.rule) checkRule(s.gate.rule, e, `${at}/gate/rule`, sinks, false);
    });
    options.forEach((o) => {
      if (o.active !== false && !stageKeys.has(o.key)) ref('/stages', 'META_OPTION_NOT_STAGE', { option: o.key });
    });
    if (Array.isArray(p.transitions)) {
      p.transitions.forEach((t, i) => {
        if (!stageKeys.has(t.from)) report(`${ptr('transitions', i)}/from`, 'META_UNKNOWN_STAGE', { stage: t.from });
        t.to.forEach((to, j) => {
          if (!stageKeys.has(to)) report(`${ptr('transitions', i, 'to', j)}`, 'META_UNKNOWN_STAGE', { stage: to });
        });
      });
    }
  },

  role: (r: Role, sinks, ctx) => {
    const report = sinks.own;
    const ref = sinks.ref;
    checkKey(r.key, '/key', report);
    for (const key of Object.keys(r.permissions)) liveEntity(ctx, key, ptr('permissions', key), ref);
    (r.pool ?? []).forEach((k, i) => {
      const e = liveEntity(ctx, k, ptr('pool', i), ref);
      if (e && e.ownership !== 'owned') ref(ptr('pool', i), 'META_INVALID', { reason: `${k} has no owner, so no pool` });
    });
  },

  manifest: () => {},
};

export function messageOf(code: MetadataIssueCode) {
  return metadataMessages[code];
}
