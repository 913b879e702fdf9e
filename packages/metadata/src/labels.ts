import type { Label } from './schemas/common.js';

/**
 * A label in the wanted language, falling back to the other one (CONVENTIONS.md §1).
 *
 *   labelText({ 'zh-CN': '商机' }, 'en') -> '商机'
 */
export function labelText(label: Partial<Label> | undefined | null, lang: 'zh-CN' | 'en'): string {
  if (!label) return '';
  const first = lang === 'en' ? label.en : label['zh-CN'];
  const other = lang === 'en' ? label['zh-CN'] : label.en;
  return first || other || '';
}
