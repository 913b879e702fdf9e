export type Lang = 'zh-CN' | 'en';
export type Label = { 'zh-CN'?: string; en?: string } | undefined;

export const labelOf = (l: Label, lang: Lang): string => (lang === 'en' ? l?.en ?? l?.['zh-CN'] : l?.['zh-CN'] ?? l?.en) ?? '';
