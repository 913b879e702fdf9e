import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { pickLang, type Lang } from '../errors/i18n.js';
import { loadWorkspace } from '../workspaces/routes.js';
import { BULK_MAX, runBulk, type BulkInput } from './bulk.js';
import { prepareExport } from './export-csv.js';
import type { Caller } from './service.js';
import { columnTotals } from './totals.js';

type P = { ws: string; entity: string };
type Q = Record<string, unknown>;

const caller = (request: FastifyRequest): Caller => ({ ws: request.workspace!, userId: request.user!.id, ip: request.ip });
const str = (v: unknown) => (typeof v === 'string' && v.length ? v : undefined);

function onlyParams(q: Q, allowed: readonly string[]) {
  const bad = Object.keys(q).filter((k) => !allowed.includes(k));
  if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
}

function filterOf(q: Q): unknown {
  const raw = str(q.filter);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'filter is not JSON' });
  }
}

/** The request's language; `?lang=` wins, because a download link cannot set Accept-Language. */
function langOf(request: FastifyRequest, q: Q): Lang {
  return q.lang === 'en' || q.lang === 'zh-CN' ? q.lang : pickLang(request.headers['accept-language']);
}

/**
 * Records endpoints that act on many records at once: bulk update / assign /
 * delete, the CSV export of a list, and kanban column totals. Each goes
 * through the RecordsService (its write path, its list, its read predicate).
 */
export async function bulkRoutes(app: FastifyInstance) {
  const { records, database, clock } = app.services;
  app.addHook('preHandler', loadWorkspace);

  app.post<{ Params: P; Body: BulkInput }>('/api/w/:ws/records/:entity/bulk', {
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['ids', 'action'],
        properties: {
          ids: { type: 'array', minItems: 1, maxItems: BULK_MAX, uniqueItems: true, items: { type: 'string', format: 'uuid' } },
          action: { type: 'string', enum: ['update', 'assign', 'delete'] },
          values: { type: 'object' },
          ownerId: { type: 'string', format: 'uuid' },
        },
      },
    },
  }, async (request) => {
    return runBulk({ records, db: database.db, clock, log: (err) => request.log.error({ err }, 'bulk write failed') },
      caller(request), request.params.entity, request.body, pickLang(request.headers['accept-language']));
  });

  app.get<{ Params: P; Querystring: Q }>('/api/w/:ws/records/:entity/export.csv', async (request, reply) => {
    const q = request.query;
    onlyParams(q, ['filter', 'sort', 'fields', 'q', 'lang']);
    const fields = str(q.fields)?.split(',').map((s) => s.trim()).filter(Boolean);
    const out = await prepareExport({ records, db: database.db, clock }, caller(request), request.params.entity,
      { filter: filterOf(q), sort: str(q.sort), fields, q: str(q.q) }, langOf(request, q));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', out.disposition)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('x-total-count', String(out.rows))
      .send(Readable.from(out.lines));
  });

  app.get<{ Params: P; Querystring: Q }>('/api/w/:ws/records/:entity/totals', async (request) => {
    const q = request.query;
    onlyParams(q, ['groupBy', 'sum', 'filter']);
    const groupBy = str(q.groupBy);
    if (!groupBy) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'groupBy is required' });
    return { data: await columnTotals(records, database.db, caller(request), request.params.entity, { groupBy, sum: str(q.sum), filter: filterOf(q) }) };
  });
}
