import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ifMatchOf } from '../http/if-match.js';
import type { Caller } from '../records/service.js';
import { loadWorkspace } from '../workspaces/routes.js';
import { claim, release, type PoolDeps } from './service.js';

type P = { ws: string; entity: string; id: string };

const caller = (request: FastifyRequest): Caller => ({ ws: request.workspace!, userId: request.user!.id, ip: request.ip });
/** If-Match is optional here: the precondition that matters (in the pool / owned) is checked under the row lock; when sent, it must match. */
const optionalIfMatch = (request: FastifyRequest) => (request.headers['if-match'] === undefined ? undefined : ifMatchOf(request));

/** The public pool: claim a record (daily quota) and release one back. */
export async function poolRoutes(app: FastifyInstance) {
  const { database, records, clock, metadata } = app.services;
  const deps: PoolDeps = { db: database.db, records, clock, published: (ws) => metadata.published(ws) };
  app.addHook('preHandler', loadWorkspace);

  app.post<{ Params: P }>('/api/w/:ws/records/:entity/:id/claim', async (request, reply) => {
    const { record, quota } = await claim(deps, caller(request), request.params.entity, request.params.id, optionalIfMatch(request));
    void reply.header('etag', `"${String(record.version)}"`);
    return { data: record, quota };
  });

  app.post<{ Params: P; Body: { reason?: string } }>('/api/w/:ws/records/:entity/:id/release', {
    // The body is optional: no body is an empty one (the schema below would refuse `undefined`).
    preValidation: async (request) => {
      request.body ??= {};
    },
    schema: { body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } } },
  }, async (request, reply) => {
    const data = await release(deps, caller(request), request.params.entity, request.params.id, { reason: request.body.reason?.trim() || undefined, ifMatch: optionalIfMatch(request) });
    void reply.header('etag', `"${String(data.version)}"`);
    return { data };
  });
}
