import { Input, type InputRef } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { createPortal } from 'react-dom';
import { labelOf, type WidgetContext } from '@crm/ui';
import { go } from '../session.js';
import { flatten, highlight, move, queryOf, type PaletteItem, type SearchGroup } from './palette-model.js';
import { SearchIcon } from './search-icon.js';
import './search.css';

const DEBOUNCE_MS = 200;
const PER_ENTITY = 5;

/**
 * The command palette: type, see matches grouped by entity (only records the
 * server says the user may read), walk them with up/down, open with Enter or a
 * click, close with Esc. A dialog over the page on desktop, the whole screen on
 * a phone.
 */
export function SearchPalette(p: { ctx: WidgetContext; onClose: () => void }) {
  const en = p.ctx.lang === 'en';
  const [text, setText] = useState('');
  const [groups, setGroups] = useState<SearchGroup[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const input = useRef<InputRef>(null);
  const list = useRef<HTMLDivElement>(null);
  const seq = useRef(0);
  const q = queryOf(text);
  const items = flatten(groups ?? []);

  // Debounced queries; an answer that arrives after a newer question is dropped.
  useEffect(() => {
    const mine = ++seq.current;
    if (!q) {
      setGroups(null);
      setLoading(false);
      setError(null);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ q, limit: String(PER_ENTITY) });
      p.ctx.api.get<{ data: SearchGroup[] }>(`/api/w/${p.ctx.ws}/search?${params}`).then(
        (r) => {
          if (mine !== seq.current) return;
          setGroups(r.data);
          setActive(r.data.length ? 0 : -1);
          setError(null);
          setLoading(false);
        },
        (err: Error) => {
          if (mine !== seq.current) return;
          setError(err.message);
          setLoading(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  // The page behind does not scroll; focus goes back where it was on close.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    input.current?.focus();
    return () => {
      document.body.style.overflow = overflow;
      before?.focus?.();
    };
  }, []);

  useEffect(() => {
    list.current?.querySelector('[aria-selected=true]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const open = (item: PaletteItem) => {
    p.onClose();
    go(pathOf(p.ctx.ws, item));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      p.onClose();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => move(a, e.key === 'ArrowDown' ? 1 : -1, items.length));
    } else if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      // While an input method is composing (pinyin -> 汉字), Enter confirms the characters, not a result.
      const item = items[active];
      if (item) {
        e.preventDefault();
        open(item);
      }
    }
  };

  const onLink = (e: MouseEvent, item: PaletteItem) => {
    // Plain clicks navigate in the app; Ctrl/Cmd/middle clicks keep the browser's "open in new tab".
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    open(item);
  };

  const activeId = items[active] ? `search-option-${active}` : undefined;
  // Into <body>: the header's styles (its 64 px line height) must not reach the palette.
  return createPortal(
    <div className="crm-search-overlay" onMouseDown={(e) => { if (e.target === e.currentTarget) p.onClose(); }}>
      <div className="crm-search-panel" role="dialog" aria-modal="true" aria-label={en ? 'Search' : '搜索'} data-testid="search-palette" onKeyDown={onKeyDown}>
        <div className="crm-search-bar">
          <Input
            ref={input} size="large" variant="borderless" value={text} onChange={(e) => setText(e.target.value)} maxLength={100}
            prefix={<SearchIcon />} placeholder={en ? 'Search accounts, contacts, leads…' : '搜索客户、联系人、线索、商机…'}
            data-testid="search-input" role="combobox" aria-expanded={items.length > 0} aria-controls="crm-search-results" aria-activedescendant={activeId}
            autoComplete="off" enterKeyHint="search"
          />
          <button type="button" className="crm-search-cancel" onClick={p.onClose}>{en ? 'Cancel' : '取消'}</button>
        </div>
        <div className="crm-search-results" id="crm-search-results" role="listbox" ref={list}>
          {!q && <div className="crm-search-hint">{en ? 'Type a name, company or phone number.' : '输入名称、公司或电话号码进行搜索。'}</div>}
          {q && error && <div className="crm-search-hint crm-search-error">{error}</div>}
          {q && !error && groups?.length === 0 && !loading && <div className="crm-search-hint">{en ? `Nothing found for “${q}”.` : `没有找到与“${q}”相关的记录。`}</div>}
          {q && loading && !groups && <div className="crm-search-hint">{en ? 'Searching…' : '搜索中…'}</div>}
          {q && groups?.map((g) => (
            <section key={g.entity} className="crm-search-group" data-testid={`search-group-${g.entity}`} aria-label={labelOf(g.label, p.ctx.lang)}>
              <div className="crm-search-group-head">
                <span>{labelOf(g.label, p.ctx.lang)}</span>
                <span className="crm-search-count">{countText(g, en)}</span>
              </div>
              {items.filter((i) => i.entity === g.entity).map((item) => (
                <a
                  key={item.hit.id} id={`search-option-${item.index}`} href={pathOf(p.ctx.ws, item)} role="option" aria-selected={item.index === active}
                  className="crm-search-item" data-testid={`search-result-${item.hit.id}`}
                  onMouseMove={() => { if (item.index !== active) setActive(item.index); }} onClick={(e) => onLink(e, item)}
                >
                  <span className="crm-search-title">{item.hit.title ? marked(item.hit.title, q) : (en ? '(untitled)' : '（无标题）')}</span>
                  {item.hit.subtitle && <span className="crm-search-subtitle">{marked(item.hit.subtitle, q)}</span>}
                </a>
              ))}
            </section>
          ))}
        </div>
        <div className="crm-search-footer">
          <span><kbd>↑</kbd><kbd>↓</kbd> {en ? 'select' : '选择'}</span>
          <span><kbd>Enter</kbd> {en ? 'open' : '打开'}</span>
          <span><kbd>Esc</kbd> {en ? 'close' : '关闭'}</span>
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** The text with the query's occurrences in <mark>, as React text nodes (never HTML). */
function marked(text: string, q: string) {
  return highlight(text, q).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>));
}

function pathOf(ws: string, item: PaletteItem): string {
  return `/app/${encodeURIComponent(ws)}/${encodeURIComponent(item.entity)}/${encodeURIComponent(item.hit.id)}`;
}

function countText(g: SearchGroup, en: boolean): string {
  if (g.total === undefined) return '';
  return en ? `${g.total} result${g.total === 1 ? '' : 's'}` : `${g.total} 条`;
}
