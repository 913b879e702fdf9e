import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetadataService } from '../metadata/service.js';
import { loadWorkspace, requireRole } from '../workspaces/routes.js';
import { AdminService, POOL_CLAIM_MAX, type Admin } from './service.js';

const ADMINS = ['owner', 'admin'] as const;
const UUID = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } as const;
const SYSTEM_ROLE = { type: 'string', enum: ['owner', 'admin', 'designer', 'member'] } as const;
const ROLE_KEYS = { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' } } as const;

const adminOf = (request: FastifyRequest): Admin => ({ userId: request.user!.id, ip: request.ip, role: request.workspace!.role });

/** Workspace administration API (the screens come with the designer). Owners and admins only. */
export async function adminRoutes(app: FastifyInstance, opts: { metadata: MetadataService }) {
  const service = new AdminService(app.services.database.db, (ws) => opts.metadata.published(ws));
  app.addHook('preHandler', loadWorkspace);
  app.addHook('preHandler', async (request) => {
    requireRole(request, ADMINS);
  });
  // Changes to members, roles and teams take effect in this process at once (others follow the NOTIFY).
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET') app.services.accessCache.clear();
  });

  app.get('/api/w/:ws/admin/members', async (request) => ({ data: await service.members(request.workspace!) }));

  app.post<{ Body: { email: string; name: string; systemRole: 'owner' | 'admin' | 'designer' | 'member'; roles?: string[] } }>('/api/w/:ws/admin/members', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['email', 'name', 'systemRole'], properties: {
      email: { type: 'string', format: 'email', maxLength: 320 }, name: { type: 'string', minLength: 1, maxLength: 100 }, systemRole: SYSTEM_ROLE, roles: ROLE_KEYS } } },
  }, async (request, reply) => reply.status(201).send({ data: await service.invite(request.workspace!, adminOf(request), request.body) }));

  app.patch<{ Params: { userId: string }; Body: { systemRole?: 'owner' | 'admin' | 'designer' | 'member'; roles?: string[]; status?: 'active' | 'inactive' } }>('/api/w/:ws/admin/members/:userId', {
    schema: { body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { systemRole: SYSTEM_ROLE, roles: ROLE_KEYS, status: { type: 'string', enum: ['active', 'inactive'] } } } },
  }, async (request, reply) => {
    await service.updateMember(request.workspace!, adminOf(request), request.params.userId, request.body);
    return reply.status(204).send();
  });

  app.post<{ Params: { userId: string } }>('/api/w/:ws/admin/members/:userId/reset-password', async (request) =>
    ({ data: await service.resetPassword(request.workspace!, adminOf(request), request.params.userId) }));

  app.post<{ Params: { userId: string }; Body: { to: string } }>('/api/w/:ws/admin/members/:userId/reassign', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['to'], properties: { to: UUID } } },
  }, async (request) => ({ data: { moved: await service.reassign(request.workspace!, adminOf(request), request.params.userId, request.body.to) } }));

  app.get('/api/w/:ws/admin/teams', async (request) => ({ data: await service.teams(request.workspace!) }));

  const teamBody = { type: 'object', additionalProperties: false, required: ['name'], properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 }, parentId: { anyOf: [UUID, { type: 'null' }] },
    attributes: { type: 'object', maxProperties: 20, additionalProperties: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'number' }, { type: 'boolean' }] } },
    members: { type: 'array', maxItems: 1000, items: { type: 'object', additionalProperties: false, required: ['userId'], properties: { userId: UUID, isManager: { type: 'boolean' } } } },
  } } as const;
  type TeamBody = { name: string; parentId?: string | null; attributes?: Record<string, unknown>; members?: { userId: string; isManager?: boolean }[] };

  app.post<{ Body: TeamBody }>('/api/w/:ws/admin/teams', { schema: { body: teamBody } }, async (request, reply) =>
    reply.status(201).send({ data: await service.saveTeam(request.workspace!, adminOf(request), undefined, request.body) }));

  app.put<{ Params: { id: string }; Body: TeamBody }>('/api/w/:ws/admin/teams/:id', { schema: { params: { type: 'object', properties: { id: UUID } }, body: teamBody } }, async (request) =>
    ({ data: await service.saveTeam(request.workspace!, adminOf(request), request.params.id, request.body) }));

  app.get('/api/w/:ws/admin/settings', async (request) => ({ data: request.workspace!.settings }));

  app.patch<{ Body: { timeZone?: string; currency?: string; locale?: 'zh-CN' | 'en'; fiscalYearStartMonth?: number; poolClaimLimit?: number } }>('/api/w/:ws/admin/settings', {
    schema: { body: { type: 'object', additionalProperties: false, minProperties: 1, properties: {
      timeZone: { type: 'string', maxLength: 64 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' }, locale: { type: 'string', enum: ['zh-CN', 'en'] },
      fiscalYearStartMonth: { type: 'integer', minimum: 1, maximum: 12 }, poolClaimLimit: { type: 'integer', minimum: 0, maximum: POOL_CLAIM_MAX } } } },
  }, async (request) => ({ data: await service.updateSettings(request.workspace!, adminOf(request), request.body) }));
}
