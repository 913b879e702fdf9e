import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { ifMatchOf } from '../http/if-match.js';
import { pickLang } from '../errors/i18n.js';
import { loadWorkspace } from '../workspaces/routes.js';
import type { Caller, ConvertInput, ListParams } from './service.js';

type P = { ws: string; entity: string; id: string };


const caller = (request: FastifyRequest): Caller => ({ ws: request.workspace!, userId: request.user!.id, ip: request.ip });
const list = (v: unknown) => (typeof v === 'string' && v.length ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

function listParams(q: Record<string, unknown>): ListParams {
  let filter: unknown;
  if (typeof q.filter === 'string') {
    try {
      filter = JSON.parse(q.filter);
    } catch {
      throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'filter is not JSON' });
    }
  } else if (q.filter !== undefined && typeof q.filter === 'object') filter = q.filter;
  const limit = q.limit === undefined ? undefined : Number(q.limit);
  if (limit !== undefined && !Number.isInteger(limit)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'limit' });
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    filter,
    sort: str(q.sort),
    limit,
    cursor: str(q.cursor),
    fields: Array.isArray(q.fields) ? (q.fields as string[]) : list(q.fields),
    expand: Array.isArray(q.expand) ? (q.expand as string[]) : list(q.expand),
    total: q.total === true || q.total === 'true',
    q: str(q.q),
  };
}

const QUERY_KEYS = new Set(['filter', 'sort', 'limit', 'cursor', 'fields', 'expand', 'total', 'q']);
function rejectUnknownParams(q: Record<string, unknown>) {
  const bad = Object.keys(q).filter((k) => !QUERY_KEYS.has(k));
  if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
}

const withEtag = (reply: FastifyReply, record: Record<string, unknown>) => reply.header('etag', `"${String(record.version)}"`);

/** The records API of CONVENTIONS.md §3; every call goes through the RecordsService. */
export async function recordRoutes(app: FastifyInstance) {
  const service = app.services.records;
  app.addHook('preHandler', loadWorkspace);

  app.get<{ Params: P; Querystring: Record<string, unknown> }>('/api/w/:ws/records/:entity', async (request) => {
    rejectUnknownParams(request.query);
    return service.list(caller(request), request.params.entity, listParams(request.query));
  });

  app.post<{ Params: P; Body: Record<string, unknown> }>('/api/w/:ws/records/:entity/query', async (request) => {
    const body = request.body ?? {};
    rejectUnknownParams(body);
    return service.list(caller(request), request.params.entity, listParams(body));
  });

  app.get('/api/w/:ws/navigation', async (request) => ({ data: await service.navigation(caller(request)) }));

  // Names of the workspace's members, for user fields and owners (no emails: a rep needs names, not contacts).
  app.get('/api/w/:ws/members', async (request) => {
    const rows = await app.services.database.db.selectFrom('crm.workspace_members as m').innerJoin('crm.users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.name', 'm.status']).where('m.workspace_id', '=', request.workspace!.id).orderBy('u.name').execute();
    return { data: rows };
  });

  app.get('/api/w/:ws/openapi.json', async (request) => service.openApi(caller(request), pickLang(request.headers['accept-language'])));

  app.get<{ Params: P }>('/api/w/:ws/recycle-bin/:entity', async (request) => {
    const q = request.query as Record<string, unknown>;
    rejectUnknownParams(q);
    return service.list(caller(request), request.params.entity, { ...listParams(q), deleted: true });
  });

  app.post<{ Params: P }>('/api/w/:ws/records/:entity', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key))) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'Idempotency-Key' });
    const { record, replayed } = await service.create(caller(request), request.params.entity, request.body, { idempotencyKey: key });
    withEtag(reply, record);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(replayed ? 200 : 201).send({ data: record });
  });

  app.post<{ Params: P; Body: { records?: unknown } }>('/api/w/:ws/records/:entity/batch', async (request, reply) => {
    const body = request.body;
    if (!body || typeof body !== 'object' || Object.keys(body).some((k) => k !== 'records')) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'body is {"records": [...]}' });
    const data = await service.batchCreate(caller(request), request.params.entity, body.records);
    return reply.status(201).send({ data });
  });

  app.get<{ Params: P; Querystring: { expand?: string } }>('/api/w/:ws/records/:entity/:id', async (request, reply) => {
    const data = await service.get(caller(request), request.params.entity, request.params.id, { expand: list(request.query.expand) });
    withEtag(reply, data);
    return { data };
  });

  app.patch<{ Params: P }>('/api/w/:ws/records/:entity/:id', async (request, reply) => {
    const version = ifMatchOf(request);
    const data = await service.update(caller(request), request.params.entity, request.params.id, request.body, version);
    withEtag(reply, data);
    return { data };
  });

  app.delete<{ Params: P }>('/api/w/:ws/records/:entity/:id', async (request, reply) => {
    const version = ifMatchOf(request);
    const data = await service.remove(caller(request), request.params.entity, request.params.id, version);
    withEtag(reply, data);
    return { data };
  });

  app.post<{ Params: P }>('/api/w/:ws/records/:entity/:id/restore', async (request, reply) => {
    const version = ifMatchOf(request);
    const data = await service.restore(caller(request), request.params.entity, request.params.id, version);
    withEtag(reply, data);
    return { data };
  });

  app.post<{ Params: P; Body: ConvertInput }>('/api/w/:ws/records/:entity/:id/convert', {
    schema: { body: { type: 'object', additionalProperties: false, properties: {
      accountId: { type: 'string', format: 'uuid' }, newAccount: { type: 'boolean' }, createOpportunity: { type: 'boolean' },
      account: { type: 'object' }, contact: { type: 'object' }, opportunity: { type: 'object' },
    } } },
  }, async (request) => {
    const version = ifMatchOf(request);
    return { data: await service.convert(caller(request), request.params.entity, request.params.id, request.body ?? {}, version) };
  });

  app.get<{ Params: P }>('/api/w/:ws/records/:entity/:id/history', async (request) => {
    return { data: await service.history(caller(request), request.params.entity, request.params.id) };
  });
}
