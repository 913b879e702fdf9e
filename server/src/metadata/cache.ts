import type { ChangeFeed } from '../infra/change-feed.js';

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
 * NOTIFYs in its transaction; every process drops that workspace's entry. While
 * the change feed is disconnected the cache is bypassed, so a missed
 * notification can never serve an old revision.
 */
export class MetadataCache {
  private entries = new Map<string, Promise<PublishedMetadata>>();
  /** Resolvers waiting for the next invalidation of a workspace (tests and realtime use it). */
  private waiters = new Set<(workspaceId: string) => void>();

  constructor(private readonly feed: ChangeFeed) {
    feed.on(METADATA_CHANNEL, (payload) => {
      try {
        this.invalidate((JSON.parse(payload) as { workspaceId: string }).workspaceId);
      } catch {
        this.entries.clear();
      }
    });
    feed.onReset(() => this.entries.clear());
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
    if (!this.feed.live) return load();
    let entry = this.entries.get(workspaceId);
    if (!entry) {
      entry = load();
      this.entries.set(workspaceId, entry);
      entry.catch(() => this.entries.delete(workspaceId));
    }
    return entry;
  }
}
