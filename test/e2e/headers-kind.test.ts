import type { ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const KEY = 'k-test-0123456789';
const SECURE = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * A small API that really answers 401 (no key) and 429 (over 5 requests a second), with the security headers
 * on every response, or (bareErrors) only on its successes.
 */
function apiServer(options: { auth: boolean; limit: boolean; bareErrors: boolean; refuseWith?: number }): Promise<TestServer> {
  let windowStart = Date.now();
  let count = 0;
  const send = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
    if (status < 300 || !options.bareErrors) Object.assign(headers, SECURE);
    res.writeHead(status, headers).end(JSON.stringify(body));
  };
  return startTestServer((req, res) => {
    if (req.url !== '/api/data') return send(res, 404, { error: 'not found' });
    if (options.auth && req.headers['x-api-key'] !== KEY) return send(res, options.refuseWith ?? 401, { error: 'no key' });
    if (options.limit) {
      if (Date.now() - windowStart > 1000) {
        windowStart = Date.now();
        count = 0;
      }
      if (++count > 5) return send(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
    }
    send(res, 200, { data: [1, 2, 3] });
  });
}

const SCENARIO = `name: headers under test
checks:
  - id: h.api
    kind: headers
    severity: medium
    responses:
      success: { request: { path: /api/data } }
      unauthorized: { request: { path: /api/data, key: none } }
      rate-limited:
        request: { path: /api/data }
        burst: { max: 20, within: 2s, concurrency: 2, cooldownMax: 2s }
`;

function results(dir: string): Map<string, CheckResult> {
  const run: RunResult = JSON.parse(readFileSync(join(dir, 'gauntlet-report.json'), 'utf8'));
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
}

describe('headers kind: each response class is its own case', () => {
  let dir: TempDir;
  let scenario: string;
  let profileFor: (url: string) => string;
  beforeAll(() => {
    dir = tempDir();
    scenario = dir.file('headers.yaml', SCENARIO);
    profileFor = (url) => dir.file(`profile-${new URL(url).port}.yaml`, `target: ${url}\nkeys:\n  k: \${env:TEST_KEY}\ndefaults: { key: k }\n`);
  });
  afterAll(() => dir.remove());

  async function run(server: TestServer, name: string, extra = ''): Promise<{ code: number | null; checks: Map<string, CheckResult> }> {
    const out = join(dir.path, name);
    const file = extra ? dir.file(`${name}.yaml`, SCENARIO + extra) : scenario;
    const cli = await runCli(['run', file, '-p', profileFor(server.url), '-r', 'json', '-o', out], { env: { TEST_KEY: KEY } });
    return { code: cli.code, checks: results(out) };
  }

  it('passes a 401 and a 429 that carry the headers, provoking the 429 with a bounded burst and waiting out Retry-After', async () => {
    const server = await apiServer({ auth: true, limit: true, bareErrors: false });
    try {
      const { code, checks } = await run(server, 'good');
      for (const id of ['h.api.success', 'h.api.unauthorized', 'h.api.not-found', 'h.api.rate-limited', 'h.api.no-version-leak']) {
        expect(checks.get(id), `${id}: ${checks.get(id)?.message}`).toMatchObject({ status: 'passed' });
      }
      expect(checks.get('h.api.unauthorized')!.evidence.exchanges![0]!.response!.status).toBe(401);
      const limited = checks.get('h.api.rate-limited')!;
      expect(limited.evidence.exchanges![0]!.response!.status).toBe(429);
      expect(limited.evidence.notes!.join('\n')).toMatch(/burst: \d+ × GET \/api\/data/);
      expect(limited.evidence.notes!.join('\n')).toMatch(/waited \d+ms \(Retry-After\)/);
      // Over plain HTTP, HSTS is skipped with the reason, never passed.
      expect(checks.get('h.api.hsts')).toMatchObject({ status: 'skipped', message: expect.stringContaining('HSTS only applies to HTTPS') });
      expect(code).toBe(0);
      // 1 success + 1 unauthorized + 1 not-found, then the burst stops at the first 429 (limit 5, 2 in flight).
      expect(server.requests.length).toBeLessThanOrEqual(3 + 5 + 2);
    } finally {
      await server.close();
    }
  });

  it('fails the 401, 404 and 429 cases of a server that sends the headers on successes only', async () => {
    const server = await apiServer({ auth: true, limit: true, bareErrors: true });
    try {
      const { code, checks } = await run(server, 'bare');
      expect(checks.get('h.api.success')).toMatchObject({ status: 'passed' });
      for (const id of ['h.api.unauthorized', 'h.api.not-found', 'h.api.rate-limited']) {
        const check = checks.get(id)!;
        expect(check, id).toMatchObject({ status: 'failed' });
        expect(check.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual(['X-Content-Type-Options is nosniff', 'framing is restricted', 'Referrer-Policy is safe']);
      }
      expect(code).toBe(1);
    } finally {
      await server.close();
    }
  });

  it.each([400, 403])('judges a refusal with %i as the unauthorized answer, with or without the headers', async (refuseWith) => {
    const good = await apiServer({ auth: true, limit: false, bareErrors: false, refuseWith });
    const bare = await apiServer({ auth: true, limit: false, bareErrors: true, refuseWith });
    try {
      const passing = (await run(good, `refuse-${refuseWith}-good`)).checks.get('h.api.unauthorized')!;
      expect(passing).toMatchObject({ status: 'passed', message: `HTTP ${refuseWith} to GET /api/data without API key: 5 header rule(s) met` });
      const failing = (await run(bare, `refuse-${refuseWith}-bare`)).checks.get('h.api.unauthorized')!;
      expect(failing).toMatchObject({ status: 'failed' });
      expect(failing.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual(['X-Content-Type-Options is nosniff', 'framing is restricted', 'Referrer-Policy is safe']);
      expect(failing.evidence.exchanges![0]!.response!.status).toBe(refuseWith);
    } finally {
      await good.close();
      await bare.close();
    }
  });

  it.each([
    [503, {}, 'answered 503, a server error, not a refusal'],
    [302, { location: '/login' }, 'answered 302 (to /login), a redirect, not a refusal'],
    [429, { 'retry-after': '1' }, 'answered 429 (rate-limited), which says nothing about the missing credentials'],
  ] as const)('does not take a %i as the refusal of a request without credentials', async (status, headers, reason) => {
    const server = await startTestServer((req, res) => {
      if (req.headers['x-api-key'] !== KEY) return void res.writeHead(status, { ...SECURE, ...headers }).end();
      res.writeHead(200, { ...SECURE, 'content-type': 'application/json' }).end('{}');
    });
    try {
      const { checks } = await run(server, `not-a-refusal-${status}`);
      expect(checks.get('h.api.unauthorized')).toMatchObject({ status: 'skipped', message: `could not provoke a refusal: GET /api/data without API key ${reason}` });
    } finally {
      await server.close();
    }
  });

  it('skips, with the reason, a class the target cannot be made to produce, within the burst bounds', async () => {
    const server = await apiServer({ auth: false, limit: false, bareErrors: false });
    try {
      const { checks } = await run(server, 'open');
      // A 2xx without credentials is no refusal: skipped with why, never judged as one (nor a finding here: the
      // route may be public on purpose; the api-key kind judges whether it should refuse).
      expect(checks.get('h.api.unauthorized')).toMatchObject({
        status: 'skipped',
        message:
          'could not provoke a refusal: GET /api/data without API key answered 200, so the route serves requests without credentials and there is no refusal to judge; point responses.unauthorized.request at a protected route (whether this one should be protected is for the api-key and mtls kinds to judge)',
      });
      expect(checks.get('h.api.rate-limited')).toMatchObject({ status: 'skipped', message: expect.stringMatching(/^could not provoke a 429: 20 × GET \/api\/data in \d+ms \(20 x 200\)$/) });
      expect(server.requests.length).toBe(3 + 20);
    } finally {
      await server.close();
    }
  });
});

describe('headers kind: rules per class of answer', () => {
  let dir: TempDir;
  let server: TestServer;
  let run: (name: string, classes: string) => Promise<Map<string, CheckResult>>;
  beforeAll(async () => {
    dir = tempDir();
    // Headers on successes only, and a gateway-style Server header with a version on every error.
    let count = 0;
    server = await startTestServer((req, res) => {
      const error = (status: number, extra: Record<string, string> = {}) => void res.writeHead(status, { 'content-type': 'application/json', server: 'gateway/2.4.1', ...extra }).end('{"error":true}');
      if (req.url !== '/api/data') return error(404);
      if (req.headers['x-api-key'] !== KEY) return error(401);
      if (++count > 3) return error(429, { 'retry-after': '0' });
      res.writeHead(200, { 'content-type': 'application/json', ...SECURE }).end('{}');
    });
    const profile = dir.file('profile.yaml', `target: ${server.url}\nkeys:\n  k: \${env:TEST_KEY}\ndefaults: { key: k }\n`);
    run = async (name, classes) => {
      const scenario = dir.file(`${name}.yaml`, `${SCENARIO}    classes:\n${classes.replace(/^/gm, '      ')}\n`);
      const out = join(dir.path, name);
      await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out], { env: { TEST_KEY: KEY } });
      return results(out);
    };
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('judges every 4xx with classes.client-error, and the success still with every rule', async () => {
    const checks = await run('client-error', 'client-error: { contentTypeOptions: false, framing: false, referrerPolicy: false, noVersionLeak: false }');
    expect(checks.get('h.api.success')).toMatchObject({ status: 'passed', message: 'HTTP 200: 6 header rule(s) met' });
    for (const [id, status] of [['unauthorized', 401], ['not-found', 404], ['rate-limited', 429]] as const) {
      const check = checks.get(`h.api.${id}`)!;
      expect(check, `${id}: ${check.message}`).toMatchObject({ status: 'passed' });
      expect(check.evidence.exchanges![0]!.response!.status).toBe(status);
      expect(check.assertions!.map((a) => a.name)).toEqual(['Content-Type is present', 'X-XSS-Protection is absent or 0']);
      expect(check.evidence.notes).toContain('header rules: require, then classes.client-error (contentTypeOptions: false, framing: false, referrerPolicy: false, noVersionLeak: false)');
    }
    // The errors' Server version is exempt; the success is still judged for a leak.
    expect(checks.get('h.api.no-version-leak')).toMatchObject({ status: 'passed', message: '1 response(s) name no software version' });
    expect(checks.get('h.api.no-version-leak')!.evidence.notes).toEqual(['not judged (noVersionLeak: false for their class): unauthorized, not-found, rate-limited']);
  });

  it('lets the most specific class win, and skips an answer left with no rule rather than pass it', async () => {
    const checks = await run(
      'specific',
      ['client-error: { framing: false }', 'rate-limited: { framing: true }', 'not-found: { contentTypeOptions: false, referrerPolicy: false, contentType: false, xssProtection: false }'].join('\n'),
    );
    const failed = (id: string) => checks.get(`h.api.${id}`)!.assertions!.filter((a) => !a.passed).map((a) => a.name);
    expect(checks.get('h.api.unauthorized')).toMatchObject({ status: 'failed' });
    expect(failed('unauthorized')).toEqual(['X-Content-Type-Options is nosniff', 'Referrer-Policy is safe']);
    expect(failed('rate-limited')).toEqual(['X-Content-Type-Options is nosniff', 'framing is restricted', 'Referrer-Policy is safe']);
    expect(checks.get('h.api.not-found')).toMatchObject({
      status: 'skipped',
      message: 'no header rule applies to this HTTP 404 answer (turned off by classes.client-error (framing: false), classes.not-found (contentTypeOptions: false, referrerPolicy: false, contentType: false, xssProtection: false))',
    });
    // No class exempts a leak: every error's Server version is a finding.
    expect(checks.get('h.api.no-version-leak')).toMatchObject({ status: 'failed' });
  });

  it('refuses an unknown class, a rule judged elsewhere and a bad referrer policy, each with where and what is allowed', async () => {
    const before = server.requests.length;
    const schema = dir.file('bad-classes.yaml', `${SCENARIO}    classes:\n      client-errors: { framing: false }\n      success: { hsts: false }\n`);
    const cli = await runCli(['validate', schema]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/bad-classes\.yaml:13:7: error\[E_UNKNOWN_FIELD\]: unknown field 'client-errors' in checks\[0\]\.classes\n(.*\n)*?\s+hint: did you mean 'client-error'\?/);
    expect(cli.stderr).toMatch(/bad-classes\.yaml:14:18: error\[E_UNKNOWN_FIELD\]: unknown field 'hsts' in checks\[0\]\.classes\.success\n(.*\n)*?\s+hint: allowed: contentTypeOptions, framing, referrerPolicy, cacheControl, contentType, xssProtection, noVersionLeak\n/);
    const policy = dir.file('bad-policy.yaml', `${SCENARIO}    classes:\n      not-found: { referrerPolicy: [no-referer] }\n`);
    const second = await runCli(['run', policy, '-p', dir.file('p.yaml', `target: ${server.url}\n`)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/bad-policy\.yaml:13:37: error\[E_BAD_VALUE\]: 'no-referer' is not a referrer policy\n(.*\n)*?\s+hint: did you mean 'no-referrer'\?/);
    expect(server.requests.length).toBe(before);
  });
});

describe('headers kind: HSTS over HTTPS', () => {
  let pki: TestPki;
  const servers: ReferenceServer[] = [];
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    pki.dir.remove();
  });

  /** The built-in scenario, or (lean) the same check without its answer to no credentials, which a server without keys serves. */
  async function hstsResults(name: string, flaws: string[], maxAgeSeconds?: number, lean = true): Promise<Map<string, CheckResult>> {
    const server = await createReferenceServer({ tls: { key: pki.read('server.key'), cert: pki.read('server.crt') }, securityHeaders: { hsts: { maxAgeSeconds } }, flaws });
    servers.push(server);
    const profile = pki.dir.file(`${name}.yaml`, `target: ${server.url}\ntls: { ca: ca.crt }\nvars: { readPath: /api/data }\n`);
    const scenario = lean
      ? pki.dir.file(
          `${name}-scenario.yaml`,
          readFileSync(join(ROOT, 'scenarios/headers.yaml'), 'utf8').replace('cases: [success, unauthorized, not-found, hsts, hsts-max-age, no-version-leak]', 'cases: [success, not-found, hsts, hsts-max-age, no-version-leak]'),
        )
      : join(ROOT, 'scenarios/headers.yaml');
    const out = join(pki.dir.path, name);
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    return results(out);
  }

  it('passes the reference HSTS (two years, includeSubDomains) on the built-in scenario', async () => {
    const checks = await hstsResults('correct', [], undefined, false);
    expect(checks.get('headers.api.hsts'), checks.get('headers.api.hsts')?.message).toMatchObject({ status: 'passed', message: 'Strict-Transport-Security: max-age=63072000; includeSubDomains' });
    expect(checks.get('headers.api.hsts-max-age')).toMatchObject({ status: 'passed' });
    expect(checks.get('headers.api.success')).toMatchObject({ status: 'passed' });
  });

  it('fails only the hsts case without the header, and skips the max-age case with the reason', async () => {
    const checks = await hstsResults('missing', ['headers-missing-hsts']);
    expect(checks.get('headers.api.hsts')).toMatchObject({ status: 'failed', message: expect.stringContaining('Strict-Transport-Security present') });
    expect(checks.get('headers.api.hsts-max-age')).toMatchObject({ status: 'skipped', message: expect.stringContaining('no Strict-Transport-Security max-age') });
    expect([...checks.keys()]).toEqual(['headers.api.success', 'headers.api.not-found', 'headers.api.hsts', 'headers.api.hsts-max-age', 'headers.api.no-version-leak', 'headers.limited.rate-limited']);
    // The profile names no rate-limited route: that check does not fit, and says what it needs.
    expect(checks.get('headers.limited.rate-limited')).toMatchObject({ status: 'skipped', message: expect.stringContaining('vars.limitedPath') });
    expect([...checks.values()].filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['headers.api.hsts']);
  });

  it('fails only the max-age case for a one-day max-age, at the check severity', async () => {
    const checks = await hstsResults('weak', ['headers-weak-hsts']);
    expect(checks.get('headers.api.hsts')).toMatchObject({ status: 'passed' });
    expect(checks.get('headers.api.hsts-max-age')).toMatchObject({ status: 'failed', severity: 'medium', message: expect.stringContaining('got 86400s') });
    expect([...checks.values()].filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['headers.api.hsts-max-age']);
  });

  it('reports a max-age between 180 days and a year as a low finding', async () => {
    const checks = await hstsResults('short', [], 20_000_000);
    expect(checks.get('headers.api.hsts-max-age')).toMatchObject({ status: 'failed', severity: 'low' });
  });

  it('draws the lines exactly at 180 days (15552000 s) and a year (31536000 s)', async () => {
    const maxAge = async (seconds: number) => (await hstsResults(`edge-${seconds}`, [], seconds)).get('headers.api.hsts-max-age');
    expect(await maxAge(15_551_999)).toMatchObject({ status: 'failed', severity: 'medium' });
    expect(await maxAge(15_552_000)).toMatchObject({ status: 'failed', severity: 'low' });
    expect(await maxAge(31_535_999)).toMatchObject({ status: 'failed', severity: 'low' });
    expect(await maxAge(31_536_000)).toMatchObject({ status: 'passed' });
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'skips the unauthorized case, with the reason, when a server requiring client certificates refuses at the TLS layer (%s)',
    async (maxVersion) => {
      // TLS 1.2 fails the handshake itself; TLS 1.3 completes it and the refusal arrives at the first read.
      const server = createHttpsServer({ key: pki.read('server.key'), cert: pki.read('server.crt'), ca: pki.read('ca-chain.crt'), requestCert: true, rejectUnauthorized: true, maxVersion }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', ...SECURE }).end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const scenario = pki.dir.file('tls-refusal.yaml', 'name: tls refusal\nchecks:\n  - { id: h, kind: headers, severity: medium, cases: [success, unauthorized], responses: { success: { request: { path: /x } } } }\n');
        const out = join(pki.dir.path, `tls-refusal-${maxVersion}`);
        await runCli(['run', scenario, '-p', pki.path('profile.yaml'), '--target', `https://127.0.0.1:${(server.address() as AddressInfo).port}`, '-r', 'json', '-o', out]);
        const checks = results(out);
        // The success request carries the profile's client certificate; the unauthorized one, by default, no credentials at all.
        expect(checks.get('h.success')).toMatchObject({ status: 'passed' });
        expect(checks.get('h.unauthorized')).toMatchObject({
          status: 'skipped',
          message: expect.stringMatching(/^the TLS layer refused GET \/x without client certificate before any HTTP answer \([A-Z0-9_]+\), so there are no response headers to judge; the refusal itself is for the mtls kind to judge$/),
        });
        expect(checks.get('h.unauthorized')!.evidence.exchanges![0]!.transport!.class).toBe('tls-rejected');
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it('fails two Strict-Transport-Security headers, even when each is valid', async () => {
    const server = createHttpsServer({ key: pki.read('server.key'), cert: pki.read('server.crt') }, (_req, res) => {
      res.setHeader('strict-transport-security', ['max-age=63072000', 'max-age=63072000; includeSubDomains']);
      res.writeHead(200, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const profile = pki.dir.file('twice.yaml', `target: https://127.0.0.1:${(server.address() as AddressInfo).port}\ntls: { ca: ca.crt }\n`);
      const scenario = pki.dir.file('twice-scenario.yaml', 'name: twice\nchecks:\n  - { id: h, kind: headers, severity: medium, cases: [success, hsts], responses: { success: { request: { path: /x } } } }\n');
      const out = join(pki.dir.path, 'twice');
      await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
      const hsts = results(out).get('h.hsts')!;
      expect(hsts.status).toBe('failed');
      expect(hsts.assertions!.filter((a) => !a.passed).map((a) => a.name)).toContain('a single Strict-Transport-Security header');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
