import type { Lang } from '@crm/ui';

/** Both languages side by side at the call site: `tr(lang, '字段', 'Fields')`. */
export const tr = (lang: Lang, zh: string, en: string): string => (lang === 'en' ? en : zh);

/** zh-CN unless the user chose English (the same setting as the runtime's). */
export const initialLang = (): Lang => (localStorage.getItem('crm.lang') === 'en' ? 'en' : 'zh-CN');
