import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { uuidv7 } from '../infra/ids.js';
import { loadWorkspace } from '../workspaces/routes.js';
import { sniff } from './sniff.js';
import type { FileStore } from './store.js';

/** Names become a download name only: no path, no control characters, bounded. */
function cleanName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim() : '';
  if (!name || name.length > 255 || name === '.' || name === '..') throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'name' });
  return name;
}

export async function fileRoutes(app: FastifyInstance, opts: { store: FileStore; maxBytes: number }) {
  const db = app.services.database.db;
  const records = app.services.records;
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: opts.maxBytes }, (_req, body, done) => done(null, body));
  app.addHook('preHandler', loadWorkspace);

  app.post<{ Params: { ws: string }; Querystring: { name?: string } }>('/api/w/:ws/files', { bodyLimit: opts.maxBytes }, async (request, reply) => {
    const ws = request.workspace!;
    const name = cleanName(request.query.name);
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: 'send the file as application/octet-stream' });
    const type = sniff(bytes, name);
    if (!type) throw new AppError('CRM_ERR_UNSUPPORTED_FILE');
    const id = uuidv7();
    await opts.store.put(ws.id, id, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('crm.files').values({ id, workspace_id: ws.id, name, size: bytes.length, mime: type.mime, sha256, created_by: request.user!.id }).execute();
      await tx.insertInto('crm.audit_log').values({ workspace_id: ws.id, actor_id: request.user!.id, ip: request.ip, entity: 'file', record_id: id, action: 'file.upload', changes: JSON.stringify({ name, size: bytes.length, mime: type.mime, sha256 }) }).execute();
    });
    return reply.status(201).send({ data: { id, name, size: bytes.length, mime: type.mime } });
  });

  app.get<{ Params: { ws: string; id: string } }>('/api/w/:ws/files/:id', async (request, reply) => {
    const ws = request.workspace!;
    if (!/^[0-9a-f-]{36}$/.test(request.params.id)) throw new AppError('CRM_ERR_NOT_FOUND');
    const file = await db.selectFrom('crm.files').selectAll().where('workspace_id', '=', ws.id).where('id', '=', request.params.id).executeTakeFirst();
    if (!file) throw new AppError('CRM_ERR_NOT_FOUND');
    const visible = await records.fileVisible({ ws, userId: request.user!.id, ip: request.ip }, file.id, file.created_by);
    if (!visible) throw new AppError('CRM_ERR_NOT_FOUND');
    const image = String(file.mime).startsWith('image/');
    const encoded = encodeURIComponent(file.name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    void reply
      .header('content-type', file.mime)
      .header('content-length', String(file.size))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
      .header('content-disposition', `${image ? 'inline' : 'attachment'}; filename="${encoded}"; filename*=UTF-8''${encoded}`);
    return reply.send(opts.store.get(ws.id, file.id));
  });
}
