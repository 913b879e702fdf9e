import type { ValueKind } from '@crm/rules';
import { fieldTypes, isFieldType } from './field-types/registry.js';
import type { FormulaType, FormulaVar } from './formula-language.js';

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

const FORMULA_TYPES: Partial<Record<ValueKind, FormulaType>> = {
  text: 'text', integer: 'number', decimal: 'number', boolean: 'boolean', date: 'date', datetime: 'datetime', uuid: 'uuid',
};

/**
 * What a formula on these fields may read: each stored single-column field's
 * formula type; archived and multi-column fields are named so the message can
 * say why (the designer's formula editor checks with the same map).
 */
export function formulaVars(fields: readonly unknown[], bad: ReadonlySet<unknown> = new Set()): Map<string, FormulaVar> {
  const vars = new Map<string, FormulaVar>();
  for (const f of fields) {
    if (!isObject(f) || typeof f.key !== 'string' || vars.has(f.key)) continue;
    if (bad.has(f) || !isFieldType(f.type)) vars.set(f.key, { type: 'any' });
    else if (f.archived) vars.set(f.key, { archived: true });
    else {
      const def = fieldTypes[f.type];
      const kind = def.columns(f as never).length === 1 ? def.valueKind(f as never) : null;
      const type = kind ? FORMULA_TYPES[kind] : undefined;
      vars.set(f.key, type ? { type } : { unusable: f.type });
    }
  }
  return vars;
}
