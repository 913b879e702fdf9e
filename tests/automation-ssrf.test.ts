import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { salesTeam, type Persona } from './support/sales-team.js';
import { publishFlows, until } from './support/flows.js';

type Json = Record<string, any>;

/**
 * SECURITY-CASES 20 through an automation's HTTP step: the URL comes from
 * record data, so whoever can type into a record can aim
 * it (here a contact's title). Every private, loopback, link-local, metadata or disguised address is
 * refused with ssrf_blocked in the run log, and a canary listening on
 * loopback receives no connection at all. Names resolve through an injected
 * lookup: no real DNS, no traffic beyond loopback.
 */
describe('automations: the SSRF matrix on the HTTP step', () => {
  let t: TestApp;
  let users: Record<string, Persona>;
  let canaryConnections = 0;
  const canary: Server = createServer((_q, s) => s.end('secret'));
  canary.on('connection', () => (canaryConnections += 1));
  let canaryPort = 0;
  // An allowed receiver that redirects to the canary (a hop must be checked again).
  const redirector: Server = createServer((_q, s) => s.writeHead(302, { location: `http://127.0.0.1:${canaryPort}/after-redirect` }).end());
  let redirectorPort = 0;
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown, cookie = t.cookie) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie } });

  beforeAll(async () => {
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    canaryPort = (canary.address() as AddressInfo).port;
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    redirectorPort = (redirector.address() as AddressInfo).port;
    const fakeDns: Record<string, string> = { 'evil.example': '127.0.0.1', 'intranet.example': '10.0.0.8', 'meta.example': '169.254.169.254', 'mapped.example': '::ffff:127.0.0.1' };
    t = await startTestApp({
      automation: {
        recoverEveryMs: 0,
        http: {
          allowHosts: [`127.0.0.1:${redirectorPort}`],
          lookup: async (host) => [{ address: fakeDns[host] ?? '203.0.113.7', family: (fakeDns[host] ?? '').includes(':') ? 6 : 4 }],
        },
      },
    });
    ({ users } = await salesTeam(t));
    await publishFlows(t, [{
      // A text field, not a url one: the url type would already refuse file: and gopher:, the HTTP client must on its own.
      id: 'flw_ping_site', label: { 'zh-CN': '探测联系人主页', en: 'Ping the contact page' },
      trigger: { kind: 'record', entity: 'contacts', on: ['created'] },
      steps: [{ id: 's_get', kind: 'http_request', config: { method: 'GET', url: '{{record.title}}' } }],
    }]);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => canary.close(() => r()));
    await new Promise<void>((r) => redirector.close(() => r()));
  });

  const targets = () => [
    `http://127.0.0.1:${canaryPort}/`, `http://localhost:${canaryPort}/`, `http://[::1]:${canaryPort}/`, 'http://0.0.0.0/',
    'http://10.1.2.3/', 'http://172.16.0.1/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/',
    `http://[::ffff:127.0.0.1]:${canaryPort}/`, `http://2130706433:${canaryPort}/`, `http://0177.0.0.1:${canaryPort}/`, `http://127.1:${canaryPort}/`,
    `http://evil.example:${canaryPort}/`, 'http://intranet.example/', 'http://meta.example/', `http://mapped.example:${canaryPort}/`,
    'http://metadata.google.internal/', `http://127.0.0.1:${redirectorPort}/go`, 'file:///etc/passwd', 'gopher://127.0.0.1:70/', 'http://public.example:22/',
  ];

  it('refuses every target with ssrf_blocked in the run log, and the canary hears nothing', async () => {
    const ids: string[] = [];
    for (const [i, website] of targets().entries()) {
      const res = await api('POST', '/records/contacts', { name: `探测 ${i}`, title: website }, users.zhang!.cookie);
      expect(res.statusCode, `${website}: ${res.body}`).toBe(201);
      ids.push(res.json().data.id);
    }
    const runs = await until(async () => (await api('GET', '/automation/runs?flow=flw_ping_site&limit=100')).json().data as Json[],
      (rs) => rs.length === ids.length && rs.every((r) => r.status === 'failed' || r.status === 'completed'), 20_000);
    const byRecord = new Map(runs.map((r) => [r.recordId, r]));
    const outcomes = targets().map((url, i) => [url, byRecord.get(ids[i])?.status, byRecord.get(ids[i])?.error?.code]);
    expect(outcomes).toEqual(targets().map((url) => [url, 'failed', 'CRM_ERR_SSRF_BLOCKED']));
    // The log says why, for the admin reading the failed list.
    const first = (await api('GET', `/automation/runs/${byRecord.get(ids[0])!.id}`)).json().data;
    expect(first.steps[0]).toMatchObject({ key: 's_get', status: 'failed', error: { code: 'CRM_ERR_SSRF_BLOCKED' } });
    expect(canaryConnections).toBe(0);
  });
});
