import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Exchange, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { haproxyGlobal, startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';
import { requireService } from '../helpers/services.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Issue 14, item 6, against Debian's HAProxy 2.6 in front of Express (helmet, cors): a per-IP stick-table limit
 * as HAProxy's docs write it (`http_req_rate`, `deny_status 429`), which sends no Retry-After. Before, the CORS
 * matrix spent it and its own later probes were judged on HAProxy's 429 page ("refused: ... preflight 429"), and
 * headers.yaml's success request errored on a 429. Now a throttled request waits the documented default and is
 * sent once more, and a profile `pace` keeps a tighter limit from being met at all.
 */
const haproxy = requireService('haproxy', 'the HAProxy stick-table conformance cases');
const KEY = 'express-key-0123456789';
const SCENARIOS = [join(ROOT, 'scenarios/cors.yaml'), join(ROOT, 'scenarios/headers.yaml')];
const dir = tempDir();

let backend: Server;
let backendUrl: string;
const proxies: RunningHaproxy[] = [];

beforeAll(async () => {
  const app = express();
  app.use(helmet());
  app.use(cors({ origin: ['https://app.example.com', 'https://admin.example.com'], credentials: true, allowedHeaders: ['Content-Type', 'X-API-Key'], maxAge: 600 }));
  app.use('/api', (req: Request, res: Response, next: NextFunction) => (req.get('x-api-key') === KEY ? next() : void res.status(401).json({ error: 'unauthorized' })));
  app.get('/api/data', (_req, res) => void res.json({ data: [1, 2, 3] }));
  app.get('/api/search', (_req, res) => void res.json({ results: [] }));
  backend = createServer(app);
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
  dir.remove();
});

/** Starts HAProxy in the foreground on a free loopback port, limiting each client IP as `rate` says. */
async function startLimitingHaproxy(name: string, rate: { period: string; above: number }): Promise<string> {
  const started = await startHaproxy(
    haproxy!,
    dir,
    (port) => `${haproxyGlobal()}
frontend api
  bind 127.0.0.1:${port}
  stick-table type ip size 1k expire 30s store http_req_rate(${rate.period})
  http-request track-sc0 src
  http-request deny deny_status 429 if { sc_http_req_rate(0) gt ${rate.above} }
  default_backend app
backend app
  server express ${backendUrl}
`,
    { name: `${name}.cfg` },
  );
  proxies.push(started);
  return `http://127.0.0.1:${started.port}`;
}

async function audit(name: string, url: string, profileExtra = ''): Promise<{ code: number | null; checks: Map<string, CheckResult> }> {
  const profile = dir.file(`${name}.yaml`, `target: ${url}\nkeys:\n  valid: \${env:EXPRESS_KEY}\ndefaults: { key: valid }\nvars: { readPath: /api/data, limitedPath: /api/search }\ncors: { allowedOrigins: [https://app.example.com, https://admin.example.com], credentials: true }\n${profileExtra}`);
  const out = join(dir.path, `out-${name}`);
  const cli = await runCli(['run', ...SCENARIOS, '-p', profile, '-r', 'json', '-o', out], { env: { EXPRESS_KEY: KEY } });
  const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  return { code: cli.code, checks: new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c])) };
}

const exchanges = (checks: Map<string, CheckResult>): [string, Exchange][] => [...checks.values()].flatMap((c) => (c.evidence.exchanges ?? []).map((e): [string, Exchange] => [c.id, e]));

/**
 * The verdicts both cases must reach, each on a real answer:
 * - every CORS case passes (the origin list is exact);
 * - headers.api.success fails only for Cache-Control. Through HAProxy,
 *     curl -si $URL/api/data -H 'x-api-key: express-key-0123456789'
 *     -> HTTP/1.1 200 OK, x-content-type-options: nosniff, x-frame-options: SAMEORIGIN, no cache-control
 * - headers.limited.rate-limited fails: HAProxy answers the refusal itself, with its built-in page. The 21st of
 *   21 quick curls (or the 11th, for the 2 s table) ->
 *     HTTP/1.1 429 Too Many Requests / content-length: 117 / cache-control: no-cache / content-type: text/html
 *   and no X-Content-Type-Options, X-Frame-Options, Referrer-Policy or Retry-After: a real finding about the
 *   gateway's error page.
 */
function expectRealVerdicts(checks: Map<string, CheckResult>): void {
  const corsCases = [...checks.keys()].filter((id) => id.startsWith('cors.'));
  expect(corsCases).toHaveLength(18);
  for (const id of corsCases) expect(checks.get(id), `${id}: ${checks.get(id)!.message}`).toMatchObject({ status: 'passed' });
  const failed = [...checks.values()].filter((c) => c.status === 'failed').map((c) => c.id).sort();
  expect(failed).toEqual(['headers.api.success', 'headers.limited.rate-limited']);
  expect(checks.get('headers.api.success')!.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual(['Cache-Control has no-store (authenticated response)']);
  expect(checks.get('headers.limited.rate-limited')!.assertions!.filter((a) => !a.passed).map((a) => a.name)).toContain('X-Content-Type-Options is nosniff');
  for (const id of ['headers.api.unauthorized', 'headers.api.not-found', 'headers.api.no-version-leak']) {
    expect(checks.get(id), `${id}: ${checks.get(id)!.message}`).toMatchObject({ status: 'passed' });
  }
  expect([...checks.values()].filter((c) => c.status === 'errored').map((c) => c.id)).toEqual([]);
  // Every 429 in the report was provoked on purpose by the headers burst: no other verdict rests on one.
  for (const [id, exchange] of exchanges(checks).filter(([, e]) => e.response?.status === 429)) expect(`${id}: ${exchange.label}`).toMatch(/: burst request \d+$/);
}

describe.skipIf(!haproxy)('cors.yaml then headers.yaml through HAProxy 2.6 with a per-IP stick-table limit', () => {
  it('20 per 5 s: the CORS request that met the 429 (no Retry-After) waited the default 10 s, was sent again, and says so', async () => {
    // 22 quick curls -> 20 x 200, then 429 429 (no Retry-After); 10 s later -> 200 again: two 5 s periods of
    // http_req_rate have passed, and HAProxy counted the refused requests too.
    const url = await startLimitingHaproxy('twenty-per-5s', { period: '5s', above: 20 });
    const { code, checks } = await audit('twenty-per-5s', url);
    expectRealVerdicts(checks);
    expect(code).toBe(1);
    const throttled = exchanges(checks).filter(([, e]) => e.throttled);
    expect(throttled.length).toBeGreaterThan(0);
    for (const [id, exchange] of throttled) {
      expect(id).toMatch(/^cors\./);
      expect(exchange.throttled).toEqual({ waitMs: 10_000, waitFrom: 'default', retried: true });
      expect(exchange.notes).toContain('throttled: first answered 429 (no Retry-After, so the default 10.0s); waited 10.0s and sent it once more');
      expect(exchange.response!.status).not.toBe(429);
      expect(checks.get(id)!.evidence.notes).toContainEqual(expect.stringMatching(/^throttled: \d+ request\(s\) answered 429 by the target's rate limit; \d+ sent again after waiting/));
    }
  });

  it('10 per 2 s with pace: 4 in the profile: the limit is never met by ordinary checks, only by the burst meant to', async () => {
    // 12 quick curls -> 10 x 200, then 429 429; 40 curls 250 ms apart -> 40 x 200.
    const url = await startLimitingHaproxy('ten-per-2s', { period: '2s', above: 10 });
    const { code, checks } = await audit('ten-per-2s', url, 'pace: 4\n');
    expectRealVerdicts(checks);
    expect(code).toBe(1);
    expect(exchanges(checks).filter(([, e]) => e.throttled)).toEqual([]);
  });
});
