import { createApi, type Lang } from '@crm/ui';

/** The UI language: the user's choice (the menu switches it), else zh-CN. */
export function lang(): Lang {
  return localStorage.getItem('crm.lang') === 'en' ? 'en' : 'zh-CN';
}

export const api = createApi(lang);

export function go(path: string) {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}
