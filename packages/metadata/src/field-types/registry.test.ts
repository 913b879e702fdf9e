import { describe, expect, it } from 'vitest';
import { fieldTypes, isFieldType } from './registry.js';
import { FIELD_TYPES, type FieldLike, type FieldType } from './field-type.js';
import { compiled } from '../validate/structural.js';

const f = (type: FieldType, extra: Record<string, unknown> = {}): FieldLike => ({ id: 'fld_x', key: 'x', type, ...extra });

/** The minimal settings each type needs to describe its storage. */
const SETTINGS: Partial<Record<FieldType, Record<string, unknown>>> = {
  select: { options: [{ id: 'opt_won', key: 'won' }, { id: 'opt_lost', key: 'lost' }] },
  multiselect: { options: [{ id: 'opt_hot', key: 'hot' }, { id: 'opt_gov', key: 'government' }] },
  relation: { target: 'accounts', onDelete: 'restrict' },
  formula: { resultType: 'decimal', expression: { '+': [1, 2] } },
  rollup: { resultType: 'integer', child: 'quote_lines', via: 'quote', aggregate: 'count' },
  lookup: { through: 'account', field: 'level' },
  autonumber: { pattern: 'CT-{YYYY}-{0000}' },
};
const sample = (t: FieldType) => f(t, SETTINGS[t]);

describe('field-type registry', () => {
  it('has one definition per type, registered under its own name', () => {
    expect(Object.keys(fieldTypes).sort()).toEqual([...FIELD_TYPES].sort());
    for (const t of FIELD_TYPES) {
      expect(fieldTypes[t].type).toBe(t);
      expect(fieldTypes[t].label['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(fieldTypes[t].label.en).toMatch(/^[A-Z]/);
    }
    expect(isFieldType('select')).toBe(true);
    expect(isFieldType('hologram')).toBe(false);
    expect(isFieldType('toString')).toBe(false);
  });

  it('stores every type as CONVENTIONS.md §2 says', () => {
    const columns = Object.fromEntries(FIELD_TYPES.map((t) => [t, fieldTypes[t].columns(sample(t)).map((c) => `${c.name}:${c.sqlType}`)]));
    expect(columns).toEqual({
      text: ['x:text'], textarea: ['x:text'], email: ['x:text'], url: ['x:text'], richtext: ['x:text'], phone: ['x:text'],
      integer: ['x:bigint'], decimal: ['x:numeric(18,4)'], currency: ['x:numeric(18,2)'], percent: ['x:numeric(5,2)'],
      boolean: ['x:boolean'], date: ['x:date'], datetime: ['x:timestamptz'],
      select: ['x:text'], multiselect: ['x:text[]'], relation: ['x:uuid'], user: ['x:uuid'],
      address: ['x_province:text', 'x_city:text', 'x_district:text', 'x_detail:text'],
      file: ['x:jsonb'], autonumber: ['x:text'], formula: ['x:numeric(18,2)'], lookup: [], rollup: ['x:bigint'],
    });
  });

  it('references the target entity or the users table', () => {
    expect(fieldTypes.relation.columns(sample('relation'))[0]!.references).toEqual({ kind: 'entity', entity: 'accounts' });
    expect(fieldTypes.user.columns(sample('user'))[0]!.references).toEqual({ kind: 'users' });
    for (const t of FIELD_TYPES.filter((x) => x !== 'relation' && x !== 'user')) {
      expect(fieldTypes[t].columns(sample(t)).every((c) => c.references === undefined), t).toBe(true);
    }
  });

  it('sizes numbers from the field settings', () => {
    expect(fieldTypes.decimal.columns(f('decimal', { precision: 12, scale: 3 }))[0]!.sqlType).toBe('numeric(12,3)');
    expect(fieldTypes.currency.columns(f('currency', { scale: 4 }))[0]!.sqlType).toBe('numeric(18,4)');
    expect(fieldTypes.percent.columns(f('percent', { scale: 1 }))[0]!.sqlType).toBe('numeric(4,1)');
  });

  it('stores formulas and rollups in a column of their result type', () => {
    const col = (t: 'formula' | 'rollup', extra: Record<string, unknown>) => fieldTypes[t].columns(f(t, extra))[0]!.sqlType;
    expect(col('formula', { resultType: 'text' })).toBe('text');
    expect(col('formula', { resultType: 'integer' })).toBe('bigint');
    expect(col('formula', { resultType: 'decimal', scale: 4 })).toBe('numeric(18,4)');
    expect(col('formula', { resultType: 'date' })).toBe('date');
    expect(col('formula', { resultType: 'boolean' })).toBe('boolean');
    expect(col('rollup', { resultType: 'decimal' })).toBe('numeric(18,2)');
    expect(col('rollup', { resultType: 'date' })).toBe('date');
  });

  it('gives the condition language a kind for every filterable type, and none for the others', () => {
    const kinds = Object.fromEntries(FIELD_TYPES.map((t) => [t, fieldTypes[t].valueKind(sample(t))]));
    expect(kinds).toEqual({
      text: 'text', textarea: 'text', email: 'text', url: 'text', richtext: null, phone: 'text',
      integer: 'integer', decimal: 'decimal', currency: 'decimal', percent: 'decimal', boolean: 'boolean', date: 'date', datetime: 'datetime',
      select: 'text', multiselect: 'textArray', relation: 'uuid', user: 'uuid', address: null, file: null,
      autonumber: 'text', formula: 'decimal', lookup: null, rollup: 'integer',
    });
    expect(fieldTypes.formula.valueKind(f('formula', { resultType: 'date' }))).toBe('date');
  });

  it('offers only operators that make sense for the type', () => {
    for (const t of FIELD_TYPES) {
      const ops = fieldTypes[t].operators;
      if (fieldTypes[t].valueKind(sample(t)) === null) expect(ops.filter((o) => o !== 'isEmpty'), t).toEqual([]);
    }
    expect(fieldTypes.select.operators).not.toContain('<');
    expect(fieldTypes.multiselect.operators).toContain('contains');
    expect(fieldTypes.date.operators).toContain('<');
    expect(fieldTypes.text.operators).toContain('startsWith');
    expect(fieldTypes.relation.operators).not.toContain('startsWith');
  });

  it('marks computed types, which clients never write', () => {
    expect(FIELD_TYPES.filter((t) => fieldTypes[t].computed)).toEqual(['autonumber', 'formula', 'lookup', 'rollup']);
  });

  it('sorts only by one column of an ordered kind', () => {
    for (const t of FIELD_TYPES) {
      if (fieldTypes[t].sortable) {
        expect(fieldTypes[t].columns(sample(t)), t).toHaveLength(1);
        expect(['textArray', 'uuid', null], t).not.toContain(fieldTypes[t].valueKind(sample(t)));
      }
    }
  });
});

describe('wire formats (CONVENTIONS.md §2)', () => {
  const accepts = (t: FieldType, extra: Record<string, unknown> = {}) => compiled(fieldTypes[t].wireSchema(f(t, { ...SETTINGS[t], ...extra })));

  it.each([
    ['text', 'hello', 42], ['email', 'a@example.com', 'not an email'], ['url', 'https://example.com/x', 'javascript:alert(1)'],
    ['integer', 42, 4.5], ['decimal', '3.1416', 3.1416], ['currency', '12000.50', '12000.505'], ['percent', '100.00', '1000.00'],
    ['boolean', true, 'true'], ['date', '2026-11-22', '2026-02-30'], ['datetime', '2026-11-22T08:30:00Z', '2026-11-22 08:30'],
    ['select', 'won', 'Won'], ['multiselect', ['hot', 'government'], ['hot', 'hot']], ['relation', '0190a1b2-0000-7000-8000-000000000001', 'acc-1'],
    ['user', '0190a1b2-0000-7000-8000-000000000001', 12], ['address', { province: '广东省', city: '深圳市', district: '南山区', detail: '科技园' }, { street: 'x' }],
    ['file', [{ id: '0190a1b2-0000-7000-8000-000000000001', name: '合同.pdf', size: 1024, mime: 'application/pdf' }], [{ name: 'x' }]],
  ] as [FieldType, unknown, unknown][])('%s takes %j and refuses %j', (type, good, bad) => {
    const check = accepts(type);
    expect(check(good)).toBe(true);
    expect(check(bad)).toBe(false);
    expect(check(null)).toBe(true);
  });

  it('keeps decimals within the column: scale and integer digits', () => {
    expect(accepts('currency')('1234567890123456.78')).toBe(true);
    expect(accepts('currency')('12345678901234567.00')).toBe(false);
    expect(accepts('decimal', { precision: 6, scale: 0 })('123456')).toBe(true);
    expect(accepts('decimal', { precision: 6, scale: 0 })('1.5')).toBe(false);
    expect(accepts('formula', { resultType: 'decimal' })('10.25')).toBe(true);
    expect(accepts('formula', { resultType: 'date' })('2026-11-22')).toBe(true);
  });

  it('honours text lengths and integer bounds', () => {
    expect(accepts('text')('x'.repeat(255))).toBe(true);
    expect(accepts('text')('x'.repeat(256))).toBe(false);
    expect(accepts('text', { maxLength: 10 })('x'.repeat(11))).toBe(false);
    expect(accepts('integer', { min: 1 })(0)).toBe(false);
    expect(accepts('integer')(2 ** 60)).toBe(false);
  });
});
