import { createElement, lazy, type ComponentType } from 'react';

type IdleWindow = Window & { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number };

export function whenIdle(task: () => void): void {
  const w = window as IdleWindow;
  if (w.requestIdleCallback) w.requestIdleCallback(task, { timeout: 3000 });
  else setTimeout(task, 500);
}

/**
 * A screen whose code loads on first use, and can be fetched ahead of it.
 * Once loaded it renders directly instead of through React.lazy: a lazy
 * component suspends on every first mount, and React holds a resolved
 * Suspense boundary back for up to 300 ms to avoid flicker, which would be
 * the slowest part of opening a record whose code is already here.
 */
export function screen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> & { preload: () => Promise<unknown> } {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const preload = () => (pending ??= load().then((c) => (loaded = c)));
  const Lazy = lazy(() => preload().then((c) => ({ default: c })));
  const Screen = (props: P) => createElement((loaded ?? Lazy) as ComponentType<P>, props);
  return Object.assign(Screen, { preload });
}

export const ListPage = screen(() => import('./list/list-page.js').then((m) => m.ListPage));
/** The list fetches the record page's code once it has painted and the browser is idle. */
export const RecordPage = screen(() => import('./record.js').then((m) => m.RecordPage));
