import { CURRENT_VERSION, isDocumentKind, type DocumentKind } from './schemas/documents.js';

/**
 * Document migrations, tldraw-style: each step takes a body at version n to
 * n + 1 and is kept forever, so a body stored years ago (or shipped in an old
 * template) is brought to the current version on read. A body from a newer
 * version than this code knows is refused, never guessed at.
 *
 * To change a kind's shape: bump CURRENT_VERSION[kind] to n + 1, add
 * `documentMigrations[kind][n]`, and keep a fixture of a version-n document
 * in the tests that must still migrate and validate.
 */
export type MigrationStep = (body: Record<string, unknown>) => Record<string, unknown>;
export type MigrationRegistry = Readonly<Record<DocumentKind, Readonly<Record<number, MigrationStep>>>>;

/** Steps by kind, keyed by the version they upgrade from. Version 1 is the first: no steps yet. */
export const documentMigrations: MigrationRegistry = {
  entity: {},
  layout: {},
  view: {},
  pipeline: {},
  role: {},
  flow: {},
  manifest: {},
};

/** Why a document cannot be brought to the current version; `reason` is for logs, the fields for messages. */
export class DocumentVersionError extends Error {
  override readonly name = 'DocumentVersionError';
  constructor(
    readonly reason: 'unknown-kind' | 'not-an-integer' | 'newer' | 'missing-step',
    readonly kind: string,
    readonly version: unknown,
    readonly current: number | undefined,
  ) {
    super(
      reason === 'unknown-kind' ? `unknown document kind ${kind}`
        : reason === 'not-an-integer' ? `schemaVersion must be a positive integer, got ${JSON.stringify(version)}`
          : reason === 'newer' ? `schemaVersion ${String(version)} is newer than this server knows (${current})`
            : `no migration for ${kind} from version ${String(version)}`,
    );
  }
}

/**
 * Upgrades a document body from its schemaVersion to the current one, step by
 * step; returns the same object when it is already current, a new one
 * otherwise (the input is never changed). A body without schemaVersion is
 * returned as it is: structural validation reports it. Throws
 * DocumentVersionError for a version it cannot handle.
 *
 *   migrateDocument('view', { id: 'vw_a', schemaVersion: 1, ... }) -> the body at CURRENT_VERSION.view
 */
export function migrateDocument(
  kind: DocumentKind,
  body: Record<string, unknown>,
  steps: MigrationRegistry = documentMigrations,
  current: Readonly<Record<DocumentKind, number>> = CURRENT_VERSION,
): Record<string, unknown> {
  if (!isDocumentKind(kind)) throw new DocumentVersionError('unknown-kind', String(kind), body?.schemaVersion, undefined);
  const from = body.schemaVersion;
  const target = current[kind];
  if (from === undefined) return body;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) throw new DocumentVersionError('not-an-integer', kind, from, target);
  if (from > target) throw new DocumentVersionError('newer', kind, from, target);
  let out = body;
  for (let v = from; v < target; v++) {
    const step = steps[kind][v];
    if (!step) throw new DocumentVersionError('missing-step', kind, v, target);
    out = { ...step(structuredClone(out)), schemaVersion: v + 1 };
  }
  return out;
}
