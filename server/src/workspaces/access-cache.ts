import type { ChangeFeed } from '../infra/change-feed.js';
import type { Clock } from '../infra/clock.js';
import type { SessionUser } from '../auth/sessions.js';
import type { WorkspaceContext } from '../context.js';

export const ACCESS_CHANNEL = 'crm_access';
const TTL_MS = 30_000;

interface Entry {
  user: SessionUser;
  workspace: WorkspaceContext | undefined;
  until: number;
}

/**
 * Session + workspace + roles + teams of a request, cached per process for a
 * short while: resolving them is the most expensive query of a small write.
 * Database triggers NOTIFY on every change to sessions, users, members, roles
 * and teams (whatever wrote it), and the whole cache is dropped; entries also
 * expire after 30 s and never outlive their session. Bypassed while the change
 * feed is disconnected.
 */
export class AccessCache {
  private entries = new Map<string, Entry>();
  /** Bumped on every invalidation: a load that started before one must not be cached after it. */
  private generation = 0;

  constructor(private readonly feed: ChangeFeed, private readonly clock: Clock) {
    const drop = () => {
      this.generation++;
      this.entries.clear();
    };
    feed.on(ACCESS_CHANNEL, drop);
    feed.onReset(drop);
    this.clear = drop;
  }

  /** Drops everything now (this process); other processes follow on the NOTIFY the change fires. */
  readonly clear: () => void;

  async get(tokenHash: string, slug: string, load: () => Promise<{ user: SessionUser; workspace: WorkspaceContext | undefined; expiresAt: Date } | undefined>) {
    const key = `${tokenHash}/${slug}`;
    const now = this.clock.now().getTime();
    const hit = this.feed.live ? this.entries.get(key) : undefined;
    if (hit && hit.until > now) return hit;
    const generation = this.generation;
    const found = await load();
    if (!found) return undefined;
    const entry = { user: found.user, workspace: found.workspace, until: Math.min(now + TTL_MS, found.expiresAt.getTime()) };
    if (this.feed.live && generation === this.generation) {
      if (this.entries.size > 10_000) this.entries.clear();
      this.entries.set(key, entry);
    }
    return entry;
  }
}
