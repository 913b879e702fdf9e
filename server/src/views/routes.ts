import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadWorkspace } from '../workspaces/routes.js';
import type { Caller } from '../records/service.js';
import { SavedViews, type SavedViewInput } from './saved-views.js';

const KEY = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } as const;
const definition = {
  type: 'object', additionalProperties: false, required: ['type', 'columns', 'sort'],
  properties: {
    type: { type: 'string', enum: ['list', 'kanban'] },
    columns: { type: 'array', items: KEY, minItems: 1, maxItems: 100 },
    sort: { type: 'array', maxItems: 5, items: { type: 'object', additionalProperties: false, required: ['field', 'direction'], properties: { field: KEY, direction: { type: 'string', enum: ['asc', 'desc'] } } } },
    filter: { type: 'object' },
    groupBy: KEY,
  },
} as const;
const body = (withEntity: boolean) => ({
  type: 'object', additionalProperties: false, required: [...(withEntity ? ['entity'] : []), 'label', 'definition'],
  properties: {
    ...(withEntity ? { entity: KEY } : {}),
    label: { type: 'string', minLength: 1, maxLength: 100 },
    definition,
    sharedRoles: { type: 'array', items: KEY, maxItems: 50, uniqueItems: true },
  },
});

const caller = (request: FastifyRequest): Caller => ({ ws: request.workspace!, userId: request.user!.id, ip: request.ip });

/** Saved views of the list screen: `GET ?entity=`, create, update and (soft) delete the caller's own. */
export async function savedViewRoutes(app: FastifyInstance) {
  const views = new SavedViews(app.services.database.db, app.services.records, app.services.clock);
  app.addHook('preHandler', loadWorkspace);
  app.get<{ Querystring: { entity: string } }>('/api/w/:ws/saved-views', {
    schema: { querystring: { type: 'object', required: ['entity'], additionalProperties: false, properties: { entity: KEY } } },
  }, async (request) => ({ data: await views.list(caller(request), request.query.entity) }));
  app.post<{ Body: SavedViewInput }>('/api/w/:ws/saved-views', { schema: { body: body(true) } }, async (request, reply) => {
    reply.status(201);
    return { data: await views.create(caller(request), request.body) };
  });
  app.put<{ Params: { id: string }; Body: Omit<SavedViewInput, 'entity'> }>('/api/w/:ws/saved-views/:id', { schema: { body: body(false) } }, async (request) => {
    await views.update(caller(request), request.params.id, request.body);
    return { data: { id: request.params.id } };
  });
  app.delete<{ Params: { id: string } }>('/api/w/:ws/saved-views/:id', async (request) => {
    await views.remove(caller(request), request.params.id);
    return { data: { id: request.params.id } };
  });
}
