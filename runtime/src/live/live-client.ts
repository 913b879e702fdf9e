/**
 * The tab's one event stream (`GET /api/w/:ws/events`), framework-free.
 * Screens subscribe per entity and hear which ids changed, or 'all' when
 * they must refetch everything they show: after a `reset` from the server
 * (it may have missed notifications) and after every reconnect (we may have
 * missed events). Calls to one subscriber are merged over a short window, so
 * a burst of writes costs one refetch.
 */
export type LiveIds = string[] | 'all';

/**
 * Subscribe to this instead of an entity key to hear that the signed-in
 * user's own notifications changed (`notification` events; always 'all').
 * Not a possible entity key, so it never meets a `change`.
 */
export const NOTIFICATIONS_TOPIC = '$notifications';
export type LiveState = 'connecting' | 'connected' | 'disconnected' | 'paused';

/** What we use of EventSource (so tests can hand in a fake). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, fn: (e: { data?: string }) => void): void;
  close(): void;
}

export interface LiveTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Subscription {
  entity: string;
  fn: (ids: LiveIds) => void;
  pending: Set<string> | 'all' | null;
  timer: unknown;
}

const CLOSED = 2;
/** Window over which calls to one subscriber are merged. */
export const MERGE_MS = 150;
const MAX_BACKOFF_MS = 30_000;

export class LiveClient {
  private source: EventSourceLike | undefined;
  private ws: string | undefined;
  private everReady = false;
  private backoff = 1000;
  private retry: unknown;
  private readonly subs = new Set<Subscription>();
  private readonly watchers = new Set<(s: LiveState) => void>();
  state: LiveState = 'disconnected';

  constructor(
    private readonly open: (url: string) => EventSourceLike,
    private readonly timers: LiveTimers = { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as number) },
  ) {}

  /** Streams workspace `ws` (idempotent; another workspace replaces the stream). */
  connect(ws: string) {
    if (this.ws === ws && this.state !== 'paused' && this.source) return;
    if (this.ws !== ws) this.everReady = false;
    this.ws = ws;
    this.start();
  }

  /** Closes the stream (the tab was hidden a while); `resume` reopens it and everyone refetches. */
  pause() {
    if (!this.source && !this.retry) return;
    this.stop();
    this.setState('paused');
  }

  resume() {
    if (this.state === 'paused' && this.ws) this.start();
  }

  disconnect() {
    this.stop();
    this.ws = undefined;
    this.setState('disconnected');
  }

  subscribe(entity: string, fn: (ids: LiveIds) => void): () => void {
    const sub: Subscription = { entity, fn, pending: null, timer: undefined };
    this.subs.add(sub);
    return () => {
      this.subs.delete(sub);
      if (sub.timer !== undefined) this.timers.clearTimeout(sub.timer);
    };
  }

  onState(fn: (s: LiveState) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  private start() {
    this.stop();
    this.setState('connecting');
    const es = this.open(`/api/w/${encodeURIComponent(this.ws!)}/events`);
    this.source = es;
    es.addEventListener('ready', () => {
      if (this.source !== es) return;
      this.backoff = 1000;
      this.setState('connected');
      // A reconnect: whatever happened while we were away went unheard.
      if (this.everReady) this.all();
      this.everReady = true;
    });
    es.addEventListener('change', (e) => {
      if (this.source !== es) return;
      let change: { entity?: unknown; ids?: unknown };
      try {
        change = JSON.parse(e.data ?? '');
      } catch {
        return;
      }
      if (typeof change.entity !== 'string') return;
      const ids: LiveIds = Array.isArray(change.ids) ? change.ids.filter((x): x is string => typeof x === 'string') : 'all';
      for (const s of this.subs) if (s.entity === change.entity) this.queue(s, ids);
    });
    es.addEventListener('notification', () => {
      if (this.source !== es) return;
      for (const s of this.subs) if (s.entity === NOTIFICATIONS_TOPIC) this.queue(s, 'all');
    });
    es.addEventListener('reset', () => {
      if (this.source === es) this.all();
    });
    es.addEventListener('error', () => {
      if (this.source !== es) return;
      this.setState('disconnected');
      // The browser retries by itself after a dropped stream; after a refused one (401, 429, 503) it gives up.
      if (es.readyState === CLOSED) {
        this.source = undefined;
        es.close();
        this.retry = this.timers.setTimeout(() => {
          this.retry = undefined;
          if (this.ws && this.state !== 'paused') this.start();
        }, this.backoff);
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      }
    });
  }

  private stop() {
    if (this.retry !== undefined) this.timers.clearTimeout(this.retry);
    this.retry = undefined;
    const es = this.source;
    this.source = undefined;
    es?.close();
  }

  private all() {
    for (const s of this.subs) this.queue(s, 'all');
  }

  private queue(s: Subscription, ids: LiveIds) {
    if (ids === 'all' || s.pending === 'all') s.pending = 'all';
    else s.pending = new Set([...(s.pending ?? []), ...ids]);
    if (s.timer !== undefined) return;
    s.timer = this.timers.setTimeout(() => {
      s.timer = undefined;
      const p = s.pending;
      s.pending = null;
      if (p && this.subs.has(s)) s.fn(p === 'all' ? 'all' : [...p]);
    }, MERGE_MS);
  }

  private setState(s: LiveState) {
    if (this.state === s) return;
    this.state = s;
    for (const w of this.watchers) w(s);
  }
}
