import pg from 'pg';

export const METADATA_CHANNEL = 'crm_metadata';

export interface PublishedMetadata {
  revision: number;
  documents: StoredDocument[];
}

export interface StoredDocument {
  kind: string;
  id: string;
  schemaVersion: number;
  body: Record<string, unknown>;
}

/**
 * Published metadata per workspace, cached in each server process. A publish
 * NOTIFYs in its transaction; every process LISTENs and drops that workspace's
 * entry. While the listener is disconnected the cache is bypassed, so a missed
 * notification can never serve an old revision.
 */
export class MetadataCache {
  private entries = new Map<string, Promise<PublishedMetadata>>();
  private client: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  /** Resolvers waiting for the next invalidation of a workspace (tests and realtime use it). */
  private waiters = new Set<(workspaceId: string) => void>();

  constructor(private readonly connectionString: string, private readonly log: (msg: string) => void = () => {}) {}

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'crm-metadata-listener' });
    client.on('error', () => this.reconnect());
    client.on('end', () => this.reconnect());
    client.on('notification', (msg) => {
      if (msg.channel !== METADATA_CHANNEL || !msg.payload) return;
      try {
        const { workspaceId } = JSON.parse(msg.payload) as { workspaceId: string };
        this.invalidate(workspaceId);
      } catch {
        this.entries.clear();
      }
    });
    try {
      await client.connect();
      await client.query(`listen ${METADATA_CHANNEL}`);
      this.client = client;
      this.entries.clear(); // anything published while we were away
      this.listening = true;
    } catch (err) {
      this.log(`metadata listener: ${(err as Error).message}`);
      client.removeAllListeners('end');
      void client.end().catch(() => {});
      this.scheduleRetry();
    }
  }

  private reconnect() {
    if (!this.listening && this.retry) return;
    this.listening = false;
    this.entries.clear();
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

  invalidate(workspaceId: string) {
    this.entries.delete(workspaceId);
    for (const w of this.waiters) w(workspaceId);
  }

  /** Resolves when the cache entry of `workspaceId` is next dropped. */
  nextInvalidation(workspaceId: string, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error('no invalidation'));
      }, timeoutMs);
      const waiter = (id: string) => {
        if (id !== workspaceId) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  get(workspaceId: string, load: () => Promise<PublishedMetadata>): Promise<PublishedMetadata> {
    if (!this.listening) return load();
    let entry = this.entries.get(workspaceId);
    if (!entry) {
      entry = load();
      this.entries.set(workspaceId, entry);
      entry.catch(() => this.entries.delete(workspaceId));
    }
    return entry;
  }

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.listening = false;
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
    }
  }
}
