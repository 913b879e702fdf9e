import type { OptionBody } from '../model.js';
import { newId, proposeKey } from './keys.js';

export function addOption(options: readonly OptionBody[], lang: 'zh-CN' | 'en'): OptionBody[] {
  const n = options.length + 1;
  const taken = new Set(options.map((o) => o.key));
  let i = n;
  while (taken.has(`option_${i}`)) i++;
  return [...options, { id: newId('opt'), key: `option_${i}`, label: lang === 'en' ? { en: `Option ${i}` } : { 'zh-CN': `选项${i}` }, active: true }];
}

export function moveOption(options: readonly OptionBody[], fromId: string, toId: string): OptionBody[] {
  const from = options.findIndex((o) => o.id === fromId);
  const to = options.findIndex((o) => o.id === toId);
  if (from < 0 || to < 0 || from === to) return [...options];
  const next = [...options];
  const [o] = next.splice(from, 1);
  next.splice(to, 0, o!);
  return next;
}

/** A published option is deactivated (records keep its key); a draft-only one is removed. */
export function removeOption(options: readonly OptionBody[], id: string, published: boolean): OptionBody[] {
  return published ? options.map((o) => (o.id === id ? { ...o, active: false } : o)) : options.filter((o) => o.id !== id);
}

/** The key an unpublished option gets from its label (pinyin for Chinese). */
export const optionKeyFor = (label: string, o: OptionBody): string => (label.trim() ? proposeKey(label, o.id) : o.key);
