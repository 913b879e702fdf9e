import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { loadWorkspace } from '../workspaces/routes.js';
import { recentRecords } from './recent.js';

/** What the runtime's home page needs beyond the records API. */
export async function homeRoutes(app: FastifyInstance) {
  const { database, records } = app.services;
  app.addHook('preHandler', loadWorkspace);

  app.get<{ Querystring: Record<string, unknown> }>('/api/w/:ws/recent', async (request) => {
    const q = request.query;
    const bad = Object.keys(q).filter((k) => k !== 'limit');
    if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
    const limit = q.limit === undefined ? 10 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'limit must be 1..50' });
    return { data: await recentRecords({ db: database.db, records }, { ws: request.workspace!, userId: request.user!.id }, limit) };
  });
}
