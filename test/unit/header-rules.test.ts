import { describe, expect, it } from 'vitest';
import { parseHsts } from '../../src/checks/headers/hsts.js';
import { classesOf, resolveRules } from '../../src/checks/headers/class-rules.js';
import { burstUntil429, retryAfterMs } from '../../src/checks/headers/provoke.js';
import { cspDirective, DEFAULT_RULES, effectiveReferrerPolicy, protectiveHeaderAssertions, versionLeakAssertions } from '../../src/checks/headers/rules.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Exchange } from '../../src/results/model.js';

function response(headers: Record<string, string | string[]>, status = 200, bodyBytes = 10): Exchange {
  return {
    request: { method: 'GET', url: 'https://api.example/x', headers: {} },
    response: { status, statusText: '', headers, body: '', bodyBytes, bodyTruncated: false },
    timings: { startedAt: new Date(0).toISOString(), totalMs: 1 },
  };
}

const GOOD = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-type': 'application/json',
};

function failures(headers: Record<string, string | string[]>, authenticated = true, bodyBytes = 10): string[] {
  return protectiveHeaderAssertions(response(headers, 200, bodyBytes), DEFAULT_RULES, authenticated).filter((a) => !a.passed).map((a) => a.name);
}

describe('HSTS syntax (RFC 6797)', () => {
  it('parses max-age, includeSubDomains and preload, case-insensitively and with quotes', () => {
    expect(parseHsts('max-age=63072000; includeSubDomains; preload')).toEqual({ maxAge: 63072000, includeSubDomains: true, preload: true, problems: [] });
    expect(parseHsts('Max-Age="31536000";INCLUDESUBDOMAINS')).toMatchObject({ maxAge: 31536000, includeSubDomains: true, problems: [] });
    expect(parseHsts('max-age=0').maxAge).toBe(0);
  });

  it('reports what makes a value invalid', () => {
    expect(parseHsts('includeSubDomains').problems).toEqual(['max-age is missing']);
    expect(parseHsts('max-age=abc').problems).toEqual(["max-age must be a number of seconds, got 'abc'"]);
    expect(parseHsts('max-age=1; max-age=2').problems).toContain('directive max-age appears twice');
    expect(parseHsts('max-age=1, max-age=2').problems[0]).toContain('comma');
    expect(parseHsts('max-age=10; includeSubDomains=yes').problems).toContain('includeSubDomains takes no value');
  });
});

describe('protective header rules', () => {
  it('passes a complete set', () => {
    expect(failures(GOOD)).toEqual([]);
  });

  it('needs nosniff exactly', () => {
    expect(failures({ ...GOOD, 'x-content-type-options': 'nosniff, nosniff' })).toEqual(['X-Content-Type-Options is nosniff']);
    expect(failures({ ...GOOD, 'x-content-type-options': ['nosniff', 'nosniff'] })).toEqual(['X-Content-Type-Options is nosniff']);
  });

  it('accepts X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors, and nothing weaker', () => {
    const { 'x-frame-options': _x, ...noXfo } = GOOD;
    expect(failures({ ...noXfo, 'x-frame-options': 'SAMEORIGIN' })).toEqual([]);
    expect(failures({ ...noXfo, 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" })).toEqual([]);
    expect(failures({ ...noXfo, 'content-security-policy': "frame-ancestors 'self' https://partner.example" })).toEqual([]);
    expect(failures(noXfo)).toEqual(['framing is restricted']);
    expect(failures({ ...noXfo, 'x-frame-options': 'ALLOW-FROM https://x.example' })).toEqual(['framing is restricted']);
    expect(failures({ ...noXfo, 'content-security-policy': 'frame-ancestors *' })).toEqual(['framing is restricted']);
    expect(failures({ ...noXfo, 'content-security-policy': "default-src 'none'" })).toEqual(['framing is restricted']);
    expect(cspDirective("default-src 'self'; FRAME-ANCESTORS 'none'", 'frame-ancestors')).toEqual(["'none'"]);
  });

  it('takes the last recognised Referrer-Policy, as browsers do', () => {
    expect(effectiveReferrerPolicy('unsafe-url, no-referrer')).toBe('no-referrer');
    expect(effectiveReferrerPolicy('no-referrer, made-up-policy')).toBe('no-referrer');
    expect(failures({ ...GOOD, 'referrer-policy': 'no-referrer, unsafe-url' })).toEqual(['Referrer-Policy is safe']);
    expect(failures({ ...GOOD, 'referrer-policy': 'strict-origin-when-cross-origin' })).toEqual([]);
    const { 'referrer-policy': _r, ...noReferrer } = GOOD;
    expect(failures(noReferrer)).toEqual(['Referrer-Policy is safe']);
  });

  it('requires no-store only on authenticated responses', () => {
    const { 'cache-control': _c, ...noCache } = GOOD;
    expect(failures(noCache, true)).toEqual(['Cache-Control has no-store (authenticated response)']);
    expect(failures(noCache, false)).toEqual([]);
    expect(failures({ ...GOOD, 'cache-control': 'private, max-age=60' })).toEqual(['Cache-Control has no-store (authenticated response)']);
    expect(failures({ ...GOOD, 'cache-control': 'private, no-store' })).toEqual([]);
  });

  it('needs a Content-Type on a body, with a charset for text', () => {
    expect(failures({ ...GOOD, 'content-type': 'text/html' })).toEqual(['Content-Type is present, with a charset']);
    expect(failures({ ...GOOD, 'content-type': 'text/html; charset=utf-8' })).toEqual([]);
    const { 'content-type': _t, ...noType } = GOOD;
    expect(failures(noType)).toEqual(['Content-Type is present']);
    expect(failures(noType, true, 0)).toEqual([]);
  });

  it('wants X-XSS-Protection absent or 0', () => {
    expect(failures({ ...GOOD, 'x-xss-protection': '0' })).toEqual([]);
    expect(failures({ ...GOOD, 'x-xss-protection': '1; mode=block' })).toEqual(['X-XSS-Protection is absent or 0']);
  });

  it('can turn each rule off', () => {
    const rules = { ...DEFAULT_RULES, framing: false, referrerPolicy: false as const };
    expect(protectiveHeaderAssertions(response({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'content-type': 'a/b' }), rules, true).every((a) => a.passed)).toBe(true);
  });
});

describe('software version leaks', () => {
  const leaks = (headers: Record<string, string>) => versionLeakAssertions(response(headers), 'x').filter((a) => !a.passed).map((a) => a.name);
  it.each(['nginx/1.25.3', 'Apache/2.4.57 (Debian)', 'Microsoft-IIS/10.0', 'gunicorn/21.2.0', 'Node.js v20.11.0', 'Jetty(9.4.z-SNAPSHOT) 9.4'])('flags Server: %s', (server) => {
    expect(leaks({ server })).toEqual(['x: Server names no version']);
  });
  it.each(['nginx', 'cloudflare', 'Kestrel', 'AmazonS3', 'Apache'])('accepts Server: %s', (server) => {
    expect(leaks({ server })).toEqual([]);
  });
  it('flags X-Powered-By and the ASP.NET version headers', () => {
    expect(leaks({ 'x-powered-by': 'Express', 'x-aspnet-version': '4.0.30319', 'x-aspnetmvc-version': '5.2' })).toEqual(['x: no x-powered-by', 'x: no x-aspnet-version', 'x: no x-aspnetmvc-version']);
  });
});

describe('provoking a 429', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs(response({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(response({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(retryAfterMs(response({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(response({}))).toBeUndefined();
  });

  it('refuses to burst a target outside loopback before sending anything', async () => {
    let sent = 0;
    const ctx = {
      profile: { baseUrl: 'https://api.example.com' },
      options: { allowLoad: false, timeoutMs: 1000 },
      http: { send: async () => { sent++; throw new Error('must not send'); } },
      signal: new AbortController().signal,
      progress: () => undefined,
    } as unknown as CheckContext;
    await expect(burstUntil429(ctx, { path: '/' }, { max: 5 })).rejects.toMatchObject({ code: 'E_LOAD_NOT_ALLOWED' });
    expect(sent).toBe(0);
  });

  it('stops at the first 429 and never sends more than max', async () => {
    let sent = 0;
    const ctx = {
      profile: { baseUrl: 'http://127.0.0.1:1' },
      options: { allowLoad: false, timeoutMs: 1000 },
      http: {
        send: async () => {
          sent++;
          return { exchange: response({}, sent >= 7 ? 429 : 200), body: Buffer.alloc(0) };
        },
      },
      signal: new AbortController().signal,
      progress: () => undefined,
    } as unknown as CheckContext;
    const limited = await burstUntil429(ctx, { path: '/' }, { max: 50, concurrency: 3 });
    expect(limited.limited?.response?.status).toBe(429);
    expect(limited.sent).toBeLessThanOrEqual(7 + 2);
    sent = -1_000;
    const bounded = await burstUntil429(ctx, { path: '/' }, { max: 12, concurrency: 5 });
    expect(bounded).toMatchObject({ limited: undefined, sent: 12, statuses: { '200': 12 } });
  });
});

describe('header rules per class of answer', () => {
  it('places an answer in its status family, then rate-limited for a 429, then the case that provoked it', () => {
    expect(classesOf(200, 'success')).toEqual(['success']);
    expect(classesOf(400, 'unauthorized')).toEqual(['client-error', 'unauthorized']);
    expect(classesOf(404, 'not-found')).toEqual(['client-error', 'not-found']);
    expect(classesOf(429, 'rate-limited')).toEqual(['client-error', 'rate-limited']);
    expect(classesOf(503, 'unauthorized')).toEqual(['server-error', 'unauthorized']);
    expect(classesOf(302, 'unauthorized')).toEqual(['unauthorized']);
  });

  it('starts from require and lets each more specific class override what it names, saying which did', () => {
    const resolved = resolveRules({ xssProtection: false }, { 'client-error': { framing: false, noVersionLeak: false }, unauthorized: { framing: true, referrerPolicy: ['no-referrer'] } }, 401, 'unauthorized');
    expect(resolved.rules).toEqual({ ...DEFAULT_RULES, xssProtection: false, framing: true, referrerPolicy: ['no-referrer'] });
    expect(resolved.noVersionLeak).toBe(false);
    expect(resolved.applied).toEqual(['classes.client-error (framing: false, noVersionLeak: false)', 'classes.unauthorized (framing: true, referrerPolicy: [no-referrer])']);
  });

  it('leaves answers of other classes, and a class given no rule, alone', () => {
    const classes = { 'client-error': { framing: false }, 'server-error': {} };
    expect(resolveRules({}, classes, 200, 'success')).toEqual({ rules: DEFAULT_RULES, noVersionLeak: true, applied: [] });
    expect(resolveRules({}, classes, 503, 'unauthorized').applied).toEqual([]);
    expect(resolveRules({ noVersionLeak: false }, undefined, 404, 'not-found').noVersionLeak).toBe(false);
  });
});
