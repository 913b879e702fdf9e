import { ruleMessages } from '@crm/rules';
import { issueMessage, metadataMessages, type Messages } from '../messages.js';
import { CURRENT_VERSION, isDocumentKind, type DocumentBodies, type DocumentKind, type MetadataDocument } from '../schemas/documents.js';
import type { Entity } from '../schemas/entity.js';
import type { Pipeline } from '../schemas/pipeline.js';
import { entityInfo, isObject, type Ctx, type EntityInfo } from './context.js';
import { checkEntity } from './entity.js';
import { checkFlow } from './flow.js';
import type { IssueSink, MetadataIssue, Sinks } from './issue.js';
import { checkLayout } from './layout.js';
import { checkManifest } from './manifest.js';
import { checkPipeline } from './pipeline.js';
import { checkRole } from './role.js';
import { documentValidator, structuralErrors } from './structural.js';
import { checkView } from './view.js';

export type { MetadataIssue } from './issue.js';

const catalogue: Readonly<Record<string, Messages>> = { ...ruleMessages, ...metadataMessages };

function sinkFor(issues: MetadataIssue[], kind: string, id: string, reference = false): IssueSink {
  return (pointer, code, params = {}) => {
    issues.push({ kind, id, pointer, code, params, message: issueMessage(catalogue, code, params), reference });
  };
}

interface Structure {
  /** The document's skeleton is valid: the checks across documents may read it. */
  sound: boolean;
  /** Entity fields that failed their type's schema (skipped by the checks that read settings). */
  badFields: Set<unknown>;
}

/** The structure of one body (JSON Schema of its kind, schemaVersion current); reports through the sink. */
function structure(kind: string, body: unknown, report: IssueSink): Structure {
  const badFields = new Set<unknown>();
  if (!isDocumentKind(kind)) {
    report('', 'META_UNKNOWN_KIND', { kind });
    return { sound: false, badFields };
  }
  if (!isObject(body)) {
    report('', 'META_NOT_OBJECT');
    return { sound: false, badFields };
  }
  let sound = true;
  for (const e of structuralErrors(documentValidator(kind), body)) {
    report(e.pointer, e.code, e.params);
    const field = kind === 'entity' ? /^\/fields\/(\d+)(\/|$)/.exec(e.pointer) : null;
    if (field && Array.isArray(body.fields)) badFields.add(body.fields[Number(field[1])]);
    else sound = false;
  }
  const v = body.schemaVersion;
  if (typeof v === 'number' && Number.isInteger(v) && v !== CURRENT_VERSION[kind]) {
    report('/schemaVersion', 'META_SCHEMA_VERSION', { reason: `schemaVersion ${v} ≠ ${CURRENT_VERSION[kind]}`, version: v, current: CURRENT_VERSION[kind] });
    sound = false;
  }
  return { sound, badFields };
}

/**
 * The structure of one document alone: its kind's JSON Schema (each field
 * against its own type's schema) and a current schemaVersion. No keys,
 * references or rules: `validate` checks those across the workspace.
 * Never throws, never mutates.
 */
export function validateDocument(kind: string, body: unknown, id = ''): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  try {
    structure(kind, body, sinkFor(issues, kind, id));
  } catch (err) {
    sinkFor(issues, kind, id)('', 'META_CHECK_FAILED', { reason: String((err as Error)?.message ?? err) });
  }
  return issues;
}

type Checks = { [K in DocumentKind]: (body: DocumentBodies[K], sinks: Sinks, ctx: Ctx, info: EntityInfo | undefined) => void };

/** The checks of each kind across documents; a new kind without its checks does not compile. */
const checks: Checks = {
  entity: (body, sinks, ctx, info) => checkEntity(body, info!, sinks, ctx),
  layout: (body, sinks, ctx) => checkLayout(body, sinks, ctx),
  view: (body, sinks, ctx) => checkView(body, sinks, ctx),
  pipeline: (body, sinks, ctx) => checkPipeline(body, sinks, ctx),
  role: (body, sinks, ctx) => checkRole(body, sinks, ctx),
  flow: (body, sinks, ctx) => checkFlow(body, sinks, ctx),
  manifest: (body, sinks) => checkManifest(body, sinks),
};

/**
 * Every problem of a workspace draft, given as the array of its documents
 * `{kind, id, body}` (bodies already migrated to the current schemaVersion):
 * structure, document ids, keys (format, reserved words, system columns,
 * duplicates, physical column collisions), references between documents,
 * formulas, and every rule checked by @crm/rules against `ruleSchemaFor`
 * its entity. Issues come with a JSON pointer inside their document and a
 * zh-CN/en message. Never throws, never mutates.
 *
 *   validate([{ kind: 'entity', id: 'ent_a', body: { ...key: 'select' } }])
 *     -> [{ kind: 'entity', id: 'ent_a', pointer: '/key', code: 'META_KEY_RESERVED', ... }]
 */
export function validate(documents: readonly MetadataDocument[]): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  if (!Array.isArray(documents)) {
    sinkFor(issues, '', '')('', 'META_INVALID', { reason: 'documents must be an array of {kind, id, body}' });
    return issues;
  }

  // 1. Each document alone: identity and structure.
  const sound: { doc: MetadataDocument; badFields: Set<unknown> }[] = [];
  const broken: MetadataDocument[] = [];
  const seen = new Set<string>();
  for (const d of documents) {
    const kind = String(d?.kind);
    const id = String(d?.id);
    const report = sinkFor(issues, kind, id);
    try {
      if (seen.has(`${kind}\u0000${id}`)) {
        report('/id', 'META_DUPLICATE_DOCUMENT', { id });
        continue;
      }
      seen.add(`${kind}\u0000${id}`);
      const s = structure(kind, d?.body, report);
      if (isObject(d?.body) && typeof d.body.id === 'string' && d.body.id !== id) {
        report('/id', 'META_ID_MISMATCH', { id });
        s.sound = false;
      }
      if (s.sound) sound.push({ doc: d, badFields: s.badFields });
      else if (d && typeof d === 'object') broken.push(d);
    } catch (err) {
      report('', 'META_CHECK_FAILED', { reason: String((err as Error)?.message ?? err) });
    }
  }

  // 2. What the workspace holds, and its workspace-wide duplicates.
  const entities = new Map<string, EntityInfo>();
  const infoOf = new Map<MetadataDocument, EntityInfo>();
  const roles = new Map<string, string>();
  const pipelines = new Map<string, Pipeline>();
  const pipelineIds = new Set<string>();
  const pipelineOfField = new Map<string, string>();
  const flowIds = new Set<string>();
  for (const d of broken) {
    if (d.kind === 'flow') flowIds.add(d.id);
    if (d.kind === 'entity' && isObject(d.body) && typeof d.body.key === 'string' && !entities.has(d.body.key)) {
      entities.set(d.body.key, entityInfo(d.id, d.body as unknown as Entity, true, new Set()));
    }
    if (d.kind === 'pipeline') pipelineIds.add(d.id);
    if (d.kind === 'role' && isObject(d.body) && typeof d.body.key === 'string' && !roles.has(d.body.key)) roles.set(d.body.key, d.id);
  }
  for (const { doc: d, badFields } of sound) {
    const own = sinkFor(issues, d.kind, d.id);
    if (d.kind === 'flow') flowIds.add(d.id);
    if (d.kind === 'entity') {
      const body = d.body as unknown as Entity;
      const info = entityInfo(d.id, body, false, badFields);
      infoOf.set(d, info);
      const other = entities.get(body.key);
      if (other) own('/key', 'META_DUPLICATE_KEY', { key: body.key, other: other.id });
      else entities.set(body.key, info);
    } else if (d.kind === 'role') {
      const key = String(d.body.key);
      const other = roles.get(key);
      if (other) own('/key', 'META_DUPLICATE_KEY', { key, other });
      else roles.set(key, d.id);
    } else if (d.kind === 'pipeline') {
      const p = d.body as unknown as Pipeline;
      pipelines.set(d.id, p);
      pipelineIds.add(d.id);
      const other = pipelineOfField.get(`${p.entity}.${p.field}`);
      if (other) own('/field', 'META_DUPLICATE_PIPELINE', { field: p.field, other });
      else pipelineOfField.set(`${p.entity}.${p.field}`, d.id);
    }
  }
  const ctx: Ctx = { entities, roles, pipelines, pipelineIds, flowIds };

  // 3. The checks of each kind, across documents.
  for (const { doc: d } of sound) {
    const sinks = { own: sinkFor(issues, d.kind, d.id), ref: sinkFor(issues, d.kind, d.id, true) };
    try {
      (checks[d.kind] as (body: unknown, sinks: Sinks, ctx: Ctx, info: EntityInfo | undefined) => void)(d.body, sinks, ctx, infoOf.get(d));
    } catch (err) {
      sinks.own('', 'META_CHECK_FAILED', { reason: String((err as Error)?.message ?? err) });
    }
  }
  return issues;
}
