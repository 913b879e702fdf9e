import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadWorkspace } from '../workspaces/routes.js';
import { parseSearchParams } from './query.js';
import { SearchService } from './service.js';

/**
 * `GET /api/w/:ws/search?q=<text>&limit=<per entity>` -> `{ data: [{ entity, label, total?, records: [{ id, title, subtitle? }] }] }`:
 * the records the caller may read, grouped by entity.
 */
export async function searchRoutes(app: FastifyInstance) {
  const service = new SearchService(app.services.database.db, app.services.records);
  app.addHook('preHandler', loadWorkspace);

  app.get('/api/w/:ws/search', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const params = parseSearchParams(request.query);
    return { data: await service.search({ ws: request.workspace!, userId: request.user!.id, ip: request.ip }, params) };
  });
}
