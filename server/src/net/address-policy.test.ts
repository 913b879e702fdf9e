import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockedName,
  classifyAddress,
  endsInNumber,
  formatIPv4,
  formatIPv6,
  normaliseHost,
  parseIPv4,
  parseIPv6,
} from './address-policy.js';

/** The obviously-correct reading of a 32-bit number as dotted decimal. */
const reference = (n: number) => `${Math.floor(n / 2 ** 24)}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;

const radixForm = fc.constantFrom('dec', 'hex', 'oct');
const render = (n: number, form: string) =>
  form === 'hex' ? `0x${n.toString(16)}` : form === 'oct' ? `0${n.toString(8)}` : String(n);

/** n written as 1 to 4 parts, the last part filling the remaining bytes, each part in its own radix. */
const ipv4Forms = fc
  .record({ n: fc.nat({ max: 2 ** 32 - 1 }), parts: fc.integer({ min: 1, max: 4 }), radixes: fc.array(radixForm, { minLength: 4, maxLength: 4 }) })
  .map(({ n, parts, radixes }) => {
    const lead = [Math.floor(n / 2 ** 24), Math.floor(n / 2 ** 16) % 256, Math.floor(n / 256) % 256].slice(0, parts - 1);
    const rest = n % 256 ** (4 - (parts - 1));
    const text = [...lead, rest].map((p, i) => render(p, radixes[i]!)).join('.');
    return { n, text };
  });

describe('IPv4 normaliser', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['0x7F.0.0.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['0x', '0.0.0.0'],
    ['10.1', '10.0.0.1'],
    ['169.254.43518', '169.254.169.254'],
    ['4294967295', '255.255.255.255'],
  ])('reads %s as %s', (text, dotted) => {
    expect(formatIPv4(parseIPv4(text)!)).toBe(dotted);
  });

  it.each(['08', '0x1g', '1.2.3.4.5', '256.0.0.1', '1.256.0.0', '1.2.65536', '4294967296', '1..1', '', '.', '1.2.3.4..', 'a.b.c.d', '-1', '1e3', ' 1'])(
    'refuses %j',
    (text) => expect(parseIPv4(text)).toBeUndefined(),
  );

  it('agrees with the reference for random 32-bit numbers in decimal, hex and octal, whole and in parts', () => {
    fc.assert(
      fc.property(ipv4Forms, ({ n, text }) => {
        const parsed = parseIPv4(text);
        expect(parsed, text).toBe(n);
        expect(formatIPv4(parsed!)).toBe(reference(n));
        // and with the WHATWG URL parser, which is what turns the URL into a host
        expect(new URL(`http://${text}/`).hostname, text).toBe(reference(n));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats a host whose last label is numeric as IPv4 or nothing', () => {
    expect(endsInNumber('1.2.3.4.5')).toBe(true);
    expect(endsInNumber('foo.0x10')).toBe(true);
    expect(endsInNumber('foo.example')).toBe(false);
    expect(endsInNumber('1password.com')).toBe(false);
  });
});

describe('IPv6 parser', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['64:ff9b::10.0.0.1', [0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 1]],
    ['fe80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['[2001:db8::1]', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
  ])('reads %s', (text, groups) => expect(parseIPv6(text)).toEqual(groups));

  it.each([':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'g::1', '::1.2.3', '::256.1.1.1', '::01.2.3.4x'])('refuses %j', (text) =>
    expect(parseIPv6(text)).toBeUndefined(),
  );

  it('round-trips and writes what the WHATWG URL parser writes (RFC 5952)', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (g) => {
        const text = formatIPv6(g);
        expect(isIPv6(text), text).toBe(true);
        expect(parseIPv6(text)).toEqual(g);
        expect(new URL(`http://[${text}]/`).hostname).toBe(`[${text}]`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('address classifier', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['10.0.0.1', /private/],
    ['10.255.255.255', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.0.1', /private/],
    ['169.254.169.254', /link-local/],
    ['100.64.0.1', /CGNAT/],
    ['100.100.100.200', /CGNAT/],
    ['100.127.255.255', /CGNAT/],
    ['192.0.0.170', /IETF/],
    ['192.0.2.1', /documentation/],
    ['198.18.0.1', /benchmarking/],
    ['198.51.100.1', /documentation/],
    ['203.0.113.1', /documentation/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['febf::1', /link-local/],
    ['fec0::1', /site-local/],
    ['fc00::1', /unique-local/],
    ['fd00::1', /unique-local/],
    ['fd00:ec2::254', /unique-local/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /IPv4-mapped IPv6 of 127\.0\.0\.1, which is loopback/],
    ['::ffff:7f00:1', /IPv4-mapped IPv6 of 127\.0\.0\.1, which is loopback/],
    ['::ffff:8.8.8.8', /IPv4-mapped IPv6 of 8\.8\.8\.8$/],
    ['::127.0.0.1', /IPv4-compatible IPv6 \(deprecated\) of 127\.0\.0\.1, which is loopback/],
    ['::7f00:1', /IPv4-compatible/],
    ['::ffff:0:7f00:1', /IPv4-translated/],
    ['64:ff9b::127.0.0.1', /NAT64 of 127\.0\.0\.1, which is loopback/],
    ['64:ff9b::a00:1', /NAT64 of 10\.0\.0\.1, which is private/],
    ['64:ff9b::169.254.169.254', /NAT64 of 169\.254\.169\.254, which is link-local/],
    ['64:ff9b:1::1', /local-use NAT64/],
    ['2002:7f00:1::1', /6to4 of 127\.0\.0\.1, which is loopback/],
    ['2002:c0a8:101::', /6to4 of 192\.168\.1\.1, which is private/],
    ['2001::1', /Teredo/],
    ['2001:db8::1', /documentation/],
    ['2001:10::1', /IETF/],
    ['3fff::1', /documentation/],
    ['100::1', /reserved/],
    ['4000::1', /reserved/],
    ['[::1]', /loopback/],
    ['fe80::1%lo', /link-local/],
  ])('refuses %s', (ip, why) => {
    const v = classifyAddress(ip);
    expect(v.allowed, ip).toBe(false);
    if (!v.allowed) expect(v.label).toMatch(why);
  });

  it.each([
    ['8.8.8.8', '8.8.8.8', 4],
    ['1.1.1.1', '1.1.1.1', 4],
    ['93.184.215.14', '93.184.215.14', 4],
    ['11.0.0.1', '11.0.0.1', 4],
    ['172.32.0.1', '172.32.0.1', 4],
    ['172.15.255.255', '172.15.255.255', 4],
    ['100.128.0.1', '100.128.0.1', 4],
    ['169.255.0.1', '169.255.0.1', 4],
    ['192.169.0.1', '192.169.0.1', 4],
    ['223.255.255.255', '223.255.255.255', 4],
    ['2606:4700:4700::1111', '2606:4700:4700::1111', 6],
    ['2606:4700:4700:0:0:0:0:1111', '2606:4700:4700::1111', 6],
    ['64:ff9b::8.8.8.8', '64:ff9b::808:808', 6],
    ['2002:808:808::1', '2002:808:808::1', 6],
  ])('lets %s through as %s', (ip, canonical, family) => {
    expect(classifyAddress(ip)).toEqual({ allowed: true, address: canonical, family });
  });

  it('gives the canonical text it checked (that is what gets connected to)', () => {
    expect(classifyAddress('0x7f.1')).toMatchObject({ allowed: false, address: '127.0.0.1', label: 'loopback' });
    expect(classifyAddress('::FFFF:127.0.0.1')).toMatchObject({ allowed: false, address: '::ffff:7f00:1' });
    expect(classifyAddress('not-an-ip')).toMatchObject({ allowed: false, label: 'not an IP address' });
  });

  it('refuses every address of every special IPv4 range, and every IPv4-mapped address', () => {
    const ranges: Array<[string, number]> = [
      ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
      ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...ranges), fc.nat({ max: 2 ** 32 - 1 }), ([base, bits], r) => {
        const n = parseIPv4(base)! + (r % 2 ** (32 - bits));
        expect(classifyAddress(formatIPv4(n)).allowed).toBe(false);
        expect(classifyAddress(`::ffff:${formatIPv4(n)}`).allowed).toBe(false);
        expect(classifyAddress(`64:ff9b::${formatIPv4(n)}`).allowed).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), (n) => {
        expect(classifyAddress(`::ffff:${formatIPv4(n)}`).allowed).toBe(false);
      }),
    );
  });
});

describe('host names', () => {
  it('normalises case, brackets and trailing dots', () => {
    expect(normaliseHost('LocalHost.')).toBe('localhost');
    expect(normaliseHost('[::1]')).toBe('::1');
    expect(normaliseHost('Example.COM..')).toBe('example.com');
  });

  it.each(['localhost', 'a.localhost', 'metadata', 'metadata.google.internal', 'anything.internal', 'printer.local', 'nas.home.arpa', 'instance-data'])(
    'refuses %s by name',
    (name) => expect(blockedName(name)).toBeDefined(),
  );

  it.each(['example.com', 'localhost.example.com', 'internal.example.com', 'api.local-bank.com'])('lets %s through by name', (name) =>
    expect(blockedName(name)).toBeUndefined(),
  );
});
