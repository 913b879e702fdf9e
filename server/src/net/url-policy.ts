/**
 * Which URLs outbound HTTP may ask for, before any DNS: scheme, credentials,
 * port, literal addresses, refused names, and the admin's allowlist. Pure.
 */
import { blockedName, classifyAddress, describeRefusal, endsInNumber, isIpLiteral, normaliseHost } from './address-policy.js';

/**
 * Ports above 1023 refused by default. The fetch standard's "bad ports" (a
 * browser will not send HTTP to them either), then stores and control planes
 * that trust their network or read commands out of an HTTP body: Docker,
 * etcd, MySQL, PostgreSQL, CouchDB, Redis, Kubernetes, Elasticsearch,
 * kubelet, memcached, MongoDB. Below 1024 only 80 and 443 are allowed.
 */
export const DENIED_PORTS: ReadonlySet<number> = new Set([
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080,
  2375, 2376, 2379, 2380, 3306, 5432, 5984, 6379, 6443, 9200, 9300, 10250, 11211, 27017,
]);

/** Why `port` is refused, or undefined. `allowedPorts`, when given, replaces the default rule entirely. */
export function refusedPort(port: number, allowedPorts?: readonly number[]): string | undefined {
  if (allowedPorts) return allowedPorts.includes(port) ? undefined : `port ${port} is not in the allowed ports (${allowedPorts.join(', ')})`;
  if (port === 80 || port === 443) return undefined;
  if (port < 1024) return `port ${port} is not allowed (below 1024 only 80 and 443)`;
  if (DENIED_PORTS.has(port)) return `port ${port} is not allowed (a service port refused by default)`;
  return undefined;
}

/** An admin's allowlist: exact hosts, and host+port pairs (which also lift the port rule for that port). */
export interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly hostPorts: ReadonlySet<string>;
}

const hostPortKey = (host: string, port: number) => `${host} ${port}`;

/**
 * One allowlist entry: `erp.corp`, `erp.corp:8443`, `10.0.0.5`, `[fd00::5]:8080`
 * or a bare `fd00::5`. Read with the URL parser, so `127.1` and `127.0.0.1`
 * are one entry and IDN names match their punycode. No wildcards: an entry
 * names exactly one host. Undefined when the entry is not a host.
 */
export function parseAllowEntry(entry: string): { host: string; port?: number } | undefined {
  const e = entry.trim();
  const m = /^(\[[^\]]*\]|[^:[\]]+):(\d{1,5})$/.exec(e);
  let hostPart = m ? m[1]! : e;
  const port = m ? Number(m[2]) : undefined;
  if (!m && e.includes(':') && !e.startsWith('[')) hostPart = `[${e}]`;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  if (!hostPart || /[/?#@*\\\s]/.test(hostPart)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${hostPart}/`);
  } catch {
    return undefined;
  }
  const host = normaliseHost(url.hostname);
  return host ? { host, ...(port !== undefined ? { port } : {}) } : undefined;
}

export function parseAllowHosts(entries: readonly string[] = []): AllowList {
  const hosts = new Set<string>();
  const hostPorts = new Set<string>();
  for (const entry of entries) {
    const parsed = parseAllowEntry(entry);
    if (!parsed) throw new TypeError(`allowHosts: "${entry}" is not a host or host:port`);
    if (parsed.port === undefined) hosts.add(parsed.host);
    else hostPorts.add(hostPortKey(parsed.host, parsed.port));
  }
  return { hosts, hostPorts };
}

export interface Target {
  url: URL;
  /** Normalised: lower case, no brackets, no trailing dot. */
  host: string;
  port: number;
  /** On the admin's allowlist: private addresses and refused names are let through. */
  allowlisted: boolean;
  /** Written as an IP address, so no lookup happens (and none is needed to check it). */
  literal: boolean;
}

export type TargetCheck = { ok: true; target: Target } | { ok: false; reason: string };

/**
 * A URL fit for the run log: no credentials, no query (API keys live there),
 * no fragment. Never the raw input of an unparseable URL, which may be anything.
 */
export function displayTarget(url: URL | string): string {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(invalid URL)';
  }
  const shown = new URL(u.href);
  shown.username = '';
  shown.password = '';
  shown.search = '';
  shown.hash = '';
  return shown.href.length > 200 ? `${shown.href.slice(0, 200)}…` : shown.href;
}

/**
 * Checks everything that can be checked before DNS. A name that passes still
 * has every resolved address checked at connect time (safe-http.ts).
 */
export function checkTarget(raw: string | URL, allow: AllowList, allowedPorts?: readonly number[]): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `scheme ${url.protocol} is not allowed (http and https only)` };
  }
  // Refused rather than stripped: `https://trusted.example@evil.example/` is a
  // classic trick to make a reader see the wrong host, and a password in a URL
  // ends up in logs. Credentials go in the Authorization header.
  if (url.username || url.password) return { ok: false, reason: 'the URL contains credentials (user:password@)' };
  const host = normaliseHost(url.hostname);
  if (!host) return { ok: false, reason: 'the URL has no host' };
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const portAllowlisted = allow.hostPorts.has(hostPortKey(host, port));
  const allowlisted = portAllowlisted || allow.hosts.has(host);
  const literal = isIpLiteral(host);
  if (!portAllowlisted) {
    const why = refusedPort(port, allowedPorts);
    if (why) return { ok: false, reason: why };
  }
  if (allowlisted) return { ok: true, target: { url, host, port, allowlisted, literal } };
  if (literal) {
    const v = classifyAddress(host);
    if (!v.allowed) return { ok: false, reason: describeRefusal(v) };
  } else {
    if (endsInNumber(host)) return { ok: false, reason: `${host} is neither a name nor an IPv4 address` };
    const why = blockedName(host);
    if (why) return { ok: false, reason: `${host} is ${why}` };
  }
  return { ok: true, target: { url, host, port, allowlisted, literal } };
}
