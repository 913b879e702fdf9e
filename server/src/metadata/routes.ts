import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RESULT_TYPES } from '@crm/metadata';
import { ifMatchOf } from '../http/if-match.js';
import { AppError } from '../errors/app-error.js';
import { pickLang } from '../errors/i18n.js';
import { loadWorkspace, requireRole } from '../workspaces/routes.js';
import { MetadataService } from './service.js';

const DESIGNERS = ['owner', 'admin', 'designer'] as const;
const MEMBERS = ['owner', 'admin', 'designer', 'member'] as const;


const actorOf = (request: FastifyRequest) => ({ userId: request.user!.id, ip: request.ip });

export async function metadataRoutes(app: FastifyInstance, opts: { metadata: MetadataService }) {
  const service = opts.metadata;
  app.addHook('preHandler', loadWorkspace);

  app.get('/api/w/:ws/meta', async (request) => {
    requireRole(request, MEMBERS);
    const meta = await service.published(request.workspace!);
    return { revision: meta.revision, documents: meta.documents };
  });

  app.get('/api/w/:ws/meta/draft', async (request) => {
    const ws = requireRole(request, DESIGNERS);
    return service.draft(ws);
  });

  app.put<{ Params: { ws: string; kind: string; id: string } }>('/api/w/:ws/meta/draft/:kind/:id', async (request, reply) => {
    const ws = requireRole(request, DESIGNERS);
    const ifMatch = ifMatchOf(request);
    const result = await service.saveDraft(ws, actorOf(request), request.params.kind, request.params.id, request.body, ifMatch);
    void reply.header('etag', `"${result.draftRevision}"`);
    return result;
  });

  app.delete<{ Params: { ws: string; kind: string; id: string } }>('/api/w/:ws/meta/draft/:kind/:id', async (request, reply) => {
    const ws = requireRole(request, DESIGNERS);
    const ifMatch = ifMatchOf(request);
    const result = await service.deleteDraft(ws, actorOf(request), request.params.kind, request.params.id, ifMatch);
    void reply.header('etag', `"${result.draftRevision}"`);
    return result;
  });

  app.post('/api/w/:ws/meta/plan', async (request) => {
    const ws = requireRole(request, DESIGNERS);
    return service.plan(ws, actorOf(request), pickLang(request.headers['accept-language']));
  });

  app.post<{ Body: { planId: string } }>(
    '/api/w/:ws/meta/publish',
    {
      schema: {
        body: { type: 'object', required: ['planId'], additionalProperties: false, properties: { planId: { type: 'string', format: 'uuid' } } },
      },
    },
    async (request) => {
      const ws = requireRole(request, DESIGNERS);
      return service.publish(ws, actorOf(request), request.body.planId, pickLang(request.headers['accept-language']));
    },
  );

  app.get<{ Params: { ws: string; revision: string } }>('/api/w/:ws/meta/revisions/:revision', async (request) => {
    const ws = requireRole(request, DESIGNERS);
    const n = Number(request.params.revision);
    if (!Number.isInteger(n) || n < 1) throw new AppError('CRM_ERR_NOT_FOUND');
    return { data: await service.revision(ws, n) };
  });

  app.post<{ Body: { revision: number } }>('/api/w/:ws/meta/draft/revert', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['revision'], properties: { revision: { type: 'integer', minimum: 1 } } } },
  }, async (request, reply) => {
    const ws = requireRole(request, DESIGNERS);
    const result = await service.revert(ws, actorOf(request), request.body.revision, ifMatchOf(request));
    void reply.header('etag', `"${result.draftRevision}"`);
    return result;
  });

  app.get<{ Params: { ws: string; id: string } }>('/api/w/:ws/meta/draft/pipeline/:id/gate-findings', async (request) => {
    const ws = requireRole(request, DESIGNERS);
    return { data: await app.services.records.gateFindings({ ws, userId: request.user!.id }, request.params.id, (await service.draft(ws)).documents) };
  });

  app.post<{ Body: { entity: string; expression: unknown; resultType: string; scale?: number } }>('/api/w/:ws/meta/formula-preview', {
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['entity', 'expression', 'resultType'],
        properties: { entity: { type: 'string', maxLength: 40 }, expression: {}, resultType: { type: 'string', enum: [...RESULT_TYPES] }, scale: { type: 'integer', minimum: 0, maximum: 10 } },
      },
    },
  }, async (request) => {
    const ws = requireRole(request, DESIGNERS);
    const b = request.body;
    return app.services.records.formulaPreview({ ws, userId: request.user!.id }, b.entity, b.expression, b.resultType, b.scale);
  });

  app.get('/api/w/:ws/meta/revisions', async (request) => {
    const ws = requireRole(request, DESIGNERS);
    return { data: await service.revisions(ws) };
  });
}
