import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult, Exchange, RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Issue 14, item 6, against a stack nobody here wrote: Express 5 with helmet 8, cors and express-rate-limit 8
 * (MemoryStore, keyed per client IP, draft-8 headers) as their READMEs set them up, the limit tight enough that the
 * built-in CORS matrix spends it. Before, headers.yaml then met the 429: "headers.api.success errored: could not
 * provoke a 2xx: GET /api/data answered 429; fix responses.success.request", with unauthorized and not-found
 * skipped on 429s. Now the throttled request waits out Retry-After, is sent once more and says so.
 */
const KEY = 'express-key-0123456789';
const ORIGINS = ['https://app.example.com', 'https://admin.example.com'];
const SCENARIOS = [join(ROOT, 'scenarios/cors.yaml'), join(ROOT, 'scenarios/headers.yaml')];
// scenarios/cors.yaml sends 35 requests: after it, against this app with limit 1000,
//   curl -si http://127.0.0.1:$PORT/api/data -H 'x-api-key: express-key-0123456789' | grep RateLimit:
//   -> RateLimit: "1000-in-2sec"; r=964; t=2          (1000 - 964 = 35 by cors.yaml, 1 by this curl)
const CORS_REQUESTS = 35;
// A window long enough that the CORS matrix (about 200 ms on loopback) surely ends inside it.
const WINDOW_MS = 4000;

const dir = tempDir();
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  dir.remove();
});

/** helmet first, then the limiter for every request (as express-rate-limit's README applies it), cors, a key check. */
async function start(): Promise<string> {
  const app = express();
  app.use(helmet());
  app.use(rateLimit({ windowMs: WINDOW_MS, limit: CORS_REQUESTS, standardHeaders: 'draft-8', legacyHeaders: false }));
  app.use(cors({ origin: ORIGINS, credentials: true, allowedHeaders: ['Content-Type', 'X-API-Key'], maxAge: 600 }));
  app.use('/api', (req: Request, res: Response, next: NextFunction) => (req.get('x-api-key') === KEY ? next() : void res.status(401).json({ error: 'unauthorized' })));
  app.get('/api/data', (_req, res) => void res.json({ data: [1, 2, 3] }));
  app.get('/api/search', (_req, res) => void res.json({ results: [] }));
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const allExchanges = (check: CheckResult): Exchange[] => check.evidence.exchanges ?? [];

describe('cors.yaml then headers.yaml against Express behind express-rate-limit, 35 per 4 s per IP', () => {
  it('judges every case on a real answer: the headers request that met the 429 waited out Retry-After, was retried and says so', async () => {
    const url = await start();
    const profile = dir.file('express.yaml', `target: ${url}\nkeys:\n  valid: \${env:EXPRESS_KEY}\ndefaults: { key: valid }\nvars: { readPath: /api/data, limitedPath: /api/search }\ncors: { allowedOrigins: [https://app.example.com, https://admin.example.com], credentials: true }\n`);
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', ...SCENARIOS, '-p', profile, '-r', 'json', '-o', out], { env: { EXPRESS_KEY: KEY } });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const checks = new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
    const byStatus = (status: string) => [...checks.values()].filter((c) => c.status === status).map((c) => c.id).sort();

    // Every CORS case passes: the list of origins is exact. 35 requests fit the limit of 35, so none was throttled.
    const corsCases = [...checks.keys()].filter((id) => id.startsWith('cors.'));
    expect(corsCases).toHaveLength(18);
    for (const id of corsCases) expect(checks.get(id), `${id}: ${checks.get(id)!.message}`).toMatchObject({ status: 'passed' });

    // The one finding is real. After 35 requests in the window,
    //   curl -si $URL/api/data -H 'x-api-key: express-key-0123456789'
    //   -> HTTP/1.1 429 Too Many Requests / RateLimit: "35-in-4sec"; r=0; t=4 / Retry-After: 4
    // and, that long later, the same curl
    //   -> HTTP/1.1 200 OK with Referrer-Policy: no-referrer, X-Content-Type-Options: nosniff,
    //      X-Frame-Options: SAMEORIGIN and no Cache-Control at all (helmet sets none): an authenticated answer
    //      a shared cache may keep.
    expect(byStatus('failed')).toEqual(['headers.api.success']);
    expect(checks.get('headers.api.success')!.assertions!.filter((a) => !a.passed).map((a) => a.name)).toEqual(['Cache-Control has no-store (authenticated response)']);
    expect(byStatus('errored')).toEqual([]);
    // curl -si $URL/api/data                      -> HTTP/1.1 401 Unauthorized, X-Content-Type-Options: nosniff
    // curl -si $URL/api/gauntlet-no-such-route -H 'x-api-key: ...' -> HTTP/1.1 404 Not Found, nosniff
    // The burst's 429 (see above) carries helmet's headers too: helmet runs before the limiter.
    for (const id of ['headers.api.unauthorized', 'headers.api.not-found', 'headers.limited.rate-limited', 'headers.api.no-version-leak']) {
      expect(checks.get(id), `${id}: ${checks.get(id)!.message}`).toMatchObject({ status: 'passed' });
    }
    // HSTS is judged over HTTPS only; this target is plain HTTP.
    expect(byStatus('skipped')).toEqual(['headers.api.hsts', 'headers.api.hsts-max-age']);
    expect(cli.code).toBe(1);

    // The throttling is on the record: the success request met the 429 and was sent again after its Retry-After.
    const success = allExchanges(checks.get('headers.api.success')!)[0]!;
    expect(success.response!.status).toBe(200);
    expect(success.throttled).toMatchObject({ waitFrom: 'retry-after', retried: true, retryAfter: expect.stringMatching(/^[1-4]$/) });
    expect(success.throttled!.waitMs).toBe(Number(success.throttled!.retryAfter) * 1000);
    expect(success.notes).toEqual([expect.stringMatching(/^throttled: first answered 429 \(Retry-After: [1-4]\); waited [1-4]\.00s and sent it once more$/)]);
    expect(checks.get('headers.api.success')!.evidence.notes).toContainEqual(expect.stringMatching(/^throttled: 1 request\(s\) answered 429 by the target's rate limit; 1 sent again after waiting [1-4]\.00s in all$/));

    // No verdict rests on a 429 it did not ask for: every 429 in the report is one the burst provoked on purpose.
    const judged429 = [...checks.values()].flatMap((c) => allExchanges(c).filter((e) => e.response?.status === 429).map((e) => `${c.id}: ${e.label}`));
    expect(judged429.length).toBeGreaterThan(0);
    for (const judged of judged429) expect(judged).toMatch(/^headers\.limited\.rate-limited: burst request \d+$/);
  });
});
