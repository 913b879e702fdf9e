import type { Label } from './schemas/common.js';

/** A label in the wanted language, falling back to the other one. */
export function labelText(label: Label | undefined, lang: 'zh-CN' | 'en'): string {
  if (!label) return '';
  return (lang === 'en' ? label.en ?? label['zh-CN'] : label['zh-CN'] ?? label.en) ?? '';
}
