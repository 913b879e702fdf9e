import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { conditionHolds, type RecordEvent } from '@crm/automation';
import { ID_PATTERN, KEY_PATTERN, type Flow } from '@crm/metadata';
import { AppError } from '../../errors/app-error.js';
import { isUuid } from '../../infra/ids.js';
import type { WorkspaceContext } from '../../context.js';
import { accessPredicate, resolveAccess, scopeOf } from '../../records/access.js';
import { workspaceModel } from '../../records/model.js';
import { automationRuleSchema } from '../engine-ports.js';
import { triggerIs, type TriggerDeps, type TriggerOf } from './deps.js';
import { insertRuns } from './runs.js';

export const MAX_MANUAL_IDS = 200;

/** Who may press a flow's button: owners and admins, or members with one of its roles (any member when it names none). */
export function mayRun(ws: WorkspaceContext, t: TriggerOf<'manual'>): boolean {
  if (ws.role === 'owner' || ws.role === 'admin' || !t.roles?.length) return true;
  return t.roles.some((r) => ws.roleKeys.includes(r));
}

const runBody = {
  type: 'object',
  additionalProperties: false,
  required: ['entity', 'ids'],
  properties: {
    entity: { type: 'string', pattern: KEY_PATTERN },
    ids: { type: 'array', minItems: 1, maxItems: MAX_MANUAL_IDS, items: { type: 'string', minLength: 1, maxLength: 64 } },
  },
} as const;

const flowIdOk = (id: string) => new RegExp(ID_PATTERN).test(id);

/**
 * Manual buttons.
 *
 * `POST /api/w/:ws/automation/flows/:flowId/run {entity, ids}`: the flow must
 * be published, enabled, with a `manual` trigger on `entity` (else 404); the
 * caller must hold one of its roles (403 `CRM_ERR_FLOW_NOT_ALLOWED`) and be
 * able to UPDATE every record named, checked in ONE statement with the same
 * predicates every records read and write uses: an id that is missing,
 * deleted or not readable by the caller refuses the whole request with 404,
 * exactly like a missing one (no per-id timing); a readable record the caller
 * may not update refuses it with 403. Nothing is created then (all or
 * nothing, SECURITY-CASES 8 and 10). Each record whose trigger condition
 * holds gets a run (`triggered_by` = the caller; the run acts with the flow
 * owner's rights, as every run does); the others come back in `skipped`.
 *
 * `GET /api/w/:ws/automation/buttons?entity=` lists the buttons the caller
 * may press on that entity.
 */
export function manualRoutes(deps: TriggerDeps) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { ws: string; flowId: string }; Body: { entity: string; ids: string[] } }>(
      '/api/w/:ws/automation/flows/:flowId/run', { schema: { body: runBody } }, async (request, reply) => {
        const ws = request.workspace!;
        const userId = request.user!.id;
        const { entity } = request.body;
        const ids = [...new Set(request.body.ids)];
        if (!flowIdOk(request.params.flowId)) throw new AppError('CRM_ERR_NOT_FOUND');
        const meta = await deps.published(ws);
        const flow = (await deps.flows.at(ws.id, meta.revision)).get(request.params.flowId);
        if (!flow?.enabled || !triggerIs(flow, 'manual') || flow.trigger.entity !== entity) throw new AppError('CRM_ERR_NOT_FOUND');
        if (!mayRun(ws, flow.trigger)) throw new AppError('CRM_ERR_FLOW_NOT_ALLOWED');
        const model = workspaceModel(meta);
        const m = model.entities.get(entity);
        if (!m) throw new AppError('CRM_ERR_NOT_FOUND');

        // One statement for every id: what exists (live), what the caller can read, what they can update.
        const access = resolveAccess(ws, userId, model);
        const valid = ids.filter(isUuid);
        const { rows } = valid.length === ids.length ? await sql<{ id: string; can_read: boolean; can_update: boolean }>`
          select t.id::text as id, ${accessPredicate(model, access, m, 'read', ws.schemaName, 't')} as can_read,
            ${accessPredicate(model, access, m, 'update', ws.schemaName, 't')} as can_update
          from ${sql.table(`${ws.schemaName}.${m.table}`)} as t where t.id = any(${valid}::uuid[]) and t.deleted_at is null`.execute(deps.db) : { rows: [] };
        const readable = rows.filter((r) => r.can_read);
        if (readable.length !== ids.length) throw new AppError('CRM_ERR_NOT_FOUND');
        if (readable.some((r) => !r.can_update)) throw new AppError('CRM_ERR_FORBIDDEN');

        const now = deps.clock.now();
        const records = await deps.records.rowsForAutomation(ws, entity, ids);
        const ctx = { now, timeZone: ws.settings.timeZone, ruleSchema: (e: string) => automationRuleSchema(meta, e) };
        const start: string[] = [];
        const skipped: { recordId: string; reason: string }[] = [];
        for (const id of ids) {
          const record = records.find((r) => r.id === id)!;
          const event: RecordEvent = { kind: 'updated', entity, recordId: id, record, previous: {}, changed: [], userId, chain: [] };
          if (conditionHolds(flow.trigger.condition, event, ctx)) start.push(id);
          else skipped.push({ recordId: id, reason: 'condition_false' });
        }
        const made = await deps.db.transaction().execute((tx) => insertRuns(tx, ws.id, meta.revision, now, start.map((id) => ({
          flowId: flow.id, entity, recordId: id, triggeredBy: userId, trigger: { event: 'manual', by: userId },
        })), deps.enqueue));
        return reply.status(202).send({ data: { runs: made.map((r, i) => ({ recordId: start[i]!, runId: r.id })), skipped } });
      });

    app.get<{ Params: { ws: string }; Querystring: Record<string, unknown> }>('/api/w/:ws/automation/buttons', async (request) => {
      const q = request.query;
      const bad = Object.keys(q).filter((k) => k !== 'entity');
      if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
      if (typeof q.entity !== 'string' || !new RegExp(KEY_PATTERN).test(q.entity)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'entity' });
      return { data: await buttonsFor(deps, request, q.entity) };
    });
  };
}

async function buttonsFor(deps: TriggerDeps, request: FastifyRequest, entity: string) {
  const ws = request.workspace!;
  const meta = await deps.published(ws);
  const model = workspaceModel(meta);
  const m = model.entities.get(entity);
  if (!m) return [];
  // Nobody sees a button for records they can never update (child entities follow their parent's rights).
  const access = resolveAccess(ws, request.user!.id, model);
  if (!m.entity.parentField && scopeOf(access, m.entity.key, 'update') === 'none') return [];
  const flows = [...(await deps.flows.at(ws.id, meta.revision)).values()]
    .filter((f): f is Flow & { trigger: TriggerOf<'manual'> } => f.enabled && triggerIs(f, 'manual') && f.trigger.entity === entity && mayRun(ws, f.trigger));
  return flows.map((f) => ({
    flow: f.id, label: f.label, button: f.trigger.button, ...(f.description ? { description: f.description } : {}), conditional: f.trigger.condition !== undefined,
  }));
}
