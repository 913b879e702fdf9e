import { describe, expect, it } from 'vitest';
import { isFieldOf, type Field, type FieldOf, type TypedField } from './entity.js';
import { doc, smallCrm } from '../fixtures.test-data.js';

describe('field types in TypeScript', () => {
  it('narrows a field to its type and its settings', () => {
    const fields = doc(smallCrm(), 'ent_opportunity').fields as Field[];
    const stage = fields.find((f) => f.key === 'stage')!;
    expect(isFieldOf(stage, 'select')).toBe(true);
    expect(isFieldOf(stage, 'relation')).toBe(false);
    if (isFieldOf(stage, 'select')) {
      const keys: string[] = stage.options.map((o) => o.key); // typed: options of FieldOf<'select'>
      expect(keys).toContain('won');
    }
    const typed = fields as unknown as TypedField[];
    const targets = typed.flatMap((f) => (f.type === 'relation' ? [f.target] : []));
    expect(targets).toEqual(['accounts']);
    const rollup: FieldOf<'rollup'> = { id: 'fld_r', key: 'total', type: 'rollup', label: { en: 'Total' }, child: 'lines', via: 'quote', aggregate: 'sum', field: 'amount', resultType: 'decimal' };
    expect(rollup.aggregate).toBe('sum');
  });
});
