import type { Clock } from '../infra/clock.js';
import type { WorkspaceContext } from '../context.js';
import { mergeNotifications, parseRecordsNotification, parseUserNotification, type ChangeAction, type RecordsNotification } from './notification.js';
import { sseComment, sseEvent } from './sse.js';

/** What a client receives: never a field value; it refetches through the API, which checks again. */
export interface LiveChange {
  entity: string;
  /** The changed records the user may read; 'all' when too many to list (refetch everything shown). */
  ids: string[] | 'all';
  action: ChangeAction;
  at: string;
}

/** One open event stream. */
export interface LiveConnection {
  workspaceId: string;
  slug: string;
  userId: string;
  /** The access-cache key of the credential that opened it (`session:<hash>` / `token:<hash>`). */
  credential: string;
  write(chunk: string): void;
  end(): void;
}

/** Narrow ports, so the hub knows nothing of HTTP, Kysely or the records module. */
export interface HubPorts {
  clock: Clock;
  /** The credential's current access to the workspace; undefined once the session or membership is gone. */
  resolve(credential: string, slug: string): Promise<{ ws: WorkspaceContext; userId: string } | undefined>;
  /** Which of `ids` this user may read (the records service's read predicate, in SQL). */
  readableIds(ws: WorkspaceContext, userId: string, entity: string, ids: string[]): Promise<string[]>;
  /** The record ids of a notification that carried none (read from its audit rows). */
  auditIds(n: RecordsNotification): Promise<string[]>;
  log(msg: string): void;
}

export const MAX_CONNECTIONS_PER_USER = 10;
/** More readable ids than this go out as 'all'. */
export const MAX_IDS_PER_EVENT = 1000;
const CHECK_CHUNK = 5000;
/** Permission checks of one fan-out running at once, so a busy workspace never takes the whole pool. */
const CONCURRENCY = 4;

/**
 * Fans the process's one `crm_records` LISTEN out to the open event streams
 * of each workspace. Per workspace, notifications are handled one batch at a
 * time and in order; what arrives meanwhile is merged per (entity, action).
 * Before a user hears of an id, SQL says they may read it; their access is
 * re-resolved on every batch and heartbeat, so a signed-out or removed member
 * stops receiving at once.
 */
export class EventHub {
  private readonly byWorkspace = new Map<string, Set<LiveConnection>>();
  private readonly perUser = new Map<string, number>();
  private readonly pending = new Map<string, Map<string, RecordsNotification>>();
  private readonly running = new Set<string>();
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly ports: HubPorts) {}

  /** False when the user already has the maximum number of streams open. */
  add(c: LiveConnection): boolean {
    const n = this.perUser.get(c.userId) ?? 0;
    if (n >= MAX_CONNECTIONS_PER_USER) return false;
    this.perUser.set(c.userId, n + 1);
    let set = this.byWorkspace.get(c.workspaceId);
    if (!set) this.byWorkspace.set(c.workspaceId, (set = new Set()));
    set.add(c);
    return true;
  }

  remove(c: LiveConnection) {
    const set = this.byWorkspace.get(c.workspaceId);
    if (!set?.delete(c)) return;
    if (!set.size) this.byWorkspace.delete(c.workspaceId);
    const n = (this.perUser.get(c.userId) ?? 1) - 1;
    if (n > 0) this.perUser.set(c.userId, n);
    else this.perUser.delete(c.userId);
  }

  get size(): number {
    let n = 0;
    for (const s of this.byWorkspace.values()) n += s.size;
    return n;
  }

  /** A raw `crm_records` payload from the change feed. */
  notify(payload: string) {
    const n = parseRecordsNotification(payload);
    if (!n || !this.byWorkspace.has(n.w)) return;
    let queue = this.pending.get(n.w);
    if (!queue) this.pending.set(n.w, (queue = new Map()));
    const key = `${n.e}/${n.a}`;
    const prev = queue.get(key);
    queue.set(key, prev ? mergeNotifications(prev, n) : n);
    if (!this.running.has(n.w)) this.drain(n.w);
  }

  /**
   * A raw `crm_notifications` payload: the streams of exactly those users in
   * that workspace hear `notification` (refetch your feed), nobody else. It
   * carries nothing but the time: the feed API answers each user with their own.
   */
  notifyUsers(payload: string) {
    const n = parseUserNotification(payload);
    const set = n && this.byWorkspace.get(n.w);
    if (!set) return;
    const users = new Set(n.u);
    const data = sseEvent('notification', { at: this.ports.clock.now().toISOString() });
    for (const c of set) if (users.has(c.userId)) c.write(data);
  }

  /** Notifications may have been missed (the feed reconnected): every client refetches. */
  reset() {
    const data = sseEvent('reset', { at: this.ports.clock.now().toISOString() });
    for (const set of this.byWorkspace.values()) for (const c of set) c.write(data);
  }

  /** Keeps streams open through proxies, and closes those whose session or membership ended. */
  async heartbeat() {
    const ping = sseComment('ping');
    await this.forEachGroup([...this.byWorkspace.values()].flatMap((s) => [...s]), async (group) => {
      const who = await this.ports.resolve(group[0]!.credential, group[0]!.slug).catch(() => null);
      if (who === undefined || (who && who.ws.id !== group[0]!.workspaceId)) group.forEach((c) => this.drop(c));
      else group.forEach((c) => c.write(ping));
    });
  }

  /** Ends every stream (server shutdown). */
  closeAll() {
    for (const set of [...this.byWorkspace.values()]) for (const c of [...set]) this.drop(c);
  }

  /** Resolves when no fan-out is running (tests, shutdown). */
  settled(): Promise<void> {
    return this.idle;
  }

  private drop(c: LiveConnection) {
    this.remove(c);
    c.end();
  }

  private drain(wsId: string) {
    this.running.add(wsId);
    const run = async () => {
      // One commit's notifications arrive together: let them all queue (and merge) before the first check.
      await new Promise((r) => setImmediate(r));
      for (;;) {
        const queue = this.pending.get(wsId);
        if (!queue?.size) break;
        this.pending.delete(wsId);
        for (const n of queue.values()) {
          try {
            await this.fanOut(n);
          } catch (err) {
            this.ports.log(`events: fan-out failed: ${(err as Error).message}`);
            // The ids could not be read: the clients cannot know what they missed, so they refetch.
            const data = sseEvent('reset', { at: this.ports.clock.now().toISOString() });
            for (const c of this.byWorkspace.get(wsId) ?? []) c.write(data);
          }
        }
      }
      this.running.delete(wsId);
    };
    this.idle = Promise.all([this.idle, run()]).then(() => undefined);
  }

  private async fanOut(n: RecordsNotification) {
    const conns = [...(this.byWorkspace.get(n.w) ?? [])];
    if (!conns.length) return;
    const ids = n.ids ?? [...new Set(await this.ports.auditIds(n))];
    if (!ids.length) return;
    const byUser = new Map<string, Promise<string[]>>();
    await this.forEachGroup(conns, async (group) => {
      const first = group[0]!;
      try {
        const who = await this.ports.resolve(first.credential, first.slug);
        if (!who || who.ws.id !== n.w) {
          group.forEach((c) => this.drop(c));
          return;
        }
        let readable = byUser.get(who.userId);
        if (!readable) byUser.set(who.userId, (readable = this.readable(who.ws, who.userId, n.e, ids)));
        const seen = await readable;
        if (!seen.length) return;
        const change: LiveChange = { entity: n.e, ids: seen.length > MAX_IDS_PER_EVENT ? 'all' : seen, action: n.a, at: this.ports.clock.now().toISOString() };
        const data = sseEvent('change', change);
        group.forEach((c) => c.write(data));
      } catch (err) {
        // The check failed (database away): these clients cannot know what they missed, so they refetch.
        this.ports.log(`events: permission check failed: ${(err as Error).message}`);
        const data = sseEvent('reset', { at: this.ports.clock.now().toISOString() });
        group.forEach((c) => c.write(data));
      }
    });
  }

  private async readable(ws: WorkspaceContext, userId: string, entity: string, ids: string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < ids.length && out.length <= MAX_IDS_PER_EVENT; i += CHECK_CHUNK) {
      out.push(...(await this.ports.readableIds(ws, userId, entity, ids.slice(i, i + CHECK_CHUNK))));
    }
    return out;
  }

  /** Connections grouped by credential (one session's tabs share one access check), a few groups at a time. */
  private async forEachGroup(conns: LiveConnection[], fn: (group: LiveConnection[]) => Promise<void>) {
    const groups = new Map<string, LiveConnection[]>();
    for (const c of conns) {
      const key = `${c.credential}/${c.slug}`;
      const g = groups.get(key);
      if (g) g.push(c);
      else groups.set(key, [c]);
    }
    const list = [...groups.values()];
    let next = 0;
    const worker = async () => {
      while (next < list.length) await fn(list[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
  }
}
