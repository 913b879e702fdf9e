import { useEffect } from 'react';
import type { Lang } from '@crm/ui';
import { live, useLiveState } from './use-live.js';
import './live.css';

/** A tab hidden this long closes its stream (browsers allow few connections per site); showing it reopens and refetches. */
const PAUSE_HIDDEN_MS = 60_000;

/** The header's small live/offline dot; mounting it connects the tab's event stream to workspace `ws`. */
export function LiveStatus(p: { ws: string; lang: Lang }) {
  const state = useLiveState();
  useEffect(() => live.connect(p.ws), [p.ws]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const on = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'hidden') timer = setTimeout(() => live.pause(), PAUSE_HIDDEN_MS);
      else live.resume();
    };
    document.addEventListener('visibilitychange', on);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', on);
    };
  }, []);
  const en = p.lang === 'en';
  const up = state === 'connected';
  const label = up ? (en ? 'Live' : '实时') : state === 'connecting' ? (en ? 'Connecting' : '连接中') : (en ? 'Offline' : '离线');
  const title = up
    ? (en ? 'Changes by others appear here as they happen' : '他人的修改会实时显示')
    : (en ? 'Not receiving live changes; reconnecting' : '暂未接收实时更新，正在重新连接');
  return (
    <span data-testid="live-status" data-state={state} title={title} role="status" aria-label={label}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6, fontSize: 12, color: up ? '#389e0d' : '#8c8c8c', marginRight: 12, whiteSpace: 'nowrap' }}>
      <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: up ? '#52c41a' : '#bfbfbf', display: 'inline-block' }} />
      <span className="crm-live-label">{label}</span>
    </span>
  );
}
