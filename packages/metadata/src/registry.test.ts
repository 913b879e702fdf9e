import { describe, expect, it } from 'vitest';
import { fieldTypes } from './field-types/registry.js';
import { FIELD_TYPES } from './field-types/field-type.js';
import { migrateDocument, DocumentVersionError, type MigrationStep } from './migrations.js';
import { CURRENT_VERSION, type DocumentKind } from './schemas/documents.js';
import { compiled } from './validate/structural.js';

const f = (type: string, extra: Record<string, unknown> = {}) => ({ id: 'fld_x', key: 'x', type: type as never, ...extra });

describe('field-type registry', () => {
  it('maps every type to the storage of CONVENTIONS.md §2', () => {
    const columns = Object.fromEntries(
      FIELD_TYPES.map((t) => [t, fieldTypes[t].columns(f(t, { target: 'accounts', resultType: 'decimal', options: [{ id: 'o', key: 'a' }] })).map((c) => c.sqlType).join(' ')]),
    );
    expect(columns).toEqual({
      text: 'text', textarea: 'text', email: 'text', url: 'text', richtext: 'text', phone: 'text',
      integer: 'bigint', decimal: 'numeric(18,4)', currency: 'numeric(18,2)', percent: 'numeric(5,2)', boolean: 'boolean',
      date: 'date', datetime: 'timestamptz', select: 'text', multiselect: 'text[]', relation: 'uuid', user: 'uuid',
      address: 'text text text text', file: 'jsonb', autonumber: 'text', formula: 'numeric(18,2)', lookup: '', rollup: 'numeric(18,2)',
    });
    expect(fieldTypes.address.columns(f('address')).map((c) => c.name)).toEqual(['x_province', 'x_city', 'x_district', 'x_detail']);
    expect(fieldTypes.relation.columns(f('relation', { target: 'accounts' }))[0]!.references).toEqual({ kind: 'entity', entity: 'accounts' });
    expect(fieldTypes.user.columns(f('user'))[0]!.references).toEqual({ kind: 'users' });
    expect(fieldTypes.decimal.columns(f('decimal', { precision: 12, scale: 3 }))[0]!.sqlType).toBe('numeric(12,3)');
  });

  it('describes the wire format: decimals are strings with the field scale', () => {
    const wire = compiled(fieldTypes.currency.wireSchema(f('currency', { scale: 2 })));
    expect(wire('12000.50')).toBe(true);
    expect(wire(null)).toBe(true);
    expect(wire(12000.5)).toBe(false);
    expect(wire('12000.505')).toBe(false);
    const select = compiled(fieldTypes.select.wireSchema(f('select', { options: [{ id: 'o1', key: 'won' }, { id: 'o2', key: 'lost' }] })));
    expect(select('won')).toBe(true);
    expect(select('Won')).toBe(false);
    const date = compiled(fieldTypes.date.wireSchema(f('date')));
    expect(date('2026-11-22')).toBe(true);
    expect(date('2026-02-30')).toBe(false);
  });

  it('gives the condition language a kind for every filterable type', () => {
    expect(fieldTypes.multiselect.valueKind(f('multiselect'))).toBe('textArray');
    expect(fieldTypes.percent.valueKind(f('percent'))).toBe('decimal');
    expect(fieldTypes.file.valueKind(f('file'))).toBeNull();
    expect(fieldTypes.formula.valueKind(f('formula', { resultType: 'date' }))).toBe('date');
  });
});

describe('document migrations', () => {
  const kinds = Object.keys(CURRENT_VERSION) as DocumentKind[];
  const steps = Object.fromEntries(kinds.map((k) => [k, {}])) as Record<DocumentKind, Record<number, MigrationStep>>;
  // A pretend version 2 of views that renamed `columns` to `fields`.
  steps.view[1] = (b) => {
    const { columns, ...rest } = b;
    return { ...rest, fields: columns };
  };
  const current = { ...CURRENT_VERSION, view: 2 };

  it('upgrades an old document step by step', () => {
    const old = { id: 'vw_a', schemaVersion: 1, columns: ['name'] };
    expect(migrateDocument('view', old, steps, current)).toEqual({ id: 'vw_a', schemaVersion: 2, fields: ['name'] });
    expect(old).toEqual({ id: 'vw_a', schemaVersion: 1, columns: ['name'] });
  });

  it('leaves a current document alone and refuses one from the future', () => {
    const doc = { id: 'ent_a', schemaVersion: 1 };
    expect(migrateDocument('entity', doc)).toBe(doc);
    expect(() => migrateDocument('entity', { schemaVersion: 7 })).toThrow(DocumentVersionError);
    expect(() => migrateDocument('entity', { schemaVersion: 'one' })).toThrow(DocumentVersionError);
  });
});
