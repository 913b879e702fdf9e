import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { ID_PATTERN } from '@crm/metadata';
import { digest } from '../../auth/sessions.js';
import { AppError } from '../../errors/app-error.js';
import { isUuid, uuidv7 } from '../../infra/ids.js';
import { requireRole } from '../../workspaces/routes.js';
import { publishedFlow, type TriggerDeps } from './deps.js';
import { insertRuns } from './runs.js';

/**
 * Inbound webhooks: `POST /api/hooks/:ws/:flowId`.
 *
 * Keys: per flow, made by a designer (`POST /api/w/:ws/automation/flows/:flowId/webhook-keys`),
 * shown once, stored as a SHA-256 hash only, revocable. Not personal API
 * tokens: a key placed in a third-party form tool can start ONE flow and
 * nothing else (a leaked personal token would be its owner's whole API).
 * `Authorization: Bearer crm_whk_...`.
 *
 * The route is public (no session), and exactly this route: the key is
 * checked in its own `onRequest` hook, nothing keys off a path prefix, and
 * the router matches strictly (case, trailing slash, `//`, `..` and encoded
 * slashes find no route: 404). Order: path parameters (malformed: 404), key
 * (401 `CRM_ERR_WEBHOOK_UNAUTHORIZED`, before the body is read), rate limit
 * per flow (429 with `Retry-After`, counted in PostgreSQL so every server
 * process shares it), flow published, enabled, webhook-triggered (404), body
 * (JSON object, at most 256 KB: 413).
 *
 * Idempotency (SECURITY-CASES 41): `Idempotency-Key` header, else the body's
 * `id`: the run's dedupe key `webhook:<flow>:<key>` is unique per workspace,
 * so the same key twice makes ONE run; the first answer is 202, a repeat 200,
 * both with that run's id. The payload is the run's `trigger` (steps read
 * `trigger.email` ...); the run acts with the flow owner's rights, as every
 * run does, and a flow whose trigger names an entity creates its record with
 * a `create_record` step.
 */

export const WEBHOOK_KEY_PREFIX = 'crm_whk_';
export const WEBHOOK_MAX_BYTES = 256 * 1024;
const SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;
const FLOW_ID = new RegExp(ID_PATTERN);
const BEARER = /^Bearer (crm_whk_[A-Za-z0-9_-]{43})$/;
const IDEMPOTENCY = /^[\x21-\x7e]{1,200}$/;
const DESIGNERS = ['owner', 'admin', 'designer'] as const;

interface Hooked { workspaceId: string; flowId: string; entity: string | null; revision: number }
const hooked = new WeakMap<FastifyRequest, Hooked>();

/** Counts a call in the flow's current minute; past the limit, 429 with the seconds to the next minute. */
async function rateLimit(deps: TriggerDeps, workspaceId: string, flowId: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const windowStart = new Date(Math.floor(now / 60_000) * 60_000);
  const { rows } = await sql<{ hits: number }>`insert into crm.automation_webhook_rate (workspace_id, flow_id, window_start, hits)
    values (${workspaceId}::uuid, ${flowId}, ${windowStart}, 1)
    on conflict (workspace_id, flow_id, window_start) do update set hits = crm.automation_webhook_rate.hits + 1
    returning hits`.execute(deps.db);
  // The first call of a minute clears the flow's windows older than an hour, so the table stays small.
  if (rows[0]!.hits === 1) {
    await sql`delete from crm.automation_webhook_rate where workspace_id = ${workspaceId}::uuid and flow_id = ${flowId}
      and window_start < ${new Date(windowStart.getTime() - 3_600_000)}`.execute(deps.db);
  }
  if (rows[0]!.hits > deps.webhookRatePerMinute) {
    const wait = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now) / 1000));
    throw new AppError('CRM_ERR_RATE_LIMITED', {}, [], {}, { 'retry-after': String(wait) });
  }
}

function idempotencyKey(request: FastifyRequest, body: Record<string, unknown>): string | undefined {
  const h = request.headers['idempotency-key'];
  if (h !== undefined) {
    if (typeof h !== 'string' || !IDEMPOTENCY.test(h)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'Idempotency-Key must be 1 to 200 visible ASCII characters' });
    return h;
  }
  const id = body.id;
  if (typeof id === 'string' && id.length > 0 && id.length <= 200) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

export function webhookRoutes(deps: TriggerDeps) {
  return async (app: FastifyInstance) => {
    const authenticate = async (request: FastifyRequest<{ Params: { ws: string; flowId: string } }>) => {
      const { ws, flowId } = request.params;
      if (!SLUG.test(ws) || !FLOW_ID.test(flowId)) throw new AppError('CRM_ERR_NOT_FOUND');
      const h = request.headers.authorization;
      const token = typeof h === 'string' ? BEARER.exec(h)?.[1] : undefined;
      if (!token) throw new AppError('CRM_ERR_WEBHOOK_UNAUTHORIZED');
      const key = await deps.db.selectFrom('crm.automation_webhook_keys as k').innerJoin('crm.workspaces as w', 'w.id', 'k.workspace_id')
        .select(['k.id', 'k.workspace_id']).where('k.key_hash', '=', digest(token)).where('k.revoked_at', 'is', null)
        .where('w.slug', '=', ws).where('k.flow_id', '=', flowId).executeTakeFirst();
      if (!key) throw new AppError('CRM_ERR_WEBHOOK_UNAUTHORIZED');
      await rateLimit(deps, key.workspace_id as string, flowId);
      const found = await publishedFlow(deps, { id: key.workspace_id as string }, flowId, 'webhook');
      if (!found) throw new AppError('CRM_ERR_NOT_FOUND');
      await deps.db.updateTable('crm.automation_webhook_keys').set({ last_used_at: deps.clock.now() }).where('id', '=', key.id).execute();
      hooked.set(request, { workspaceId: key.workspace_id as string, flowId, entity: found.flow.trigger.entity ?? null, revision: found.meta.revision });
    };

    app.post<{ Params: { ws: string; flowId: string }; Body: unknown }>('/api/hooks/:ws/:flowId', { bodyLimit: WEBHOOK_MAX_BYTES, onRequest: authenticate },
      async (request, reply: FastifyReply) => {
        const at = hooked.get(request);
        if (!at) throw new AppError('CRM_ERR_WEBHOOK_UNAUTHORIZED');
        const body = request.body;
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'the body must be a JSON object' });
        const payload = body as Record<string, unknown>;
        const key = idempotencyKey(request, payload);
        const now = deps.clock.now();
        const [run] = await deps.db.transaction().execute((tx) => insertRuns(tx, at.workspaceId, at.revision, now, [{
          flowId: at.flowId, entity: at.entity, recordId: null, triggeredBy: null, trigger: payload,
          dedupeKey: key === undefined ? null : `webhook:${at.flowId}:${key}`,
        }], deps.enqueue));
        return reply.status(run!.created ? 202 : 200).send({ data: { runId: run!.id, replayed: !run!.created } });
      });
  };
}

/** Designers make, list and revoke a flow's webhook keys (`/api/w/:ws/automation/flows/:flowId/webhook-keys`). */
export function webhookKeyRoutes(deps: TriggerDeps) {
  return async (app: FastifyInstance) => {
    type P = { ws: string; flowId: string; keyId: string };
    const flowOf = async (request: FastifyRequest<{ Params: Omit<P, 'keyId'> }>) => {
      const ws = requireRole(request, DESIGNERS);
      if (!FLOW_ID.test(request.params.flowId) || !(await publishedFlow(deps, ws, request.params.flowId, 'webhook'))) throw new AppError('CRM_ERR_NOT_FOUND');
      return ws;
    };

    app.post<{ Params: Omit<P, 'keyId'>; Body: { name?: string } }>('/api/w/:ws/automation/flows/:flowId/webhook-keys', {
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } } },
    }, async (request, reply) => {
      const ws = await flowOf(request);
      const token = `${WEBHOOK_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const id = uuidv7(deps.clock.now().getTime());
      const name = request.body.name ?? 'webhook';
      await deps.db.insertInto('crm.automation_webhook_keys').values({
        id, workspace_id: ws.id, flow_id: request.params.flowId, name, key_hash: digest(token), prefix: token.slice(0, 12),
        created_by: request.user!.id, created_at: deps.clock.now(),
      }).execute();
      return reply.status(201).send({ data: { id, name, key: token, url: `/api/hooks/${ws.slug}/${request.params.flowId}` } });
    });

    app.get<{ Params: Omit<P, 'keyId'> }>('/api/w/:ws/automation/flows/:flowId/webhook-keys', async (request) => {
      const ws = await flowOf(request);
      const rows = await deps.db.selectFrom('crm.automation_webhook_keys').select(['id', 'name', 'prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
        .where('workspace_id', '=', ws.id).where('flow_id', '=', request.params.flowId).orderBy('created_at', 'desc').execute();
      return {
        data: rows.map((r) => ({
          id: r.id, name: r.name, prefix: r.prefix, createdBy: r.created_by, createdAt: (r.created_at as Date).toISOString(),
          lastUsedAt: (r.last_used_at as Date | null)?.toISOString() ?? null, revokedAt: (r.revoked_at as Date | null)?.toISOString() ?? null,
        })),
      };
    });

    app.delete<{ Params: P }>('/api/w/:ws/automation/flows/:flowId/webhook-keys/:keyId', async (request, reply) => {
      const ws = requireRole(request, DESIGNERS);
      if (!isUuid(request.params.keyId)) throw new AppError('CRM_ERR_NOT_FOUND');
      const res = await deps.db.updateTable('crm.automation_webhook_keys').set({ revoked_at: deps.clock.now() })
        .where('id', '=', request.params.keyId).where('workspace_id', '=', ws.id).where('flow_id', '=', request.params.flowId)
        .where('revoked_at', 'is', null).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw new AppError('CRM_ERR_NOT_FOUND');
      return reply.status(204).send();
    });
  };
}
