import { useEffect, useState } from 'react';

/** Designer routes under /designer (the server answers index.html for every path below it). */
export type Route =
  | { page: 'entity'; entityId: string; tab: EntityTab }
  | { page: 'history' }
  | { page: 'admin'; section: AdminSection }
  | { page: 'home' };
export const ENTITY_TABS = ['fields', 'rules', 'form', 'views', 'pipeline', 'preview'] as const;
export type EntityTab = (typeof ENTITY_TABS)[number];
export const ADMIN_SECTIONS = ['members', 'teams', 'roles', 'settings'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

const BASE = '/designer';

export function parseRoute(pathname: string): Route {
  const parts = pathname.replace(/^\/designer\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'entities' && parts[1]) {
    const tab = (ENTITY_TABS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as EntityTab) : 'fields';
    return { page: 'entity', entityId: parts[1], tab };
  }
  if (parts[0] === 'history') return { page: 'history' };
  if (parts[0] === 'admin') return { page: 'admin', section: (ADMIN_SECTIONS as readonly string[]).includes(parts[1] ?? '') ? (parts[1] as AdminSection) : 'members' };
  return { page: 'home' };
}

export function routePath(r: Route): string {
  if (r.page === 'entity') return `${BASE}/entities/${encodeURIComponent(r.entityId)}/${r.tab}`;
  if (r.page === 'history') return `${BASE}/history`;
  if (r.page === 'admin') return `${BASE}/admin/${r.section}`;
  return `${BASE}/`;
}

export function navigate(r: Route) {
  const path = routePath(r);
  if (path !== location.pathname) history.pushState(null, '', path);
  window.dispatchEvent(new Event('designer:navigate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', on);
    window.addEventListener('designer:navigate', on);
    return () => { window.removeEventListener('popstate', on); window.removeEventListener('designer:navigate', on); };
  }, []);
  return route;
}
