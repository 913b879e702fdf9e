/**
 * Which IP addresses and host names outbound HTTP may reach (SECURITY-CASES
 * 2.2, case 20). Pure: no DNS, no sockets, so every rule is testable alone.
 *
 * IPv4 is a deny list of the special-purpose ranges (RFC 6890 and successors).
 * IPv6 is an allow list of global unicast (2000::/3, plus NAT64 of a public
 * IPv4) minus its special ranges: everything else in IPv6 is reserved, and
 * a deny list there would miss the next clever encoding of 127.0.0.1.
 */

export type AddressVerdict =
  | { allowed: true; address: string; family: 4 | 6 }
  | { allowed: false; address: string; label: string; family?: 4 | 6 };

/** "127.0.0.1 is loopback": the reason the run log shows. */
export const describeRefusal = (v: { address: string; label: string }) => `${v.address} is ${v.label}`;

// ---------------------------------------------------------------- IPv4

/**
 * The WHATWG URL host parser's IPv4 forms (what browsers and `new URL` accept,
 * and what inet_aton accepts): 1 to 4 parts, each decimal, 0x-hex or
 * 0-octal, the last part filling the remaining bytes, so `2130706433`,
 * `0177.0.0.1`, `0x7f.1` and `127.1` are all 127.0.0.1. One trailing dot is
 * allowed. Returns the address as an unsigned 32-bit number.
 */
export function parseIPv4(input: string): number | undefined {
  const s = input.endsWith('.') ? input.slice(0, -1) : input;
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    const n = parseIPv4Part(p);
    if (n === undefined) return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return undefined;
  return nums.reduce((acc, n, i) => acc + n * 256 ** (3 - i), last);
}

function parseIPv4Part(p: string): number | undefined {
  let radix = 10;
  let digits = p;
  if (/^0x/i.test(p)) {
    radix = 16;
    digits = p.slice(2);
    if (digits === '') return 0; // WHATWG reads a bare "0x" as zero
  } else if (p.length > 1 && p.startsWith('0')) {
    radix = 8;
    digits = p.slice(1);
  }
  const ok = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  // Long digit strings lose precision in parseInt but are far out of range anyway.
  return ok.test(digits) ? parseInt(digits, radix) : undefined;
}

/**
 * A host whose last label is numeric must be an IPv4 address or nothing:
 * WHATWG refuses `1.2.3.4.5` and `0x1.example.09`, and so do we, rather than
 * hand such a name to a resolver that may read it its own way.
 */
export function endsInNumber(host: string): boolean {
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  const last = labels[labels.length - 1] ?? '';
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

export const formatIPv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

const v4 = (dotted: string) => parseIPv4(dotted)!;
const IPV4_SPECIAL: ReadonlyArray<readonly [base: number, bits: number, label: string]> = [
  [v4('0.0.0.0'), 8, 'unspecified ("this network"; 0.0.0.0 reaches this host)'],
  [v4('10.0.0.0'), 8, 'private (RFC 1918)'],
  [v4('100.64.0.0'), 10, 'shared address space (CGNAT; Alibaba Cloud metadata lives here)'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local (cloud metadata lives here)'],
  [v4('172.16.0.0'), 12, 'private (RFC 1918)'],
  [v4('192.0.0.0'), 24, 'IETF protocol assignments'],
  [v4('192.0.2.0'), 24, 'documentation (TEST-NET-1)'],
  [v4('192.88.99.0'), 24, '6to4 relay anycast'],
  [v4('192.168.0.0'), 16, 'private (RFC 1918)'],
  [v4('198.18.0.0'), 15, 'benchmarking'],
  [v4('198.51.100.0'), 24, 'documentation (TEST-NET-2)'],
  [v4('203.0.113.0'), 24, 'documentation (TEST-NET-3)'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('255.255.255.255'), 32, 'broadcast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

/** The label of the special range holding `n`, or undefined for a public address. */
export function ipv4Special(n: number): string | undefined {
  for (const [base, bits, label] of IPV4_SPECIAL) {
    if (n >>> (32 - bits) === base >>> (32 - bits)) return label;
  }
  return undefined;
}

// ---------------------------------------------------------------- IPv6

/** Eight 16-bit groups, or undefined. Accepts `::`, a trailing dotted IPv4 and a zone (`%eth0`, ignored). */
export function parseIPv6(input: string): number[] | undefined {
  let s = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (const [i, item] of items.entries()) {
      if (i === items.length - 1 && item.includes('.')) {
        // inet_pton's form: strict dotted decimal, no shorthand
        if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(item)) return undefined;
        const bytes = item.split('.').map(Number);
        if (bytes.some((b) => b > 255)) return undefined;
        out.push((bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(item)) return undefined;
        out.push(parseInt(item, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : undefined;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as `::`. */
export function formatIPv6(g: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const embedded = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;

/** Why an IPv6 address is refused, or undefined when it is public. */
function ipv6Special(g: readonly number[]): string | undefined {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, i = 0] = g;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const viaV4 = (what: string, n: number) => {
    const inner = ipv4Special(n);
    return `${what} of ${formatIPv4(n)}${inner ? `, which is ${inner}` : ''}`;
  };
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && i === 1) return 'loopback';
  // The embedded IPv4 is what a dual-stack socket reaches; no public service
  // publishes these forms, so they are refused whatever they embed.
  if (zeroUpTo(5) && f === 0xffff) return viaV4('IPv4-mapped IPv6', embedded(h, i));
  if (zeroUpTo(6)) return viaV4('IPv4-compatible IPv6 (deprecated)', embedded(h, i));
  if (zeroUpTo(4) && e === 0xffff && f === 0) return viaV4('IPv4-translated IPv6', embedded(h, i));
  // NAT64 is how IPv6-only networks reach public IPv4, so only its private targets are refused.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) {
    const n = embedded(h, i);
    return ipv4Special(n) ? viaV4('NAT64', n) : undefined;
  }
  if (a === 0x64 && b === 0xff9b && c === 1) return 'local-use NAT64 (RFC 8215)';
  if ((a & 0xfe00) === 0xfc00) return 'unique-local (fc00::/7)';
  if ((a & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((a & 0xffc0) === 0xfec0) return 'site-local (deprecated)';
  if ((a & 0xff00) === 0xff00) return 'multicast';
  if ((a & 0xe000) !== 0x2000) return 'reserved (not global unicast)';
  if (a === 0x2001 && b === 0) return 'Teredo (tunnels to an embedded IPv4)';
  if (a === 0x2001 && b === 0x0db8) return 'documentation (2001:db8::/32)';
  if (a === 0x2001 && b < 0x0200) return 'IETF protocol assignments (2001::/23)';
  if (a === 0x2002) {
    const n = embedded(b, c);
    return ipv4Special(n) ? viaV4('6to4', n) : undefined;
  }
  if (a === 0x3fff && b < 0x1000) return 'documentation (3fff::/20)';
  return undefined;
}

// ---------------------------------------------------------------- both

/**
 * Classifies one address, as DNS returned it or as a URL wrote it. The
 * verdict's `address` is the canonical text, which is what the client then
 * connects to: the check and the connection see the same bytes.
 */
export function classifyAddress(ip: string): AddressVerdict {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (bare.includes(':')) {
    const g = parseIPv6(bare);
    if (!g) return { allowed: false, address: ip, label: 'not an IP address' };
    const address = formatIPv6(g);
    const label = ipv6Special(g);
    return label ? { allowed: false, address, label, family: 6 } : { allowed: true, address, family: 6 };
  }
  const n = parseIPv4(bare);
  if (n === undefined) return { allowed: false, address: ip, label: 'not an IP address' };
  const address = formatIPv4(n);
  const label = ipv4Special(n);
  return label ? { allowed: false, address, label, family: 4 } : { allowed: true, address, family: 4 };
}

/** Whether `host` (already normalised) is written as an IP address rather than a name. */
export const isIpLiteral = (host: string) => host.includes(':') || parseIPv4(host) !== undefined;

// ---------------------------------------------------------------- names

/** Lower case, no IPv6 brackets, no trailing dots: `LocalHost.` and `localhost` are one host. */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

// Refused by name as well as by address, because the name is the attack:
// these resolve to private or metadata addresses on the machine that asks,
// through /etc/hosts, search domains or mDNS, whatever public DNS says.
const BLOCKED_NAMES = new Map<string, string>([
  ['localhost', 'loopback by definition (RFC 6761)'],
  ['metadata', 'a cloud metadata service name'],
  ['metadata.google.internal', 'a cloud metadata service name'],
  ['instance-data', 'a cloud metadata service name'],
  ['instance-data.ec2.internal', 'a cloud metadata service name'],
]);
const BLOCKED_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['.localhost', 'loopback by definition (RFC 6761)'],
  ['.internal', 'a private-use name (.internal)'],
  ['.local', 'a link-local multicast DNS name (.local)'],
  ['.home.arpa', 'a home-network name (RFC 8375)'],
];

/** Why a host name (normalised, not an IP literal) is refused, or undefined. */
export function blockedName(host: string): string | undefined {
  const exact = BLOCKED_NAMES.get(host);
  if (exact) return exact;
  for (const [suffix, label] of BLOCKED_SUFFIXES) if (host.endsWith(suffix)) return label;
  return undefined;
}
