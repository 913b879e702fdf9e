import type { ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ADDRESS_PARTS, fieldTypes, ruleSchemaFor, type Entity, type Field, type FieldType } from '@crm/metadata';
import type { RuleSchema, ValueKind } from '@crm/rules';
import type { PublishedMetadata } from '../metadata/cache.js';
import { pinyinSources } from './search-pinyin.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

export interface PipelineModel {
  id: string;
  field: string;
  stages: { key: string; outcome?: 'won' | 'lost'; gate?: { requiredFields?: string[]; rule?: Record<string, unknown> } }[];
  transitions: 'any' | 'forward-one-or-any-outcome' | { from: string; to: string[] }[];
}

export interface RoleModel {
  key: string;
  permissions: Record<string, { create: boolean; read: Scope; update: Scope; delete: Scope }>;
  pool: string[];
}
export type Scope = 'none' | 'own' | 'team' | 'teamTree' | 'all';

/** A rollup on a parent that a write to this (child) entity must refresh. */
export interface RollupTarget {
  parent: string;
  parentField: Field;
  via: string;
}

/**
 * What the records service needs to know about one entity of a published
 * revision, derived once per revision: live fields, writable ones, a wire
 * validator per field, the rule schema, pipelines, formulas and rollups.
 */
export interface EntityModel {
  entity: Entity;
  table: string;
  fields: Map<string, Field>;
  archived: Set<string>;
  writable: Set<string>;
  validators: Map<string, ValidateFunction>;
  ruleSchema: RuleSchema;
  pipelines: PipelineModel[];
  formulas: Field[];
  rollups: Field[];
  rollupTargets: RollupTarget[];
  autonumbers: Field[];
  searchable: string[];
  /** Fields feeding the `search_pinyin` system column (see search-pinyin.ts); empty: no such column. */
  pinyin: string[];
  kinds: Map<string, ValueKind>;
}

export interface WorkspaceModel {
  revision: number;
  entities: Map<string, EntityModel>;
  roles: Map<string, RoleModel>;
}

const models = new WeakMap<PublishedMetadata, WorkspaceModel>();

export function workspaceModel(meta: PublishedMetadata): WorkspaceModel {
  let m = models.get(meta);
  if (!m) {
    m = build(meta);
    models.set(meta, m);
  }
  return m;
}

function build(meta: PublishedMetadata): WorkspaceModel {
  const docs = (kind: string) => meta.documents.filter((d) => d.kind === kind).map((d) => d.body as Record<string, any>);
  const entities = new Map<string, EntityModel>();
  const pipelines = docs('pipeline') as (PipelineModel & { entity: string })[];
  for (const e of docs('entity') as Entity[]) {
    if (e.archived) continue;
    const live = e.fields.filter((f) => !f.archived);
    const fields = new Map(live.map((f) => [f.key, f]));
    const validators = new Map<string, ValidateFunction>();
    const kinds = new Map<string, ValueKind>();
    for (const f of live) {
      const def = fieldTypes[f.type as FieldType];
      validators.set(f.key, ajv.compile(def.wireSchema(f)));
      const k = def.valueKind(f);
      if (k) kinds.set(f.key, k);
    }
    entities.set(e.key, {
      entity: e,
      table: e.key,
      fields,
      archived: new Set(e.fields.filter((f) => f.archived).map((f) => f.key)),
      writable: new Set(live.filter((f) => !fieldTypes[f.type as FieldType].computed).map((f) => f.key)),
      validators,
      ruleSchema: ruleSchemaFor(e),
      pipelines: pipelines.filter((p) => p.entity === e.key),
      formulas: live.filter((f) => f.type === 'formula'),
      rollups: live.filter((f) => f.type === 'rollup'),
      rollupTargets: [],
      autonumbers: live.filter((f) => f.type === 'autonumber'),
      searchable: live.filter((f) => f.searchable && fieldTypes[f.type as FieldType].supports.searchable).flatMap((f) =>
        f.type === 'address' ? ADDRESS_PARTS.map((p) => `${f.key}_${p}`) : [f.key]),
      pinyin: pinyinSources(live),
      kinds,
    });
  }
  for (const parent of entities.values()) {
    for (const r of parent.rollups) {
      entities.get(String(r.child))?.rollupTargets.push({ parent: parent.table, parentField: r, via: String(r.via) });
    }
  }
  const roles = new Map<string, RoleModel>(
    docs('role').map((r) => [r.key, { key: r.key, permissions: r.permissions ?? {}, pool: r.pool ?? [] }]),
  );
  return { revision: meta.revision, entities, roles };
}

/** Physical columns of the fields a record exposes (address expands to its parts; lookups are not stored). */
export function columnsOf(model: EntityModel, keys: Iterable<string>): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const f = model.fields.get(k);
    if (!f) continue;
    for (const c of fieldTypes[f.type as FieldType].columns(f)) out.push(c.name);
  }
  return out;
}

export const SYSTEM_READ = ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'version', 'deleted_at'] as const;

export function systemColumns(model: EntityModel): string[] {
  const cols: string[] = [...SYSTEM_READ];
  if (model.entity.ownership === 'owned') cols.push('owner_id');
  if (model.entity.hasActivities) cols.push('last_activity_at');
  return cols;
}
