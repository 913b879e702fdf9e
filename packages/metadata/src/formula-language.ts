import { ptr, type IssueSink } from './validate/issue.js';

/**
 * Formulas are data: json-logic-shaped arithmetic, text and conditionals over
 * the record's own fields. Only these operators exist; nothing is evaluated
 * as code. (The records service computes them on write.)
 */
export const FORMULA_OPERATORS = new Set([
  'var', '+', '-', '*', '/', 'round', 'abs', 'min', 'max', 'concat', 'if', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', '!', 'isEmpty',
]);

export function checkFormula(expr: unknown, fieldKeys: ReadonlySet<string>, at: string, report: IssueSink, depth = 0): void {
  if (depth > 20) return report(at, 'META_FORMULA_TOO_DEEP');
  if (expr === null || ['string', 'number', 'boolean'].includes(typeof expr)) return;
  if (Array.isArray(expr)) return expr.forEach((e, i) => checkFormula(e, fieldKeys, `${at}/${i}`, report, depth + 1));
  if (typeof expr !== 'object') return report(at, 'META_INVALID', { reason: 'formula' });
  const keys = Object.keys(expr);
  if (keys.length !== 1) return report(at, 'META_INVALID', { reason: 'one operator per node' });
  const op = keys[0]!;
  if (!FORMULA_OPERATORS.has(op)) return report(`${at}${ptr(op)}`, 'META_FORMULA_OPERATOR', { op });
  const arg = (expr as Record<string, unknown>)[op];
  if (op === 'var') {
    const name = Array.isArray(arg) ? arg[0] : arg;
    if (typeof name !== 'string' || !fieldKeys.has(name)) report(`${at}/var`, 'META_UNKNOWN_FIELD', { entity: '', field: String(name) });
    return;
  }
  checkFormula(arg, fieldKeys, `${at}${ptr(op)}`, report, depth + 1);
}
