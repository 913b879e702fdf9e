/**
 * The one outbound HTTP client (SECURITY-CASES 2.2: Twenty guarded its HTTP
 * action but not its webhooks). Every outbound path of the product goes
 * through `createSafeHttp`, so the SSRF rules live in one place.
 *
 * node:http rather than fetch, because the address must be checked where the
 * socket connects: the request's `lookup` resolves the name, checks every
 * address and hands Node only checked ones. A check before the request and a
 * second resolution inside it would be a DNS-rebinding window.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { AppError } from '../errors/app-error.js';
import { classifyAddress } from './address-policy.js';
import { checkTarget, displayTarget, parseAllowHosts, type Target } from './url-policy.js';

export { classifyAddress } from './address-policy.js';
export { DENIED_PORTS, parseAllowEntry } from './url-policy.js';

export interface ResolvedAddress {
  address: string;
  family?: number;
}

/** Every address of a name. Tests inject one; nothing else should. */
export type Lookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemLookup: Lookup = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export interface SafeHttpOptions {
  /** Name resolution; default the system resolver (`dns.lookup`, all addresses). */
  lookup?: Lookup;
  /**
   * Exact hosts (`erp.corp`, `10.0.0.5`) or `host:port` pairs that may be
   * private. A host:port entry also lifts the port rule for that port.
   */
  allowHosts?: readonly string[];
  /** Replaces the default port rule (80, 443, 1024-65535 minus DENIED_PORTS). */
  allowedPorts?: readonly number[];
  /** For the whole exchange, redirects included. */
  timeoutMs?: number;
  /** Response body cap; the socket is closed as soon as it is passed. */
  maxBytes?: number;
  maxRequestBytes?: number;
  maxRedirects?: number;
}

export interface SafeRequest {
  method?: string;
  url: string | URL;
  headers?: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Raw bytes as sent: nothing is decompressed (so no decompression bomb either). */
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface SafeHttp {
  request(req: SafeRequest): Promise<SafeResponse>;
  /**
   * The same policy without connecting, for a save-time or "test this URL"
   * answer. Advisory only: `request` checks again on the address it connects to.
   */
  check(url: string | URL): Promise<{ url: string; addresses: string[] }>;
}

export const SAFE_HTTP_DEFAULTS = {
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
  maxRequestBytes: 1024 * 1024,
  maxRedirects: 3,
} as const;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
// Framing and routing are the client's: a caller-set Host or Content-Length
// could make the bytes on the wire disagree with what the policy checked.
const CLIENT_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-connection', 'expect', 'http2-settings']);
// What the fetch standard and curl drop when a redirect leaves the origin.
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

type Hop =
  | { status: number; headers: http.IncomingHttpHeaders; body: Buffer }
  | { status: number; location: string };

const errorCode = (e: unknown) =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'connection failed';

export function createSafeHttp(options: SafeHttpOptions = {}): SafeHttp {
  const lookup = options.lookup ?? systemLookup;
  const allow = parseAllowHosts(options.allowHosts);
  const timeoutMs = options.timeoutMs ?? SAFE_HTTP_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? SAFE_HTTP_DEFAULTS.maxBytes;
  const maxRequestBytes = options.maxRequestBytes ?? SAFE_HTTP_DEFAULTS.maxRequestBytes;
  const maxRedirects = options.maxRedirects ?? SAFE_HTTP_DEFAULTS.maxRedirects;

  const blocked = (target: URL | string, reason: string) =>
    new AppError('CRM_ERR_SSRF_BLOCKED', { target: displayTarget(target), reason });
  const failed = (t: Target, reason: string) => new AppError('CRM_ERR_OUTBOUND_FAILED', { target: displayTarget(t.url), reason });
  const timedOut = (t: Target) => new AppError('CRM_ERR_OUTBOUND_TIMEOUT', { target: displayTarget(t.url), ms: timeoutMs });

  function target(raw: string | URL, redirectedFrom?: URL): Target {
    const c = checkTarget(raw, allow, options.allowedPorts);
    if (c.ok) return c.target;
    throw blocked(raw, redirectedFrom ? `${c.reason}, after a redirect from ${displayTarget(redirectedFrom)}` : c.reason);
  }

  /** Resolves and checks every address: one private answer refuses the lot, whatever Node would try first. */
  async function resolve(t: Target): Promise<Array<{ address: string; family: 4 | 6 }>> {
    let answers: readonly ResolvedAddress[];
    try {
      answers = await lookup(t.host);
    } catch (e) {
      throw failed(t, errorCode(e));
    }
    if (!answers.length) throw failed(t, 'ENOTFOUND');
    return answers.map((a) => {
      const v = classifyAddress(a.address);
      if (v.allowed) return { address: v.address, family: v.family };
      if (!v.family) throw failed(t, `the resolver answered ${a.address}, not an IP address`);
      if (t.allowlisted) return { address: v.address, family: v.family };
      throw blocked(t.url, `${t.host} resolves to ${v.address}, which is ${v.label}`);
    });
  }

  /** What Node calls when it connects to a name: only checked addresses come back. */
  const connectLookup = (t: Target): LookupFunction => (_hostname, opts, callback) => {
    resolve(t).then(
      (addresses) => {
        const want = opts.family === 4 || opts.family === 'IPv4' ? 4 : opts.family === 6 || opts.family === 'IPv6' ? 6 : 0;
        const usable = want ? addresses.filter((a) => a.family === want) : addresses;
        const first = usable[0];
        if (!first) callback(failed(t, `no IPv${want} address`), '', 0);
        else if (opts.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (err: AppError) => callback(err, '', 0),
    );
  };

  function hop(t: Target, method: string, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal): Promise<Hop> {
    return new Promise<Hop>((resolveHop, reject) => {
      let done = false;
      const finish = (err: unknown, value?: Hop) => {
        if (done) return;
        done = true;
        if (err !== undefined) {
          req.destroy();
          reject(err instanceof AppError ? err : signal.aborted ? timedOut(t) : failed(t, errorCode(err)));
        } else {
          resolveHop(value!);
        }
      };
      const tooLarge = () => new AppError('CRM_ERR_OUTBOUND_RESPONSE_TOO_LARGE', { target: displayTarget(t.url), max: maxBytes });
      const secure = t.url.protocol === 'https:';
      let req: http.ClientRequest;
      try {
        req = (secure ? https : http).request({
          protocol: t.url.protocol,
          hostname: t.host,
          port: t.port,
          method,
          path: `${t.url.pathname}${t.url.search}`,
          headers: { ...headers, host: t.url.host, ...(body ? { 'content-length': String(body.length) } : {}) },
          // A pooled socket would skip the lookup, and pools are keyed without
          // the policy: one client's allowlisted connection must not serve another.
          agent: false,
          lookup: connectLookup(t),
          signal,
          ...(secure && !t.literal ? { servername: t.host } : {}),
        });
      } catch (e) {
        reject(failed(t, errorCode(e)));
        return;
      }
      req.on('error', (e) => finish(e));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location) {
          // Never read: a redirect's body is not the answer.
          finish(undefined, { status, location });
          res.destroy();
          req.destroy();
          return;
        }
        if (method !== 'HEAD' && Number(res.headers['content-length']) > maxBytes) return finish(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(tooLarge());
          else chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => finish(e));
        res.on('close', () => finish(Object.assign(new Error('closed early'), { code: 'ECONNRESET' })));
      });
      req.end(body);
    });
  }

  async function request(input: SafeRequest): Promise<SafeResponse> {
    let method = (input.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `method ${input.method} is not supported` });
    const headers = requestHeaders(input.headers);
    let body =
      input.body === undefined ? undefined
      : typeof input.body === 'string' ? Buffer.from(input.body, 'utf8')
      : Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
    if (body && body.length > maxRequestBytes) throw new AppError('CRM_ERR_OUTBOUND_REQUEST_TOO_LARGE', { max: maxRequestBytes });
    if (body && (method === 'GET' || method === 'HEAD')) throw new AppError('CRM_ERR_BAD_REQUEST', { reason: `a ${method} request has no body` });

    let t = target(input.url);
    const first = t.url;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      for (let redirects = 0; ; redirects++) {
        const res = await hop(t, method, headers, body, abort.signal);
        if (!('location' in res)) return { status: res.status, headers: res.headers, body: res.body, url: t.url.href };
        if (redirects >= maxRedirects) throw new AppError('CRM_ERR_OUTBOUND_TOO_MANY_REDIRECTS', { target: displayTarget(first), max: maxRedirects });
        let next: URL;
        try {
          next = new URL(res.location, t.url);
        } catch {
          throw blocked(t.url, 'it redirected to something that is not a URL');
        }
        const nextTarget = target(next, t.url);
        if (nextTarget.url.origin !== t.url.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
        if ((res.status === 303 && method !== 'HEAD') || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          for (const h of BODY_HEADERS) delete headers[h];
        }
        t = nextTarget;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async function check(raw: string | URL) {
    const t = target(raw);
    if (t.literal) return { url: t.url.href, addresses: [classifyAddress(t.host).address] };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timedOut(t)), timeoutMs);
    });
    try {
      const addresses = await Promise.race([resolve(t), late]);
      return { url: t.url.href, addresses: addresses.map((a) => a.address) };
    } finally {
      clearTimeout(timer);
    }
  }

  return { request, check };
}

function requestHeaders(given: Readonly<Record<string, string>> = {}): Record<string, string> {
  const bad = (reason: string) => new AppError('CRM_ERR_BAD_REQUEST', { reason });
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(given)) {
    const name = key.toLowerCase();
    if (!TOKEN.test(name)) throw bad(`header name ${JSON.stringify(key)} is not valid`);
    if (CLIENT_HEADERS.has(name)) throw bad(`header ${name} is set by the HTTP client`);
    if (typeof value !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(value)) throw bad(`header ${name} has a value that is not valid`);
    out[name] = value;
  }
  out['user-agent'] ??= 'crm-builder';
  return out;
}
