import { expect } from 'vitest';
import type { TestApp } from './app.js';

/**
 * Saves flow documents to the draft and publishes them with a plan, as the
 * designer does; fails the test on any finding. Unless `keepOthers`, every
 * other flow of the draft (the default CRM's own automations) is switched
 * off, so a test sees only the flows it is about.
 */
export async function publishFlows(t: TestApp, flows: Record<string, unknown>[], opts: { cookie?: string; keepOthers?: boolean } = {}): Promise<number> {
  const cookie = opts.cookie ?? t.cookie;
  const api = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie, ...headers } });
  const draft = (await api('GET', '/meta/draft')).json() as { draftRevision: number; documents: { kind: string; id: string; body: Record<string, unknown> }[] };
  let draftRevision = draft.draftRevision;
  const mine = new Set(flows.map((f) => String(f.id)));
  for (const d of opts.keepOthers ? [] : draft.documents.filter((x) => x.kind === 'flow' && !mine.has(x.id) && x.body.enabled)) {
    const res = await api('PUT', `/meta/draft/flow/${d.id}`, { ...d.body, enabled: false }, { 'if-match': `"${draftRevision}"` });
    expect(res.statusCode, res.body).toBe(200);
    draftRevision = res.json().draftRevision;
  }
  for (const f of flows) {
    const res = await api('PUT', `/meta/draft/flow/${String(f.id)}`, { schemaVersion: 1, enabled: true, ...f }, { 'if-match': `"${draftRevision}"` });
    expect(res.statusCode, res.body).toBe(200);
    draftRevision = res.json().draftRevision;
  }
  const plan = await api('POST', '/meta/plan');
  expect(plan.statusCode, plan.body).toBe(200);
  const pub = await api('POST', '/meta/publish', { planId: plan.json().planId });
  expect(pub.statusCode, pub.body).toBe(200);
  return pub.json().revision as number;
}

/** Waits until the condition holds (the worker runs on its own), failing after `ms`. */
export async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting; last value: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
