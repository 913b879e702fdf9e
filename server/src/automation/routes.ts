import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { AppError } from '../errors/app-error.js';
import { isUuid } from '../infra/ids.js';
import { decodeTimeCursor, encodeTimeCursor } from '../infra/time-cursor.js';
import { loadWorkspace, requireRole } from '../workspaces/routes.js';
import { retryRun } from './runner.js';
import { enqueueRuns } from './queue.js';

/** Run logs hold record data of any entity and what was sent where: for the people who set automations up. */
const DESIGNERS = ['owner', 'admin', 'designer'] as const;
const STATUSES = ['queued', 'running', 'waiting', 'completed', 'stopped', 'failed'] as const;

interface RunRow {
  id: string; flow_id: string; revision: number; status: string; entity: string | null; record_id: string | null; trigger: unknown;
  triggered_by: string | null; acted_as: string | null; chain: string[]; attempts: number; error: unknown; failed_step: string | null;
  created_at: Date; started_at: Date | null; finished_at: Date | null; wake_at: Date | null;
}

const toWire = (r: RunRow) => ({
  id: r.id, flow: r.flow_id, revision: r.revision, status: r.status, entity: r.entity, recordId: r.record_id, trigger: r.trigger,
  triggeredBy: r.triggered_by, actedAs: r.acted_as, chain: r.chain, attempts: r.attempts, error: r.error, failedStep: r.failed_step,
  createdAt: r.created_at.toISOString(), startedAt: r.started_at?.toISOString() ?? null, finishedAt: r.finished_at?.toISOString() ?? null,
  wakeAt: r.wake_at?.toISOString() ?? null,
});

/**
 * Run history and the failed list: `GET /automation/runs` (filter by flow,
 * status, record), `GET /automation/runs/:id` (every step with its input,
 * output, error, attempts and duration), `POST /automation/runs/:id/retry`
 * (a failed run continues at the step that failed; done steps stay done).
 */
export async function automationRoutes(app: FastifyInstance) {
  const db = app.services.database.db;
  app.addHook('preHandler', loadWorkspace);
  app.addHook('preHandler', async (request) => {
    requireRole(request, DESIGNERS);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/api/w/:ws/automation/runs', async (request) => {
    const q = request.query;
    const bad = Object.keys(q).filter((k) => !['flow', 'status', 'entity', 'record', 'limit', 'cursor'].includes(k));
    if (bad.length) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `unknown parameters: ${bad.join(', ')}` });
    if (q.status !== undefined && !STATUSES.includes(q.status as never)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `status is one of ${STATUSES.join(', ')}` });
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'limit must be 1..200' });
    for (const k of ['flow', 'entity', 'record', 'cursor'] as const) if (q[k] !== undefined && typeof q[k] !== 'string') throw new AppError('CRM_ERR_BAD_REQUEST', { reason: k });
    const after = typeof q.cursor === 'string' ? decodeTimeCursor(q.cursor) : undefined;
    const { rows } = await sql<RunRow>`select * from crm.automation_runs where workspace_id = ${request.workspace!.id}::uuid
      ${q.flow ? sql`and flow_id = ${q.flow}` : sql``} ${q.status ? sql`and status = ${q.status}` : sql``}
      ${q.entity ? sql`and entity = ${q.entity}` : sql``} ${q.record ? sql`and record_id = ${q.record}` : sql``}
      ${after ? sql`and (created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by created_at desc, id desc limit ${limit + 1}`.execute(db);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(toWire), nextCursor: rows.length > limit && last ? encodeTimeCursor(last.created_at, last.id) : null };
  });

  app.get<{ Params: { ws: string; id: string } }>('/api/w/:ws/automation/runs/:id', async (request) => {
    if (!isUuid(request.params.id)) throw new AppError('CRM_ERR_NOT_FOUND');
    const run = await db.selectFrom('crm.automation_runs').selectAll().where('id', '=', request.params.id).where('workspace_id', '=', request.workspace!.id).executeTakeFirst();
    if (!run) throw new AppError('CRM_ERR_NOT_FOUND');
    const steps = await db.selectFrom('crm.automation_steps').selectAll().where('run_id', '=', run.id).orderBy('seq').execute();
    return {
      data: {
        ...toWire(run as RunRow),
        steps: steps.map((s) => ({
          key: s.key, kind: s.kind, status: s.status, input: s.input, output: s.output, error: s.error, attempts: s.attempts,
          startedAt: (s.started_at as Date).toISOString(), finishedAt: (s.finished_at as Date | null)?.toISOString() ?? null,
          durationMs: s.finished_at ? (s.finished_at as Date).getTime() - (s.started_at as Date).getTime() : null,
        })),
      },
    };
  });

  app.post<{ Params: { ws: string; id: string } }>('/api/w/:ws/automation/runs/:id/retry', async (request) => {
    if (!isUuid(request.params.id)) throw new AppError('CRM_ERR_NOT_FOUND');
    if (!(await retryRun(db, request.workspace!.id, request.params.id, enqueueRuns))) throw new AppError('CRM_ERR_NOT_FOUND');
    return { data: { id: request.params.id, status: 'queued' } };
  });
}
