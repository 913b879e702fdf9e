import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { salesTeam } from './support/sales-team.js';
import { publishFlows, until } from './support/flows.js';

type Json = Record<string, any>;
const PROCESS = fileURLToPath(new URL('./support/automation-process.mjs', import.meta.url));

/**
 * kill -9 in the middle of a run (SECURITY-CASES 35): the effects before the
 * crash are not repeated, the one in flight is repeated with the same key
 * (so the receiver drops it), and the run finishes after a restart.
 */
describe('automations survive kill -9', () => {
  let t: TestApp;
  let smtp: SMTPServer;
  let smtpPort = 0;
  const messageIds: string[] = [];
  let hook: Server;
  let hookPort = 0;
  const keys: string[] = [];
  let worker: ChildProcess | undefined;
  let killOnRequest = true;

  const start = () => new Promise<ChildProcess>((resolve, reject) => {
    const child = fork(PROCESS, [], {
      env: { ...process.env, DB_URL: t.testDb.connectionString, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, ALLOW_HOSTS: `127.0.0.1:${hookPort}`, LEASE_MS: '1000', RECOVER_MS: '300' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url: `/api/w/${t.slug}${url}`, payload: payload as object, headers: { cookie: t.cookie } });

  beforeAll(async () => {
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'], disableReverseLookup: true, logger: false,
      onData: (stream, _session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => void simpleParser(Buffer.concat(chunks)).then((m) => { messageIds.push(m.messageId ?? ''); cb(); }, cb));
      },
    });
    smtp.on('error', () => {});
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    hook = createServer((req, res) => {
      keys.push(String(req.headers['idempotency-key']));
      // The receiver has acted on the request; the worker dies before it can record that.
      if (killOnRequest) { killOnRequest = false; worker?.kill('SIGKILL'); }
      res.end('{}');
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookPort = (hook.address() as AddressInfo).port;
    // This process serves the API only: the runs are the other process's.
    t = await startTestApp({ automation: { worker: false } });
    await salesTeam(t);
    await publishFlows(t, [{
      id: 'flw_crash', label: { en: 'Mail, webhook, update' },
      trigger: { kind: 'record', entity: 'leads', on: ['created'] },
      steps: [
        { id: 's_mail', kind: 'send_email', config: { to: [{ var: 'record.email' }], subject: '欢迎 {{record.name}}', body: '您好' } },
        { id: 's_hook', kind: 'http_request', config: { method: 'POST', url: `http://127.0.0.1:${hookPort}/erp`, body: { id: { var: 'record.id' } } } },
        { id: 's_update', kind: 'update_record', config: { values: { status: 'working' } } },
      ],
    }]);
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t?.close();
    await new Promise<void>((r) => hook.close(() => r()));
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  it('resumes the run after a restart; the mail and the webhook each take effect once, the record is updated once', async () => {
    worker = await start();
    const died = new Promise<void>((r) => worker!.once('exit', () => r()));
    const lead = (await api('POST', '/records/leads', { name: '孙三', email: 'sun@example.com', status: 'new' })).json().data;
    await died;
    expect(keys).toHaveLength(1);
    const [run] = (await api('GET', '/automation/runs?flow=flw_crash')).json().data as Json[];
    expect(run!.status).toBe('running');

    worker = await start();
    const done = await until(async () => (await api('GET', `/automation/runs/${run!.id}`)).json().data as Json, (r) => r.status === 'completed', 20_000);
    await until(async () => messageIds.length, (n) => n >= 1, 10_000);

    // The webhook was sent twice with one key (the receiver keeps one effect); the mail has one Message-ID.
    expect(keys).toEqual([`${run!.id}.s_hook`, `${run!.id}.s_hook`]);
    const wsId = (await t.database.db.selectFrom('crm.workspaces').select('id').where('slug', '=', t.slug).executeTakeFirstOrThrow()).id;
    expect(new Set(messageIds)).toEqual(new Set([`<${run!.id}.s_mail@${wsId}>`]));
    expect(done.steps.map((s: Json) => [s.key, s.status])).toEqual([['s_mail', 'done'], ['s_hook', 'done'], ['s_update', 'done']]);
    expect(done.steps[1].attempts).toBe(2);
    const updates = await t.database.db.selectFrom('crm.audit_log').select('id').where('record_id', '=', lead.id).where('action', '=', 'record.update').execute();
    expect(updates).toHaveLength(1);
    expect((await api('GET', `/records/leads/${lead.id}`)).json().data.status).toBe('working');
    worker.kill('SIGTERM');
  });
});
