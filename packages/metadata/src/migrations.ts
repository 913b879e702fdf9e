import { CURRENT_VERSION, type DocumentKind } from './schemas/documents.js';

/**
 * Document migrations: each step takes a body at version n to n + 1. A body
 * stored years ago is brought to the current version on read; a body from a
 * newer version than this code knows is refused, never guessed at.
 */
export type MigrationStep = (body: Record<string, unknown>) => Record<string, unknown>;

export const documentMigrations: Record<DocumentKind, Record<number, MigrationStep>> = {
  entity: {},
  layout: {},
  view: {},
  pipeline: {},
  role: {},
  manifest: {},
};

export class DocumentVersionError extends Error {}

export function migrateDocument(
  kind: DocumentKind,
  body: Record<string, unknown>,
  steps: Record<DocumentKind, Record<number, MigrationStep>> = documentMigrations,
  current: Record<DocumentKind, number> = CURRENT_VERSION,
): Record<string, unknown> {
  const from = body.schemaVersion;
  const target = current[kind];
  if (from === undefined) return body; // structural validation reports the missing version
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) throw new DocumentVersionError(`schemaVersion must be a positive integer`);
  if (from > target) throw new DocumentVersionError(`schemaVersion ${from} is newer than this server knows (${target})`);
  let out = body;
  for (let v = from; v < target; v++) {
    const step = steps[kind][v];
    if (!step) throw new DocumentVersionError(`no migration for ${kind} from version ${v}`);
    out = { ...step(structuredClone(out)), schemaVersion: v + 1 };
  }
  return out;
}
