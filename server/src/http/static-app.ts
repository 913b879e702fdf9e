import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/**
 * Serves a built single-page app under `prefix` (hashed assets cached for a
 * year, every other path answers index.html), with a Content-Security-Policy
 * that allows no eval and no third-party origin.
 */
export async function staticApp(app: FastifyInstance, opts: { mount: string; dir: string }) {
  const root = normalize(opts.dir);
  const gzipped = new Map<string, Buffer>();
  const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
  if (opts.mount === '/app') app.get('/', async (_req, reply) => reply.redirect(`${opts.mount}/`));
  app.get(opts.mount, async (_req, reply) => reply.redirect(`${opts.mount}/`));
  const serve = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    if (!existsSync(join(root, 'index.html'))) {
      return reply.status(503).type('text/plain; charset=utf-8').send('The app is not built yet: run `npm start` (it builds the app).');
    }
    const rest = decodeURIComponent((request.params as { '*'?: string })['*'] ?? '');
    const file = normalize(join(root, rest));
    const inside = file.startsWith(root + sep);
    const asset = inside && rest.startsWith('assets/') && existsSync(file);
    if (rest.startsWith('assets/') && !asset) return reply.status(404).type('text/plain; charset=utf-8').send('not found');
    const path = asset ? file : join(root, 'index.html');
    void reply.header('content-security-policy', csp).header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin');
    void reply.header('cache-control', asset ? 'public, max-age=31536000, immutable' : 'no-cache');
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    // Hashed assets never change: compress each once and keep it (a phone on 4G feels every kilobyte).
    if (asset && COMPRESSIBLE.has(extname(path)) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      let body = gzipped.get(path);
      if (!body) gzipped.set(path, (body = gzipSync(await readFile(path), { level: 9 })));
      return reply.type(type).header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(body);
    }
    return reply.type(type).header('vary', 'accept-encoding').send(await readFile(path));
  };
  app.get(`${opts.mount}/*`, serve);
  app.get(`${opts.mount}/`, serve);
}
