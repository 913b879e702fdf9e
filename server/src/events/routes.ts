import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { credentialOf } from '../auth/plugin.js';
import { AppError } from '../errors/app-error.js';
import type { ChangeFeed } from '../infra/change-feed.js';
import { loadWorkspace } from '../workspaces/routes.js';
import { resolveSessionWorkspace } from '../workspaces/service.js';
import { EventHub, type LiveConnection } from './hub.js';
import { NOTIFICATIONS_CHANNEL, RECORDS_CHANNEL } from './notification.js';
import { sseEvent, sseRetry } from './sse.js';

export interface EventRoutesOptions {
  feed: ChangeFeed;
  /** Comment lines keep idle streams open through proxies (default 25 s). */
  heartbeatMs?: number;
}

/** A client that stops reading gets cut off instead of growing the buffer. */
const MAX_BUFFERED = 1024 * 1024;
const RETRY_MS = 3000;

/**
 * `GET /api/w/:ws/events`: Server-Sent Events telling a signed-in member
 * which records they may read changed (`change` {entity, ids, action, at}),
 * that their own notifications changed (`notification` {at}), and when to
 * refetch everything (`reset`). Auth as any workspace route
 * (session cookie or API token); one LISTEN per process behind it (the hub).
 */
export async function eventRoutes(app: FastifyInstance, opts: EventRoutesOptions) {
  const { database, clock, accessCache, records } = app.services;
  const hub = new EventHub({
    clock,
    log: (m) => app.log.warn(m),
    resolve: async (credential, slug) => {
      const [kind, hash] = credential.split(':') as ['session' | 'token', string];
      const found = await accessCache.get(credential, slug, () => resolveSessionWorkspace(database.db, { kind, hash }, clock.now(), slug));
      return found?.workspace ? { ws: found.workspace, userId: found.user.id } : undefined;
    },
    readableIds: (ws, userId, entity, ids) => records.readableIds({ ws, userId }, entity, ids),
    auditIds: async (n) => {
      const { rows } = await sql<{ id: string }>`select distinct record_id as id from crm.audit_log
        where id between ${n.lo} and ${n.hi} and workspace_id = ${n.w}::uuid and entity = ${n.e} and action = ${`record.${n.a}`}`.execute(database.db);
      return rows.map((r) => r.id);
    },
  });
  await opts.feed.on(RECORDS_CHANNEL, (payload) => hub.notify(payload));
  await opts.feed.on(NOTIFICATIONS_CHANNEL, (payload) => hub.notifyUsers(payload));
  opts.feed.onReset(() => hub.reset());
  const heartbeat = setInterval(() => void hub.heartbeat(), opts.heartbeatMs ?? 25_000);
  heartbeat.unref();
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    hub.closeAll();
  });

  app.get<{ Params: { ws: string } }>('/api/w/:ws/events', { preHandler: loadWorkspace }, async (request: FastifyRequest<{ Params: { ws: string } }>, reply) => {
    const ws = request.workspace!;
    const credential = credentialOf(request)!;
    const res = reply.raw;
    const conn: LiveConnection = {
      workspaceId: ws.id,
      slug: ws.slug,
      userId: request.user!.id,
      credential: `${credential.kind}:${credential.hash}`,
      write: (chunk) => {
        if (res.writableEnded || res.destroyed) return;
        if (res.writableLength > MAX_BUFFERED) res.destroy();
        else res.write(chunk);
      },
      end: () => {
        if (!res.writableEnded) res.end();
      },
    };
    if (!hub.add(conn)) throw new AppError('CRM_ERR_RATE_LIMITED', {}, [], {}, { 'retry-after': '30' });
    res.on('close', () => hub.remove(conn));
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(sseRetry(RETRY_MS) + sseEvent('ready', { at: clock.now().toISOString() }));
  });
}
