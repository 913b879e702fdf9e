import http from 'node:http';
import net, { type LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, createSafeHttp, type Lookup } from '@crm/server';

/**
 * SECURITY-CASES case 20 and 21 against real loopback listeners. Names
 * "resolve" through an injected lookup; nothing leaves 127.0.0.1 / ::1, and
 * a tripwire on net.Socket#connect makes sure of it even if the client under
 * test were broken: a non-loopback destination is recorded and never dialled.
 */

// ---------------------------------------------------------------- tripwire

const leaks: string[] = [];
const isLoopback = (a: string) => /^127\./.test(a) || a === '::1' || /^::ffff:127\./.test(a);
type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const realConnect = net.Socket.prototype.connect as unknown as Connect;

function tripwire(this: net.Socket, ...args: unknown[]): net.Socket {
  const first = args[0];
  const opts = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; lookup?: LookupFunction } | undefined;
  if (opts && typeof opts === 'object' && !opts.path) {
    const host = opts.host ?? 'localhost';
    const refuse = (what: string) => {
      leaks.push(what);
      process.nextTick(() => this.destroy(new Error(`tripwire: ${what}`)));
      return this;
    };
    if (net.isIP(host)) {
      if (!isLoopback(host)) return refuse(host);
    } else {
      const inner = opts.lookup;
      if (!inner) return refuse(`${host} via the system resolver`);
      opts.lookup = (h, o, cb) =>
        inner(h, o, (err, address, family) => {
          const list = typeof address === 'string' ? [address] : (address ?? []).map((a) => a.address);
          const bad = err ? [] : list.filter((a) => !isLoopback(a));
          if (bad.length) {
            leaks.push(...bad);
            cb(new Error(`tripwire: ${bad.join(', ')}`), '', 0);
          } else {
            cb(err, address, family);
          }
        });
    }
  }
  return realConnect.apply(this, args);
}

// ---------------------------------------------------------------- listeners

interface Listener { server: http.Server; port: number; connections: number }

async function listen(handler: http.RequestListener, host = '127.0.0.1', port = 0): Promise<Listener> {
  const server = http.createServer(handler);
  const l: Listener = { server, port: 0, connections: 0 };
  server.on('connection', () => { l.connections++; });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  l.port = (server.address() as net.AddressInfo).port;
  return l;
}

const close = (l: Listener | undefined) =>
  l ? new Promise<void>((resolve) => { l.server.closeAllConnections(); l.server.close(() => resolve()); }) : Promise.resolve();

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the request to be refused');
}

const PUBLIC = '93.184.215.14';

describe('safe outbound HTTP', () => {
  let canary: Listener;
  let canary6: Listener | undefined;
  let receiver: Listener;
  let other: Listener;
  const hits: Record<string, number> = {};
  let bigSent: Promise<number>;
  let resolveBigSent: (n: number) => void = () => {};

  const answers: Record<string, string[]> = {
    'evil.example': ['127.0.0.1'],
    'ten.example': ['10.0.0.1'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'mixed.example': [PUBLIC, '127.0.0.1'],
    'meta.example': ['169.254.169.254'],
    'public.example': [PUBLIC],
    'receiver.test': ['127.0.0.1'],
    'other.test': ['127.0.0.1'],
  };
  const lookups: string[] = [];
  const lookup: Lookup = async (host) => {
    lookups.push(host);
    const found = answers[host];
    if (!found) throw Object.assign(new Error(`${host} is not a test host`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  beforeAll(async () => {
    net.Socket.prototype.connect = tripwire as unknown as typeof net.Socket.prototype.connect;
    canary = await listen((_req, res) => res.end('canary'));
    canary6 = await listen((_req, res) => res.end('canary'), '::1', canary.port).catch(() => undefined);
    other = await listen(echo);
    receiver = await listen((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits[path] = (hits[path] ?? 0) + 1;
      const redirect = (status: number, location: string) => res.writeHead(status, { location }).end('secret redirect body');
      switch (path) {
        case '/ok': return void res.end('hello');
        case '/echo': return echo(req, res);
        case '/to-private': return redirect(302, 'http://10.0.0.1/');
        case '/to-canary': return redirect(302, `http://127.0.0.1:${canary.port}/`);
        case '/to-evil': return redirect(302, `http://evil.example:${canary.port}/`);
        case '/to-file': return redirect(302, 'file:///etc/passwd');
        case '/to-creds': return redirect(302, `http://user:pw@receiver.test:${receiver.port}/echo`);
        case '/loop': return redirect(302, '/loop');
        case '/301': return redirect(301, '/echo');
        case '/302': return redirect(302, '/echo');
        case '/303': return redirect(303, '/echo');
        case '/307': return redirect(307, '/echo');
        case '/308': return redirect(308, '/echo');
        case '/cross': return redirect(302, `http://other.test:${other.port}/echo`);
        case '/hang': return; // never answers
        case '/declared-big': return void res.writeHead(200, { 'content-length': String(1e9) }).write('x');
        case '/big': {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(16 * 1024, 120);
          let sent = 0;
          const pump = () => {
            while (!res.destroyed && sent < 200e6) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('close', () => resolveBigSent(sent));
          return pump();
        }
        default: res.writeHead(404).end();
      }
    });
    bigSent = new Promise((resolve) => { resolveBigSent = resolve; });
  });

  afterAll(async () => {
    net.Socket.prototype.connect = realConnect as unknown as typeof net.Socket.prototype.connect;
    await Promise.all([close(canary), close(canary6), close(receiver), close(other)]);
  });

  function echo(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
  }

  const canaryConnections = () => canary.connections + (canary6?.connections ?? 0);

  it('has a working tripwire (so "no leaks" below means something)', async () => {
    const attempt = (options: http.RequestOptions) =>
      new Promise<string>((resolve) => {
        const req = http.request({ ...options, agent: false }, () => resolve('connected'));
        req.on('error', (e) => resolve(e.message));
        req.end();
      });
    expect(await attempt({ host: '10.0.0.1', port: 9 })).toMatch(/tripwire: 10\.0\.0\.1/);
    const lookupTo10: LookupFunction = (_h, o, cb) => (o.all ? cb(null, [{ address: '10.0.0.2', family: 4 }]) : cb(null, '10.0.0.2', 4));
    expect(await attempt({ host: 'x.example', port: 9, lookup: lookupTo10 })).toMatch(/tripwire: 10\.0\.0\.2/);
    expect(leaks.splice(0)).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  describe('case 20: the SSRF matrix', () => {
    const P = () => canary.port;
    const matrix: Array<[string, () => string, RegExp]> = [
      ['127.0.0.1', () => `http://127.0.0.1:${P()}/`, /127\.0\.0\.1 is loopback/],
      ['localhost', () => `http://localhost:${P()}/`, /localhost is loopback/],
      ['LOCALHOST. (case, trailing dot)', () => `http://LOCALHOST.:${P()}/`, /localhost is loopback/],
      ['a.localhost', () => `http://a.localhost:${P()}/`, /loopback by definition/],
      ['[::1]', () => `http://[::1]:${P()}/`, /::1 is loopback/],
      ['[::]', () => `http://[::]:${P()}/`, /:: is unspecified/],
      ['0.0.0.0', () => `http://0.0.0.0:${P()}/`, /0\.0\.0\.0 is unspecified/],
      ['10/8', () => `http://10.0.0.1:${P()}/`, /10\.0\.0\.1 is private/],
      ['172.16/12 (low end)', () => `http://172.16.0.1:${P()}/`, /private/],
      ['172.16/12 (high end)', () => `http://172.31.255.254:${P()}/`, /private/],
      ['192.168/16', () => `http://192.168.1.1:${P()}/`, /private/],
      ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is link-local/],
      ['100.64/10 (Alibaba metadata)', () => 'http://100.100.100.200/latest/meta-data/', /CGNAT/],
      ['metadata.google.internal', () => 'http://metadata.google.internal/computeMetadata/v1/', /metadata/],
      ['fd00::/8', () => `http://[fd00::1]:${P()}/`, /unique-local/],
      ['fd00:ec2::254 (AWS IPv6 metadata)', () => 'http://[fd00:ec2::254]/latest/meta-data/', /unique-local/],
      ['fe80::/10', () => `http://[fe80::1]:${P()}/`, /link-local/],
      ['::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${P()}/`, /IPv4-mapped IPv6 of 127\.0\.0\.1, which is loopback/],
      ['::ffff:7f00:1', () => `http://[::ffff:7f00:1]:${P()}/`, /IPv4-mapped/],
      ['::127.0.0.1 (IPv4-compatible)', () => `http://[::127.0.0.1]:${P()}/`, /IPv4-compatible/],
      ['64:ff9b::127.0.0.1 (NAT64)', () => `http://[64:ff9b::127.0.0.1]:${P()}/`, /NAT64 of 127\.0\.0\.1/],
      ['64:ff9b::10.0.0.1 (NAT64)', () => `http://[64:ff9b::10.0.0.1]:${P()}/`, /NAT64 of 10\.0\.0\.1/],
      ['2002:7f00:1:: (6to4)', () => `http://[2002:7f00:1::1]:${P()}/`, /6to4 of 127\.0\.0\.1/],
      ['2130706433', () => `http://2130706433:${P()}/`, /127\.0\.0\.1 is loopback/],
      ['0177.0.0.1', () => `http://0177.0.0.1:${P()}/`, /127\.0\.0\.1 is loopback/],
      ['0x7f.1', () => `http://0x7f.1:${P()}/`, /127\.0\.0\.1 is loopback/],
      ['0x7f000001', () => `http://0x7f000001:${P()}/`, /127\.0\.0\.1 is loopback/],
      ['127.1', () => `http://127.1:${P()}/`, /127\.0\.0\.1 is loopback/],
      ['224.0.0.1 (multicast)', () => `http://224.0.0.1:${P()}/`, /multicast/],
      ['255.255.255.255 (broadcast)', () => `http://255.255.255.255:${P()}/`, /broadcast/],
      ['https to loopback', () => `https://127.0.0.1:${P()}/`, /loopback/],
      ['a public name resolving to 127.0.0.1', () => `http://evil.example:${P()}/`, /evil\.example resolves to 127\.0\.0\.1, which is loopback/],
      ['a public name resolving to 10.0.0.1', () => `http://ten.example:${P()}/`, /resolves to 10\.0\.0\.1, which is private/],
      ['a public name resolving to ::ffff:127.0.0.1', () => `http://mapped.example:${P()}/`, /resolves to ::ffff:7f00:1, which is IPv4-mapped/],
      ['a public name with one private answer among public ones', () => `http://mixed.example:${P()}/`, /resolves to 127\.0\.0\.1/],
      ['a public name resolving to the metadata address', () => 'http://meta.example/', /169\.254\.169\.254, which is link-local/],
      ['file:', () => 'file:///etc/passwd', /scheme file:/],
      ['gopher:', () => `gopher://127.0.0.1:${P()}/_INFO`, /scheme gopher:/],
      ['ftp:', () => 'ftp://public.example/', /scheme ftp:/],
      ['dict:', () => `dict://127.0.0.1:${P()}/info`, /scheme dict:/],
      ['port 22', () => 'http://public.example:22/', /port 22/],
      ['port 25', () => 'http://public.example:25/', /port 25/],
      ['port 6379 (Redis)', () => 'http://public.example:6379/', /port 6379/],
      ['credentials in the URL', () => 'http://user:pass@public.example/', /credentials/],
      ['the @ trick', () => `http://receiver.test@127.0.0.1:${P()}/`, /credentials/],
    ];

    it.each(matrix)('refuses %s', async (_name, url, why) => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`] });
      const e = await refusal(client.request({ method: 'POST', url: url(), body: 'x' }));
      expect(e.code).toBe('CRM_ERR_SSRF_BLOCKED');
      expect(e.status).toBe(422);
      expect(String(e.params.reason)).toMatch(why);
      expect(e.body('en', {}).message).toMatch(/^Outbound request to .* refused: /);
      expect(canaryConnections()).toBe(0);
      expect(leaks).toEqual([]);
    });

    it('case 20, DNS rebinding: a name that was public when checked and is private at connect time is refused', async () => {
      let calls = 0;
      const rebinding: Lookup = async () => {
        calls++;
        return [{ address: calls === 1 ? PUBLIC : '127.0.0.1', family: 4 }];
      };
      const client = createSafeHttp({ lookup: rebinding });
      const url = `http://rebind.example:${canary.port}/`;
      // What a save-time validation would see (TTL 0: the next answer differs).
      expect(await client.check(url)).toEqual({ url, addresses: [PUBLIC] });
      const e = await refusal(client.request({ url }));
      expect(e.code).toBe('CRM_ERR_SSRF_BLOCKED');
      expect(String(e.params.reason)).toMatch(/rebind\.example resolves to 127\.0\.0\.1, which is loopback/);
      expect(calls).toBe(2); // the request resolved once, at connect time, and checked that answer
      await refusal(client.request({ url }));
      expect(calls).toBe(3); // nothing cached between requests
      expect(canaryConnections()).toBe(0);
    });

    it('case 20, 302 to private: an allowlisted server cannot redirect the client anywhere private', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`] });
      const base = `http://receiver.test:${receiver.port}`;
      for (const [path, why] of [
        ['/to-private', /^10\.0\.0\.1 is private \(RFC 1918\), after a redirect from http:\/\/receiver\.test:\d+\/to-private$/],
        ['/to-canary', /127\.0\.0\.1 is loopback, after a redirect from/],
        ['/to-evil', /evil\.example resolves to 127\.0\.0\.1/],
        ['/to-file', /scheme file:/],
        ['/to-creds', /credentials/],
      ] as const) {
        const e = await refusal(client.request({ url: base + path }));
        expect(e.code, path).toBe('CRM_ERR_SSRF_BLOCKED');
        expect(String(e.params.reason), path).toMatch(why);
        expect(JSON.stringify(e.body('en', {}))).not.toMatch(/secret/);
      }
      expect(canaryConnections()).toBe(0);
      expect(leaks).toEqual([]);
    });

    it('check() applies the same policy without connecting', async () => {
      const client = createSafeHttp({ lookup });
      expect(await client.check('https://public.example/hook')).toEqual({ url: 'https://public.example/hook', addresses: [PUBLIC] });
      expect((await refusal(client.check(`http://evil.example:${canary.port}/`))).code).toBe('CRM_ERR_SSRF_BLOCKED');
      expect((await refusal(client.check('http://0x7f.1/'))).code).toBe('CRM_ERR_SSRF_BLOCKED');
      expect(leaks).toEqual([]);
    });

    it('left the canary untouched: zero connections, nothing dialled beyond loopback', () => {
      expect(canaryConnections()).toBe(0);
      expect(leaks).toEqual([]);
    });
  });

  describe('allowlisted receivers', () => {
    it('reaches an allowlisted loopback receiver by name, resolving once', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`] });
      const before = lookups.length;
      const res = await client.request({ url: `http://receiver.test:${receiver.port}/ok` });
      expect(res.status).toBe(200);
      expect(res.body.toString('utf8')).toBe('hello');
      expect(res.url).toBe(`http://receiver.test:${receiver.port}/ok`);
      expect(lookups.slice(before)).toEqual(['receiver.test']);
    });

    it('reaches an allowlisted literal address, whatever form the URL writes it in', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`127.0.0.1:${receiver.port}`] });
      for (const host of ['127.0.0.1', '127.1', '2130706433']) {
        const res = await client.request({ url: `http://${host}:${receiver.port}/ok` });
        expect(res.body.toString('utf8'), host).toBe('hello');
      }
      // a bare host entry lets the host through on any allowed port; the port was the point here
      expect((await refusal(client.request({ url: `http://127.0.0.1:${canary.port}/` }))).code).toBe('CRM_ERR_SSRF_BLOCKED');
    });

    it('sends method, headers and body, and sets the framing itself', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`] });
      const res = await client.request({
        method: 'post',
        url: `http://receiver.test:${receiver.port}/echo?x=1`,
        headers: { 'Content-Type': 'application/json', 'X-Trace': 't1' },
        body: JSON.stringify({ 名字: '客户' }),
      });
      const echoed = JSON.parse(res.body.toString('utf8'));
      expect(echoed).toMatchObject({ method: 'POST', body: '{"名字":"客户"}' });
      expect(echoed.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 't1', host: `receiver.test:${receiver.port}` });
      expect(Number(echoed.headers['content-length'])).toBe(Buffer.byteLength('{"名字":"客户"}'));
    });

    it('refuses headers that are the client\'s to set, and header injection', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`] });
      const url = `http://receiver.test:${receiver.port}/echo`;
      const before = receiver.connections;
      const bad: Array<Record<string, string>> = [{ Host: 'other.test' }, { 'Content-Length': '1' }, { 'Transfer-Encoding': 'chunked' }, { 'X-A': 'a\r\nX-B: b' }, { 'Bad Name': 'x' }];
      for (const headers of bad) {
        expect((await refusal(client.request({ url, headers }))).code).toBe('CRM_ERR_BAD_REQUEST');
      }
      expect((await refusal(client.request({ url, method: 'TRACE' }))).code).toBe('CRM_ERR_BAD_REQUEST');
      expect((await refusal(client.request({ url, method: 'GET', body: 'x' }))).code).toBe('CRM_ERR_BAD_REQUEST');
      expect(receiver.connections).toBe(before);
    });
  });

  describe('redirects', () => {
    const client = () => createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`, `other.test:${other.port}`] });
    const url = (path: string) => `http://receiver.test:${receiver.port}${path}`;
    const post = (path: string, method = 'POST') =>
      client().request({ method, url: url(path), headers: { 'content-type': 'text/plain', authorization: 'Bearer s3cret', cookie: 'sid=1', 'x-trace': 't' }, body: 'payload' });
    const echoed = async (p: ReturnType<typeof post>) => {
      const res = await p;
      return { url: res.url, ...(JSON.parse(res.body.toString('utf8')) as { method: string; body: string; headers: Record<string, string> }) };
    };

    it('303, and 301/302 after POST, continue as GET without the body', async () => {
      for (const path of ['/303', '/302', '/301']) {
        const r = await echoed(post(path));
        expect(r, path).toMatchObject({ method: 'GET', body: '', url: url('/echo') });
        expect(r.headers['content-type'], path).toBeUndefined();
        expect(r.headers['content-length'], path).toBeUndefined();
      }
    });

    it('307 and 308 keep the method and the body; 302 keeps a PUT', async () => {
      for (const [path, method] of [['/307', 'POST'], ['/308', 'POST'], ['/302', 'PUT']] as const) {
        const r = await echoed(post(path, method));
        expect(r, path).toMatchObject({ method, body: 'payload' });
        expect(r.headers['content-type']).toBe('text/plain');
      }
    });

    it('keeps credentials on the same origin and drops them when the redirect leaves it', async () => {
      const same = await echoed(post('/307'));
      expect(same.headers).toMatchObject({ authorization: 'Bearer s3cret', cookie: 'sid=1', 'x-trace': 't' });
      const cross = await echoed(post('/cross'));
      expect(cross.url).toBe(`http://other.test:${other.port}/echo`);
      expect(cross.headers.authorization).toBeUndefined();
      expect(cross.headers.cookie).toBeUndefined();
      expect(cross.headers['x-trace']).toBe('t');
    });

    it('case 21: stops after maxRedirects hops', async () => {
      hits['/loop'] = 0;
      const e = await refusal(client().request({ url: url('/loop') }));
      expect(e.code).toBe('CRM_ERR_OUTBOUND_TOO_MANY_REDIRECTS');
      expect(e.params).toMatchObject({ max: 3 });
      expect(hits['/loop']).toBe(4);
      const none = await refusal(createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`], maxRedirects: 0 }).request({ url: url('/302') }));
      expect(none.code).toBe('CRM_ERR_OUTBOUND_TOO_MANY_REDIRECTS');
    });
  });

  describe('case 21: outbound limits', () => {
    it('times out against a server that never answers', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`], timeoutMs: 300 });
      const started = Date.now();
      const e = await refusal(client.request({ url: `http://receiver.test:${receiver.port}/hang` }));
      expect(e.code).toBe('CRM_ERR_OUTBOUND_TIMEOUT');
      expect(e.status).toBe(504);
      expect(e.params).toMatchObject({ ms: 300, target: `http://receiver.test:${receiver.port}/hang` });
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('times out while the name is still resolving, without connecting', async () => {
      const client = createSafeHttp({ lookup: () => new Promise(() => {}), timeoutMs: 200 });
      expect((await refusal(client.request({ url: 'http://slow.example/' }))).code).toBe('CRM_ERR_OUTBOUND_TIMEOUT');
      expect((await refusal(client.check('http://slow.example/'))).code).toBe('CRM_ERR_OUTBOUND_TIMEOUT');
    });

    it('closes the socket once a streamed response passes the size cap', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`], maxBytes: 100_000 });
      const e = await refusal(client.request({ url: `http://receiver.test:${receiver.port}/big` }));
      expect(e.code).toBe('CRM_ERR_OUTBOUND_RESPONSE_TOO_LARGE');
      expect(e.params).toMatchObject({ max: 100_000 });
      // The server notices the close long before it could send its 200 MB.
      expect(await bigSent).toBeLessThan(50e6);
    });

    it('refuses a declared Content-Length over the cap without reading', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`], maxBytes: 1000 });
      expect((await refusal(client.request({ url: `http://receiver.test:${receiver.port}/declared-big` }))).code).toBe('CRM_ERR_OUTBOUND_RESPONSE_TOO_LARGE');
    });

    it('refuses a request body over its cap before connecting', async () => {
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${receiver.port}`], maxRequestBytes: 16 });
      const before = receiver.connections;
      const e = await refusal(client.request({ method: 'POST', url: `http://receiver.test:${receiver.port}/echo`, body: 'x'.repeat(17) }));
      expect(e.code).toBe('CRM_ERR_OUTBOUND_REQUEST_TOO_LARGE');
      expect(e.status).toBe(413);
      expect(receiver.connections).toBe(before);
    });

    it('reports a refused connection as a failure to reach the host', async () => {
      const closed = await listen(() => {});
      const port = closed.port;
      await close(closed);
      const client = createSafeHttp({ lookup, allowHosts: [`receiver.test:${port}`] });
      const e = await refusal(client.request({ url: `http://receiver.test:${port}/` }));
      expect(e.code).toBe('CRM_ERR_OUTBOUND_FAILED');
      expect(e.params).toMatchObject({ reason: 'ECONNREFUSED' });
    });
  });

  it('never dialled anything but loopback in this file', () => {
    expect(leaks).toEqual([]);
    expect(canaryConnections()).toBe(0);
  });
});
