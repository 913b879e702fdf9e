import { describe, expect, it } from 'vitest';
import { checkTarget, displayTarget, parseAllowEntry, parseAllowHosts, refusedPort } from './url-policy.js';

const none = parseAllowHosts([]);

describe('target policy (before any DNS)', () => {
  it.each([
    ['file:///etc/passwd', /scheme file:/],
    ['gopher://127.0.0.1:70/_INFO', /scheme gopher:/],
    ['ftp://example.com/', /scheme ftp:/],
    ['ws://example.com/', /scheme ws:/],
    ['data:text/plain,hi', /scheme data:/],
    ['javascript:alert(1)', /scheme javascript:/],
    ['not a url', /not an absolute URL/],
    ['/relative', /not an absolute URL/],
    ['http://user:pass@example.com/', /credentials/],
    ['http://example.com@127.0.0.1/', /credentials/],
    ['http://example.com:22/', /port 22/],
    ['http://example.com:25/', /port 25/],
    ['http://example.com:0/', /port 0/],
    ['http://example.com:6379/', /port 6379/],
    ['http://example.com:5432/', /port 5432/],
    ['https://example.com:10080/', /port 10080/],
    ['http://127.0.0.1/', /127\.0\.0\.1 is loopback/],
    ['http://2130706433/', /127\.0\.0\.1 is loopback/],
    ['http://0177.0.0.1/', /127\.0\.0\.1 is loopback/],
    ['http://0x7f.1/', /127\.0\.0\.1 is loopback/],
    ['http://127.1/', /127\.0\.0\.1 is loopback/],
    ['http://[::1]/', /::1 is loopback/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped/],
    ['http://[::127.0.0.1]/', /IPv4-compatible/],
    ['http://0.0.0.0/', /unspecified/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://localhost/', /localhost is loopback by definition/],
    ['http://LOCALHOST./', /localhost is loopback by definition/],
    ['http://metadata.google.internal/', /metadata/],
    ['http://Metadata.Google.Internal./', /metadata/],
  ])('refuses %s', (url, why) => {
    const c = checkTarget(url, none);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.reason).toMatch(why);
  });

  it('accepts public names and addresses on the allowed ports', () => {
    for (const url of ['http://example.com/', 'https://example.com/', 'http://example.com:8080/x?y=1', 'http://8.8.8.8/', 'https://[2606:4700:4700::1111]/']) {
      const c = checkTarget(url, none);
      expect(c.ok, url).toBe(true);
    }
    const c = checkTarget('https://Example.COM./a', none);
    expect(c.ok && [c.target.host, c.target.port, c.target.allowlisted, c.target.literal]).toEqual(['example.com', 443, false, false]);
  });

  it('lets an allowlisted host be private, and a host:port entry also lift the port rule', () => {
    const allow = parseAllowHosts(['erp.corp.internal', '127.0.0.1:6379', '[fd00::5]:8080', '10.1.2.3']);
    expect(checkTarget('http://erp.corp.internal/', allow).ok).toBe(true);
    expect(checkTarget('http://ERP.corp.internal.:8443/', allow).ok).toBe(true);
    expect(checkTarget('http://erp.corp.internal:22/', allow)).toMatchObject({ ok: false, reason: expect.stringMatching(/port 22/) });
    expect(checkTarget('http://127.0.0.1:6379/', allow).ok).toBe(true);
    expect(checkTarget('http://127.1:6379/', allow).ok).toBe(true);
    expect(checkTarget('http://127.0.0.1:8080/', allow).ok).toBe(false);
    expect(checkTarget('http://[fd00::5]:8080/', allow).ok).toBe(true);
    expect(checkTarget('http://[fd00::5]:8081/', allow).ok).toBe(false);
    expect(checkTarget('http://167838211/', allow).ok).toBe(true); // 10.1.2.3
    expect(checkTarget('http://sub.erp.corp.internal/', allow).ok).toBe(false);
  });

  it('uses allowedPorts instead of the default port rule when given', () => {
    expect(refusedPort(8080)).toBeUndefined();
    expect(refusedPort(8080, [443])).toMatch(/not in the allowed ports/);
    expect(refusedPort(443, [443])).toBeUndefined();
    expect(checkTarget('http://example.com/', none, [443]).ok).toBe(false);
  });
});

describe('allowlist entries', () => {
  it.each([
    ['erp.corp', { host: 'erp.corp' }],
    ['ERP.Corp.', { host: 'erp.corp' }],
    ['erp.corp:8443', { host: 'erp.corp', port: 8443 }],
    ['127.1', { host: '127.0.0.1' }],
    ['10.0.0.5:80', { host: '10.0.0.5', port: 80 }],
    ['[fd00::5]:8080', { host: 'fd00::5', port: 8080 }],
    ['[FD00::5]', { host: 'fd00::5' }],
    ['fd00::5', { host: 'fd00::5' }],
  ])('reads %s', (entry, parsed) => expect(parseAllowEntry(entry)).toEqual(parsed));

  it.each(['', 'http://erp.corp', 'erp.corp/x', 'user@erp.corp', 'erp.corp:0', 'erp.corp:99999', '*.corp', 'a b'])('refuses %j', (entry) =>
    expect(parseAllowEntry(entry)).toBeUndefined(),
  );

  it('refuses a bad entry when the client is made, not at the first request', () => {
    expect(() => parseAllowHosts(['ok.example', 'http://bad'])).toThrow(/allowHosts/);
  });
});

describe('run-log target', () => {
  it('drops credentials, query and fragment', () => {
    expect(displayTarget('https://u:secret@api.example/hook?token=abc#x')).toBe('https://api.example/hook');
    expect(displayTarget('file:///etc/passwd')).toBe('file:///etc/passwd');
    expect(displayTarget('::not a url')).toBe('(invalid URL)');
  });
});
