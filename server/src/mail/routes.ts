import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { loadWorkspace, requireRole } from '../workspaces/routes.js';
import { OUTBOX_STATUSES, type OutboxStatus } from './message.js';

/** Mail bodies hold record data of any entity: the outbox is for the people who set automations up. */
const DESIGNERS = ['owner', 'admin', 'designer'] as const;

/** The workspace's mail outbox: what was sent, is waiting, failed, or was captured (no SMTP). Read only. */
export async function outboxRoutes(app: FastifyInstance) {
  const { outbox } = app.services.mailer;
  app.addHook('preHandler', loadWorkspace);
  app.addHook('preHandler', async (request) => {
    requireRole(request, DESIGNERS);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/api/w/:ws/outbox', async (request) => {
    const q = request.query;
    const bad = Object.keys(q).filter((k) => !['status', 'limit', 'cursor'].includes(k));
    if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
    if (q.status !== undefined && !OUTBOX_STATUSES.includes(q.status as OutboxStatus)) {
      throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `status is one of ${OUTBOX_STATUSES.join(', ')}` });
    }
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'limit must be 1..100' });
    if (q.cursor !== undefined && typeof q.cursor !== 'string') throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'cursor' });
    return outbox.list(request.workspace!.id, { status: q.status as OutboxStatus | undefined, limit, cursor: q.cursor as string | undefined });
  });

  app.get<{ Params: { ws: string; id: string } }>('/api/w/:ws/outbox/:id', async (request) =>
    ({ data: await outbox.get(request.workspace!.id, request.params.id) }));
}
