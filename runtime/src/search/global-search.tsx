import { lazy, Suspense, useEffect, useState } from 'react';
import type { WidgetContext } from '@crm/ui';
import { opensPalette } from './palette-model.js';
import { SearchIcon } from './search-icon.js';
import './search.css';

// The palette loads on first use, so the first screen stays small.
const SearchPalette = lazy(() => import('./search-palette.js').then((m) => ({ default: m.SearchPalette })));

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * The search box in the header (an icon on a phone) and the shortcuts that
 * open the palette from anywhere: Ctrl+K / Cmd+K, and "/" outside text fields.
 */
export function GlobalSearch(p: { ctx: WidgetContext }) {
  const en = p.ctx.lang === 'en';
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !opensPalette({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, typing: typingIn(e.target) })) return;
      e.preventDefault();
      setOpen(true);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <button type="button" className="crm-search-trigger" data-testid="global-search" onClick={() => setOpen(true)}
        aria-label={en ? 'Search' : '搜索'} aria-haspopup="dialog" aria-keyshortcuts="Control+K Meta+K /">
        <SearchIcon />
        <span className="crm-search-trigger-text">{en ? 'Search…' : '搜索客户、联系人…'}</span>
        <kbd className="crm-search-trigger-kbd">{isMac ? '⌘K' : 'Ctrl K'}</kbd>
      </button>
      {open && <Suspense fallback={null}><SearchPalette ctx={p.ctx} onClose={() => setOpen(false)} /></Suspense>}
    </>
  );
}
