import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { rawRequest } from '../helpers/raw-request.js';

/**
 * The built-in cors and headers scenarios against servers we did not write: Express with the `cors` and
 * `helmet` packages configured as their READMEs show. The verdicts must match what those packages really
 * send (checked here with plain requests), so the checks are not tuned to the reference server.
 */
const KEY = 'express-key-0123456789';
const ORIGINS = ['https://app.example.com', 'https://admin.example.com'];
const SCENARIOS = [join(ROOT, 'scenarios/cors.yaml'), join(ROOT, 'scenarios/headers.yaml')];

function api(app: Express, options: { auth?: boolean; limit?: boolean } = {}): Express {
  if (options.auth) app.use('/api', (req: Request, res: Response, next: NextFunction) => (req.get('x-api-key') === KEY ? next() : void res.status(401).json({ error: 'unauthorized' })));
  if (options.limit) {
    // rate-limiter-flexible's Express middleware, as in its README (plus Retry-After).
    const limiter = new RateLimiterMemory({ points: 40, duration: 2 });
    app.use('/api', (req: Request, res: Response, next: NextFunction) => {
      limiter
        .consume(req.ip ?? 'unknown')
        .then(() => next())
        .catch((rejection: { msBeforeNext: number }) => {
          res.set('Retry-After', String(Math.ceil(rejection.msBeforeNext / 1000)));
          res.status(429).send('Too Many Requests');
        });
    });
  }
  app.get('/api/data', (_req, res) => void res.json({ data: [1, 2, 3] }));
  return app;
}

async function listen(app: Express, pki: TestPki): Promise<{ url: string; server: Server }> {
  const server = createHttpsServer({ key: pki.read('server.key'), cert: pki.read('server.crt') }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('built-in cors and headers scenarios against Express with cors and helmet', () => {
  let pki: TestPki;
  const servers: Server[] = [];
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    pki.dir.remove();
  });

  async function audit(name: string, app: Express): Promise<{ url: string; code: number | null; checks: Map<string, CheckResult> }> {
    const { url, server } = await listen(app, pki);
    servers.push(server);
    const profile = pki.dir.file(`${name}.yaml`, `target: ${url}\ntls: { ca: ca.crt }\nkeys:\n  valid: \${env:EXPRESS_KEY}\ndefaults: { key: valid }\nvars: { readPath: /api/data, limitedPath: /api/data }\ncors: { allowedOrigins: [https://app.example.com, https://admin.example.com], credentials: true }\n`);
    const out = join(pki.dir.path, name);
    const cli = await runCli(['run', ...SCENARIOS, '-p', profile, '-r', 'json', '-o', out], { env: { EXPRESS_KEY: KEY } });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { url, code: cli.code, checks: new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c])) };
  }
  const failing = (checks: Map<string, CheckResult>) => [...checks.values()].filter((c) => c.status === 'failed' || c.status === 'errored').map((c) => c.id).sort();
  const get = (url: string, headers: Record<string, string> = {}) => rawRequest(url, { headers: { 'x-api-key': KEY, ...headers }, ca: pki.read('ca.crt') });

  it('helmet() defaults and cors with an explicit origin list: every CORS case passes, and the missing Cache-Control is the only header finding', async () => {
    const app = express();
    app.use(helmet());
    app.use(cors({ origin: ORIGINS, credentials: true, allowedHeaders: ['Content-Type', 'X-API-Key'], maxAge: 600 }));
    const { url, code, checks } = await audit('helmet-cors-list', api(app, { auth: true, limit: true }));

    expect(failing(checks)).toEqual(['headers.api.success']);
    expect(checks.get('headers.api.success')!.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual(['Cache-Control has no-store (authenticated response)']);
    for (const id of ['headers.api.unauthorized', 'headers.api.not-found', 'headers.limited.rate-limited', 'headers.api.hsts', 'headers.api.hsts-max-age', 'headers.api.no-version-leak']) {
      expect(checks.get(id), `${id}: ${checks.get(id)?.message}`).toMatchObject({ status: 'passed' });
    }
    expect([...checks.keys()].filter((id) => id.startsWith('cors.')).every((id) => checks.get(id)!.status === 'passed')).toBe(true);
    expect(code).toBe(1);

    // What helmet and cors really sent.
    const data = await get(`${url}/api/data`, { origin: ORIGINS[0]! });
    expect(data.headers['cache-control']).toBeUndefined();
    expect(data.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(checks.get('headers.api.hsts')!.message).toBe('Strict-Transport-Security: max-age=31536000; includeSubDomains');
    expect(data.headers).toMatchObject({ 'x-frame-options': 'SAMEORIGIN', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-xss-protection': '0', 'access-control-allow-origin': ORIGINS[0], vary: 'Origin' });
    expect(data.headers['x-powered-by']).toBeUndefined();
    const notFound = await get(`${url}/api/gauntlet-no-such-route`);
    // Express's final handler replaces helmet's CSP with one without frame-ancestors; helmet's X-Frame-Options stays.
    expect(notFound.headers).toMatchObject({ 'content-security-policy': "default-src 'none'", 'x-frame-options': 'SAMEORIGIN', 'content-type': 'text/html; charset=utf-8' });
    const evil = await get(`${url}/api/data`, { origin: 'https://evilapp.example.com' });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('cors() with its default origin * is a wildcard finding, and its reflected request headers are reported', async () => {
    const app = express();
    app.use(cors());
    const { url, checks } = await audit('cors-default', api(app));
    const corsFailures = failing(checks).filter((id) => id.startsWith('cors.'));
    // The listed origins ask for credentials, which browsers never grant with *.
    expect(corsFailures).toEqual(['cors.policy.allowed-origin-1', 'cors.policy.allowed-origin-2', 'cors.policy.preflight-header-reflection', 'cors.policy.wildcard']);
    expect(checks.get('cors.policy.wildcard')).toMatchObject({ severity: 'low' });
    expect(checks.get('cors.policy.arbitrary-origin')).toMatchObject({ status: 'passed' });
    expect(checks.get('cors.policy.arbitrary-origin')!.evidence.notes).toEqual(['answered Access-Control-Allow-Origin: * (judged by the wildcard case)']);
    // Without helmet, Express announces itself.
    expect(checks.get('headers.api.no-version-leak')).toMatchObject({ status: 'failed', message: expect.stringContaining('Express') });

    const simple = await get(`${url}/api/data`, { origin: 'https://anyone.example' });
    expect(simple.headers['access-control-allow-origin']).toBe('*');
    expect(simple.headers['x-powered-by']).toBe('Express');
    const preflight = await rawRequest(`${url}/api/data`, { method: 'OPTIONS', ca: pki.read('ca.crt'), headers: { origin: ORIGINS[0]!, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-made-up' } });
    expect(preflight.headers['access-control-allow-headers']).toBe('x-made-up');
  });

  it("cors with the README's RegExp /example\\.com$/ is caught by exactly the probes that regex accepts", async () => {
    const app = express();
    app.use(cors({ origin: /example\.com$/, credentials: true }));
    const { url, checks } = await audit('cors-regex', api(app));
    expect(failing(checks).filter((id) => id.startsWith('cors.'))).toEqual([
      'cors.policy.http-downgrade',
      'cors.policy.preflight-header-reflection',
      'cors.policy.subdomain-origin',
      'cors.policy.suffix-origin',
      'cors.policy.unescaped-dot-origin',
    ]);
    // Credentials come with each reflected origin: high severity.
    expect(checks.get('cors.policy.suffix-origin')).toMatchObject({ severity: 'high' });
    for (const origin of ['https://evilapp.example.com', 'http://app.example.com', 'https://appxexample.com']) {
      expect((await get(`${url}/api/data`, { origin })).headers['access-control-allow-origin']).toBe(origin);
    }
    expect((await get(`${url}/api/data`, { origin: 'https://app.example.com.evil.example' })).headers['access-control-allow-origin']).toBeUndefined();
  });
});
