import { useEffect, useState } from 'react';

/** Designer routes under /designer (the server answers index.html for every path below it). */
export type Route =
  | { page: 'entity'; entityId: string; tab: EntityTab }
  | { page: 'history' }
  | { page: 'admin'; section: AdminSection }
  | { page: 'flows' }
  | { page: 'flow'; flowId: string; tab: FlowTab }
  | { page: 'failedRuns' }
  | { page: 'home' };
export const ENTITY_TABS = ['fields', 'rules', 'form', 'views', 'pipeline', 'preview'] as const;
export type EntityTab = (typeof ENTITY_TABS)[number];
export const ADMIN_SECTIONS = ['members', 'teams', 'roles', 'settings', 'outbox'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];
export const FLOW_TABS = ['design', 'runs', 'dryrun'] as const;
export type FlowTab = (typeof FLOW_TABS)[number];

const BASE = '/designer';

export function parseRoute(pathname: string): Route {
  const parts = pathname.replace(/^\/designer\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'entities' && parts[1]) {
    const tab = (ENTITY_TABS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as EntityTab) : 'fields';
    return { page: 'entity', entityId: parts[1], tab };
  }
  if (parts[0] === 'history') return { page: 'history' };
  if (parts[0] === 'flows' && parts[1]) {
    return { page: 'flow', flowId: parts[1], tab: (FLOW_TABS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as FlowTab) : 'design' };
  }
  if (parts[0] === 'flows') return { page: 'flows' };
  if (parts[0] === 'runs' && parts[1] === 'failed') return { page: 'failedRuns' };
  if (parts[0] === 'admin') return { page: 'admin', section: (ADMIN_SECTIONS as readonly string[]).includes(parts[1] ?? '') ? (parts[1] as AdminSection) : 'members' };
  return { page: 'home' };
}

export function routePath(r: Route): string {
  if (r.page === 'entity') return `${BASE}/entities/${encodeURIComponent(r.entityId)}/${r.tab}`;
  if (r.page === 'history') return `${BASE}/history`;
  if (r.page === 'admin') return `${BASE}/admin/${r.section}`;
  if (r.page === 'flows') return `${BASE}/flows`;
  if (r.page === 'flow') return `${BASE}/flows/${encodeURIComponent(r.flowId)}/${r.tab}`;
  if (r.page === 'failedRuns') return `${BASE}/runs/failed`;
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
