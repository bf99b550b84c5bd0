import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A 429 met by an ordinary check is the target's quota spent by other traffic, not an answer to judge: the request
 * is sent once more after the Retry-After, within the check's allowance, and the report says so.
 */
const dir = tempDir();
afterAll(() => dir.remove());

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers 429 (with these headers) to the first `refusals` requests to a path, then 200. */
function throttledFor(refusals: number, headers: Record<string, string>) {
  const seen = new Map<string, number>();
  const arrivals: { path: string; at: number }[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url!.split('?')[0]!;
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    arrivals.push({ path, at: performance.now() });
    if (n <= refusals) res.writeHead(429, { 'content-type': 'text/plain', ...headers }).end('Too Many Requests');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  return { handler, arrivals };
}

async function run(name: string, checks: string[], args: string[] = []): Promise<{ code: number | null; checks: Map<string, CheckResult>; stdout: string }> {
  const scenario = dir.file(`${name}.yaml`, `name: ${name}\nchecks:\n${checks.map((c) => `  - ${c}`).join('\n')}\n`);
  const out = join(dir.path, `out-${name}`);
  const cli = await runCli(['run', scenario, '--target', server!.url, '-r', 'console,json', '-o', out, ...args]);
  const report: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  return { code: cli.code, stdout: cli.stdout, checks: new Map(report.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c])) };
}

describe('a 429 met by an ordinary check', () => {
  it('is waited out (Retry-After) and retried once: the check judges the real answer and records the throttling', async () => {
    const target = throttledFor(1, { 'retry-after': '1' });
    server = await startTestServer(target.handler);
    const { code, checks } = await run('retry', ['{ id: t.data, kind: http, severity: high, request: { path: /api/data }, expect: { status: 200 } }']);
    const check = checks.get('t.data')!;
    expect(check.status, check.message).toBe('passed');
    expect(code).toBe(0);
    expect(target.arrivals.map((a) => a.path)).toEqual(['/api/data', '/api/data']);
    expect(target.arrivals[1]!.at - target.arrivals[0]!.at, 'waited the Retry-After').toBeGreaterThanOrEqual(990);
    const exchange = check.evidence.exchanges![0]!;
    expect(exchange.response!.status).toBe(200);
    expect(exchange.throttled).toEqual({ retryAfter: '1', waitMs: 1000, waitFrom: 'retry-after', retried: true });
    expect(exchange.notes).toEqual(['throttled: first answered 429 (Retry-After: 1); waited 1.00s and sent it once more']);
    expect(check.evidence.notes).toContain("throttled: 1 request(s) answered 429 by the target's rate limit; 1 sent again after waiting 1.00s in all");
  });

  it('is kept as answered when its Retry-After is beyond what the check may wait, saying why', async () => {
    const target = throttledFor(1, { 'retry-after': '999999999' });
    server = await startTestServer(target.handler);
    const { checks } = await run('too-long', ['{ id: t.data, kind: http, severity: high, request: { path: /api/data }, expect: { status: 200 } }']);
    const check = checks.get('t.data')!;
    expect(check.status).toBe('failed');
    expect(target.arrivals).toHaveLength(1);
    const exchange = check.evidence.exchanges![0]!;
    expect(exchange.throttled).toMatchObject({ retryAfter: '999999999', retried: false, notRetried: expect.stringContaining('more than this check may still wait for 429s (30.0s of 30.0s)') });
    expect(check.evidence.notes).toContain("throttled: 1 request(s) answered 429 by the target's rate limit; 1 kept as answered (see the exchange notes)");
  });

  it('grows the check bound by the wait: a 3 s Retry-After does not trip the watchdog of a 1 s request', async () => {
    // The http kind's bound is one request at its deadline (1 s); the watchdog allows 2 s more. Waiting 3 s and
    // retrying would stop it if the wait were not added to the bound.
    const target = throttledFor(1, { 'retry-after': '3' });
    server = await startTestServer(target.handler);
    const { checks } = await run('long-wait', ['{ id: t.data, kind: http, severity: high, request: { path: /api/data }, expect: { status: 200 } }'], ['--timeout', '1s']);
    expect(checks.get('t.data')).toMatchObject({ status: 'passed' });
    expect(target.arrivals).toHaveLength(2);
  });

  it('is the answer for a check that expects it (429), and for the burst that provokes it: neither is retried', async () => {
    const target = throttledFor(1000, { 'retry-after': '1' });
    server = await startTestServer(target.handler);
    const { checks } = await run('wanted', [
      '{ id: t.limited, kind: http, severity: high, request: { path: /api/limited }, expect: { status: 429 } }',
      '{ id: t.headers, kind: headers, severity: low, cases: [rate-limited], responses: { rate-limited: { request: { path: /api/search }, burst: { max: 10, concurrency: 2, cooldownMax: 0s } } } }',
    ]);
    expect(checks.get('t.limited')).toMatchObject({ status: 'passed' });
    expect(checks.get('t.limited')!.evidence.exchanges![0]!.throttled).toBeUndefined();
    expect(target.arrivals.filter((a) => a.path === '/api/limited')).toHaveLength(1);
    // Two workers each sent one request and both met the 429: no wait, no second send.
    expect(target.arrivals.filter((a) => a.path === '/api/search')).toHaveLength(2);
    const provoked = checks.get('t.headers.rate-limited')!.evidence.exchanges![0]!;
    expect(provoked.response!.status).toBe(429);
    expect(provoked.throttled).toBeUndefined();
  });
});
