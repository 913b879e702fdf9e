/** A run as `GET /automation/runs` answers it (docs/api.md "Automations"). */
export interface Run {
  id: string;
  flow: string;
  revision: number;
  status: RunStatus;
  entity: string | null;
  recordId: string | null;
  trigger: { event?: string; changed?: string[]; previous?: Record<string, unknown> } | null;
  triggeredBy: string | null;
  chain: string[];
  attempts: number;
  error: { code?: string; message?: string; [k: string]: unknown } | null;
  failedStep: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  wakeAt: string | null;
}
export type RunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'stopped' | 'failed';

export interface RunStep {
  key: string;
  kind: string;
  status: string;
  input: unknown;
  output: unknown;
  error: { code?: string; message?: string; [k: string]: unknown } | null;
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}
export type RunDetail = Run & { steps: RunStep[] };

/** Status names and colours (antd Tag colours), runs and steps alike. */
export const STATUS_LABELS: Record<string, [string, string, string]> = {
  queued: ['排队中', 'queued', 'default'], running: ['运行中', 'running', 'processing'], waiting: ['等待中', 'waiting', 'gold'],
  completed: ['已完成', 'completed', 'success'], stopped: ['已停止', 'stopped', 'default'], failed: ['失败', 'failed', 'error'],
  done: ['完成', 'done', 'success'], claimed: ['执行中', 'running', 'processing'], skipped_wait: ['跳过等待', 'wait skipped', 'gold'],
};

/** "820 ms", "3.2 s", "2 min 5 s". */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The run's duration from start to finish (or to now while it runs). */
export const runDuration = (r: Pick<Run, 'startedAt' | 'finishedAt'>, now = Date.now()): number | null =>
  r.startedAt ? (r.finishedAt ? Date.parse(r.finishedAt) : now) - Date.parse(r.startedAt) : null;

/** Where a run's record opens in the app. */
export const recordHref = (ws: string, r: Pick<Run, 'entity' | 'recordId'>): string | null =>
  r.entity && r.recordId ? `/app/${encodeURIComponent(ws)}/${encodeURIComponent(r.entity)}/${encodeURIComponent(r.recordId)}` : null;

/** The run list's query: `?flow=&status=&limit=&cursor=` with what is set. */
export function runsQuery(q: { flow?: string; status?: RunStatus; limit?: number; cursor?: string | null }): string {
  const params = new URLSearchParams();
  if (q.flow) params.set('flow', q.flow);
  if (q.status) params.set('status', q.status);
  if (q.limit) params.set('limit', String(q.limit));
  if (q.cursor) params.set('cursor', q.cursor);
  const s = params.toString();
  return s ? `?${s}` : '';
}
