import pg from 'pg';

/**
 * One LISTEN connection per process for cache invalidation. Subscribers get
 * the payloads of their channel; `live` is false while disconnected, and
 * `onReset` fires whenever notifications may have been missed (so caches
 * drop everything instead of serving stale entries).
 */
export class ChangeFeed {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  live = false;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private readonly resets = new Set<() => void>();

  constructor(private readonly connectionString: string, private readonly log: (msg: string) => void = () => {}) {}

  /**
   * Subscribes to a channel. A channel first asked for after `start()` is
   * LISTENed on the open connection; the promise settles once it is (or at
   * once when disconnected: the next connection listens to every channel).
   */
  on(channel: string, handler: (payload: string) => void): Promise<void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel ${channel}`);
    let set = this.handlers.get(channel);
    const added = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    const client = this.client;
    if (!added || !client) return Promise.resolve();
    return client.query(`listen ${channel}`).then(() => undefined, () => this.reconnect());
  }

  onReset(handler: () => void) {
    this.resets.add(handler);
  }

  private reset() {
    for (const r of this.resets) r();
  }

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'crm-change-feed' });
    client.on('error', () => this.reconnect());
    client.on('end', () => this.reconnect());
    client.on('notification', (msg) => {
      for (const h of this.handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
      this.client = client;
      this.reset(); // anything that changed while we were away
      this.live = true;
    } catch (err) {
      this.log(`change feed: ${(err as Error).message}`);
      client.removeAllListeners('end');
      void client.end().catch(() => {});
      this.scheduleRetry();
    }
  }

  private reconnect() {
    if (!this.live && this.retry) return;
    this.live = false;
    this.reset();
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      void c.end().catch(() => {});
    }
    this.scheduleRetry();
  }

  private scheduleRetry() {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, 1_000);
    this.retry.unref();
  }

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.live = false;
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
    }
  }
}
