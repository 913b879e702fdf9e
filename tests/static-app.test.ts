import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticApp } from '@crm/server';

/** The built apps: hashed assets cached for a year and sent gzipped to browsers that accept it, pages never cached, a strict CSP, nothing outside the folder. */
describe('static app serving', () => {
  const app = Fastify();
  const js = `console.log(${JSON.stringify('张伟科技 '.repeat(500))});`;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), js);
    writeFileSync(join(dir, '..', 'secret.txt'), 'no');
    await app.register(staticApp, { mount: '/app', dir });
  });
  afterAll(async () => { await app.close(); });

  it('sends hashed assets gzipped when asked, and plain otherwise', async () => {
    const gz = await app.inject({ method: 'GET', url: '/app/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toContain('immutable');
    expect(gz.rawPayload.length).toBeLessThan(Buffer.byteLength(js) / 10);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js);
    const plain = await app.inject({ method: 'GET', url: '/app/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
  });

  it('answers every other path with the page, uncached and under the CSP, and never serves outside the folder', async () => {
    const page = await app.inject({ method: 'GET', url: '/app/demo/accounts/123', headers: { 'accept-encoding': 'gzip' } });
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await app.inject({ method: 'GET', url: '/app/assets/..%2F..%2Fsecret.txt' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/app/assets/missing.js' })).statusCode).toBe(404);
  });
});
