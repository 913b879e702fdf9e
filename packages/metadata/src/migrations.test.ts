import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, DOCUMENT_KINDS, type DocumentKind } from './schemas/documents.js';
import { DocumentVersionError, documentMigrations, migrateDocument, type MigrationRegistry, type MigrationStep } from './migrations.js';
import { validate } from './validate/index.js';
import { smallCrm } from './fixtures.test-data.js';

/** A pretend future where views went to version 3: v1 -> v2 renamed `columns` to `fields`, v2 -> v3 added `density`. */
function futureViews(): { steps: MigrationRegistry; current: Record<DocumentKind, number> } {
  const view: Record<number, MigrationStep> = {
    1: ({ columns, ...rest }) => ({ ...rest, fields: columns }),
    2: (b) => ({ ...b, density: 'comfortable' }),
  };
  return { steps: { ...documentMigrations, view }, current: { ...CURRENT_VERSION, view: 3 } };
}

describe('document migrations', () => {
  it('has a registry entry and a current version for every kind', () => {
    expect(Object.keys(documentMigrations).sort()).toEqual([...DOCUMENT_KINDS].sort());
    for (const k of DOCUMENT_KINDS) expect(CURRENT_VERSION[k]).toBeGreaterThanOrEqual(1);
  });

  it('upgrades an old document step by step, without touching the input', () => {
    const { steps, current } = futureViews();
    const old = { id: 'vw_a', schemaVersion: 1, columns: ['name'] };
    const frozen = Object.freeze({ ...old, columns: Object.freeze([...old.columns]) });
    expect(migrateDocument('view', frozen, steps, current)).toEqual({ id: 'vw_a', schemaVersion: 3, fields: ['name'], density: 'comfortable' });
    expect(migrateDocument('view', { id: 'vw_a', schemaVersion: 2, fields: ['name'] }, steps, current)).toEqual({ id: 'vw_a', schemaVersion: 3, fields: ['name'], density: 'comfortable' });
    expect(frozen).toEqual(old);
  });

  it('leaves a current document as it is', () => {
    const d = { id: 'ent_a', schemaVersion: 1 };
    expect(migrateDocument('entity', d)).toBe(d);
    const noVersion = { id: 'ent_a' };
    expect(migrateDocument('entity', noVersion)).toBe(noVersion);
  });

  it('refuses versions from the future, malformed versions, missing steps and unknown kinds', () => {
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DocumentVersionError);
        return (e as DocumentVersionError).reason;
      }
      throw new Error('did not throw');
    };
    expect(fail(() => migrateDocument('entity', { schemaVersion: 7 }))).toBe('newer');
    expect(fail(() => migrateDocument('entity', { schemaVersion: 'one' }))).toBe('not-an-integer');
    expect(fail(() => migrateDocument('entity', { schemaVersion: 0 }))).toBe('not-an-integer');
    expect(fail(() => migrateDocument('entity', { schemaVersion: 1.5 }))).toBe('not-an-integer');
    expect(fail(() => migrateDocument('view', { schemaVersion: 1 }, documentMigrations, { ...CURRENT_VERSION, view: 2 }))).toBe('missing-step');
    expect(fail(() => migrateDocument('widget' as DocumentKind, { schemaVersion: 1 }))).toBe('unknown-kind');
    const e = new DocumentVersionError('newer', 'entity', 7, 1);
    expect(e.message).toBe('schemaVersion 7 is newer than this server knows (1)');
  });

  it('keeps the version-1 documents of the fixture valid after migration (old fixtures stay forever)', () => {
    const migrated = smallCrm().map((d) => ({ ...d, body: migrateDocument(d.kind, d.body) }));
    expect(validate(migrated)).toEqual([]);
  });
});
