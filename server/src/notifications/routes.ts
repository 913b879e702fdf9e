import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { Caller } from '../records/service.js';
import { loadWorkspace } from '../workspaces/routes.js';
import { startDueReminders } from './due-reminders.js';
import { mention, type MentionInput } from './mentions.js';
import { NotificationStore } from './store.js';

export interface NotificationOptions {
  /** How often the due-task reminders run in this process (ms); 0 turns the timer off. */
  remindEveryMs?: number;
}

const caller = (request: FastifyRequest): Caller => ({ ws: request.workspace!, userId: request.user!.id, ip: request.ip });

const mentionBody = {
  type: 'object',
  required: ['userIds'],
  additionalProperties: false,
  properties: {
    userIds: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', format: 'uuid' } },
    note: { type: 'string', maxLength: 2000 },
  },
} as const;

/** In-app notifications of the signed-in user, @mentions on records, and the due-task reminder timer. */
export async function notificationRoutes(app: FastifyInstance, opts: NotificationOptions) {
  const { database, clock, records, metadata } = app.services;
  const store = new NotificationStore(database.db);
  app.addHook('preHandler', loadWorkspace);

  const every = opts.remindEveryMs ?? 60_000;
  if (every > 0) {
    const stop = startDueReminders({ db: database.db, metadata, store }, clock, every, (m) => app.log.warn(m));
    app.addHook('onClose', async () => stop());
  }

  app.get<{ Querystring: Record<string, unknown> }>('/api/w/:ws/notifications', async (request) => {
    const q = request.query;
    const bad = Object.keys(q).filter((k) => !['unread', 'limit', 'cursor'].includes(k));
    if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
    if (q.unread !== undefined && q.unread !== 'true' && q.unread !== 'false') throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'unread is true or false' });
    const limit = q.limit === undefined ? 20 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'limit must be 1..100' });
    const me = caller(request);
    return store.feed(me.ws.id, me.userId, { unread: q.unread === 'true', limit, cursor: typeof q.cursor === 'string' ? q.cursor : undefined });
  });

  app.post<{ Params: { ws: string; id: string } }>('/api/w/:ws/notifications/:id/read', async (request) => {
    const me = caller(request);
    return { data: await store.markRead(me.ws.id, me.userId, request.params.id, clock.now()) };
  });

  app.post('/api/w/:ws/notifications/read-all', async (request) => {
    const me = caller(request);
    return { data: { updated: await store.markAllRead(me.ws.id, me.userId, clock.now()) } };
  });

  app.post<{ Params: { ws: string; entity: string; id: string }; Body: MentionInput }>('/api/w/:ws/records/:entity/:id/mentions',
    { schema: { body: mentionBody } }, async (request, reply) => {
      const data = await mention({ db: database.db, records, store, clock }, caller(request), request.params.entity, request.params.id, request.body);
      return reply.status(201).send({ data });
    });
}
