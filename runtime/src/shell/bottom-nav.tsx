import { Drawer, Menu } from 'antd';
import { useState } from 'react';
import { go } from '../session.js';

export interface NavItem { key: string; label: string; path: string }

/**
 * On a phone the side menu becomes a bar at the bottom: the first few places
 * as large touch targets, the rest behind "更多 / More" in a drawer.
 */
export function BottomNav(p: { items: NavItem[]; selected: string; lang: 'zh-CN' | 'en'; primary?: number }) {
  const [open, setOpen] = useState(false);
  const n = p.primary ?? 4;
  const main = p.items.slice(0, n);
  const rest = p.items.slice(n);
  return (
    <>
      <nav className="crm-bottom-nav" data-testid="bottom-nav">
        {main.map((i) => (
          <button key={i.key} type="button" className={i.key === p.selected ? 'active' : ''} onClick={() => go(i.path)} data-testid={`bottom-${i.key}`}>{i.label}</button>
        ))}
        {rest.length > 0 && (
          <button type="button" className={rest.some((i) => i.key === p.selected) ? 'active' : ''} onClick={() => setOpen(true)} data-testid="bottom-more">
            {p.lang === 'en' ? 'More' : '更多'}
          </button>
        )}
      </nav>
      <Drawer open={open} placement="bottom" height="auto" onClose={() => setOpen(false)} title={p.lang === 'en' ? 'More' : '更多'}>
        <Menu mode="inline" selectedKeys={[p.selected]} style={{ borderInlineEnd: 0 }}
          items={rest.map((i) => ({ key: i.key, label: i.label, onClick: () => { setOpen(false); go(i.path); } }))} />
      </Drawer>
    </>
  );
}
