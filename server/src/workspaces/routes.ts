import type { FastifyInstance, FastifyRequest } from 'fastify';
import { credentialOf, requireUser, setUser } from '../auth/plugin.js';
import { AppError } from '../errors/app-error.js';
import type { SystemRole, WorkspaceContext } from '../context.js';
import { createWorkspace, resolveSessionWorkspace } from './service.js';

const createBody = {
  type: 'object',
  required: ['slug', 'name'],
  additionalProperties: false,
  properties: { slug: { type: 'string', maxLength: 40 }, name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export async function workspaceRoutes(app: FastifyInstance) {
  app.post<{ Body: { slug: string; name: string } }>('/api/workspaces', { schema: { body: createBody } }, async (request, reply) => {
    const user = await requireUser(request);
    const ws = await createWorkspace(app.services.database.db, { ...request.body, ownerId: user.id }, { ip: request.ip });
    return reply.status(201).send({ data: { slug: ws.slug, name: ws.name, settings: ws.settings } });
  });
}

/** preHandler for every `/api/w/:ws/...` route: signed in, and an active member, or 404. */
export async function loadWorkspace(this: FastifyInstance, request: FastifyRequest<{ Params: { ws: string } }>) {
  const credential = credentialOf(request);
  if (!credential) throw new AppError('CRM_ERR_UNAUTHENTICATED');
  const { database, clock, accessCache } = this.services;
  const found = await accessCache.get(`${credential.kind}:${credential.hash}`, request.params.ws,
    () => resolveSessionWorkspace(database.db, credential, clock.now(), request.params.ws));
  setUser(request, found?.user ?? null);
  if (!found) throw new AppError('CRM_ERR_UNAUTHENTICATED');
  if (!found.workspace) throw new AppError('CRM_ERR_NOT_FOUND');
  request.workspace = found.workspace;
}

export function requireRole(request: FastifyRequest, roles: readonly SystemRole[]): WorkspaceContext {
  const ws = request.workspace;
  if (!ws) throw new AppError('CRM_ERR_NOT_FOUND');
  if (!roles.includes(ws.role)) throw new AppError('CRM_ERR_FORBIDDEN');
  return ws;
}
