import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { setUpSales, type Persona, type SalesWorld } from './support/sales-fixture.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');

describe('files', () => {
  let t: TestApp;
  let w: SalesWorld;
  const upload = (who: Persona, name: string, bytes: Buffer, type = 'application/octet-stream') =>
    t.app.inject({ method: 'POST', url: `/api/w/${t.slug}/files?name=${encodeURIComponent(name)}`, payload: bytes, headers: { cookie: who.cookie, 'content-type': type } });
  const download = (who: Persona, id: string) => t.app.inject({ method: 'GET', url: `/api/w/${t.slug}/files/${id}`, headers: { cookie: who.cookie } });

  beforeAll(async () => {
    t = await startTestApp();
    w = await setUpSales(t);
  });
  afterAll(async () => { await t.close(); });

  it('stores a file by its real type and serves it with safe headers', async () => {
    const res = await upload(w.repA, '合同 2026.pdf', PDF);
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json().data;
    expect(file).toMatchObject({ name: '合同 2026.pdf', size: PDF.length, mime: 'application/pdf' });
    const got = await download(w.repA, file.id);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect(got.headers['content-disposition']).toMatch(/^attachment; .*filename\*=UTF-8''%E5%90%88%E5%90%8C%202026\.pdf$/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const img = (await upload(w.repA, 'logo.png', PNG)).json().data;
    expect((await download(w.repA, img.id)).headers['content-disposition']).toMatch(/^inline;/);
  });

  it('refuses types by their bytes, whatever the name or Content-Type says', async () => {
    const html = await upload(w.repA, 'photo.png', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(html.statusCode).toBe(415);
    expect(html.json().code).toBe('CRM_ERR_UNSUPPORTED_FILE');
    expect((await upload(w.repA, 'setup.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]))).statusCode).toBe(415);
    expect((await upload(w.repA, 'notes.txt', Buffer.from('<svg onload=alert(1)>'))).statusCode).toBe(415);
    expect((await upload(w.repA, 'list.csv', Buffer.from('名称,金额\n星辰,100\n'))).statusCode).toBe(201);
  });

  it('refuses files over the size limit with 413', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024)]);
    const res = await upload(w.repA, 'big.pdf', big);
    expect(res.statusCode).toBe(413);
  });

  it('attaches stored files to records, trusting only the stored name and size, and shows them to readers of the record', async () => {
    const file = (await upload(w.repA, '报价.pdf', PDF)).json().data;
    const acc = await t.app.inject({
      method: 'POST', url: `/api/w/${t.slug}/records/accounts`, headers: { cookie: w.repA.cookie },
      payload: { name: '附件客户', attachments: [{ id: file.id, name: 'evil.exe', size: 1, mime: 'application/x-msdownload' }] },
    });
    expect(acc.statusCode, acc.body).toBe(201);
    expect(acc.json().data.attachments).toEqual([{ id: file.id, name: '报价.pdf', size: PDF.length, mime: 'application/pdf' }]);
    // The manager reads the account, so the file; rep C does not.
    expect((await download(w.managerA, file.id)).statusCode).toBe(200);
    expect((await download(w.repC, file.id)).statusCode).toBe(404);
    const unknown = await t.app.inject({
      method: 'POST', url: `/api/w/${t.slug}/records/accounts`, headers: { cookie: w.repA.cookie },
      payload: { name: '假附件', attachments: [{ id: '0190a1b2-0000-7000-8000-000000000009', name: 'x.pdf', size: 1, mime: 'application/pdf' }] },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().details[0]).toMatchObject({ pointer: '/attachments', code: 'RECORD_RELATION_NOT_FOUND' });
  });
});
