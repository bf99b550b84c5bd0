import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/**
 * Rate-limit and load checks measure the target's quota: the runner runs them after the other checks and leaves the
 * target alone for the declared recovery time before each, so no check measures another's traffic.
 */
const WINDOW_MS = 300;
const dir = tempDir();
let server: TestServer;
const arrivals: { path: string; query: string; at: number }[] = [];
let report: RunResult;
let code: number | null;

beforeAll(async () => {
  // A fixed window of 3 per 300 ms on each /api/limited* path; everything else answers at once.
  const windows = new Map<string, { start: number; count: number }>();
  server = await startTestServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    arrivals.push({ path: url.pathname, query: url.search, at: performance.now() });
    if (url.pathname.startsWith('/api/limited')) {
      const now = Date.now();
      let w = windows.get(url.pathname);
      if (!w || now - w.start >= WINDOW_MS) windows.set(url.pathname, (w = { start: now - (now % WINDOW_MS), count: 0 }));
      if (++w.count > 3) return void res.writeHead(429, { 'retry-after': '1' }).end();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"tok-1"}');
  });
  const limits = (id: string, path: string, recovery: string) =>
    `{ id: ${id}, kind: rate-limit, severity: low, request: { path: ${path} }, policy: { limit: 3, window: ${WINDOW_MS}ms, recovery: ${recovery} }, probes: [discovery], maxRequests: 40 }`;
  // Listed first, and run one scenario at a time: today its rate-limit check would run before anything else.
  const s1 = dir.file(
    's1.yaml',
    `name: s1\nchecks:\n` +
      `  - { id: s1.first, kind: http, severity: low, request: { path: /api/plain }, expect: { status: 200 }, capture: { token: $.token } }\n` +
      `  - ${limits('s1.limits', '/api/limited', '600ms')}\n` +
      `  - { id: s1.after, kind: http, severity: low, request: { path: /api/plain, query: { t: '{{token}}' } }, expect: { status: 200 } }\n`,
  );
  const s2 = dir.file('s2.yaml', 'name: s2\nchecks:\n  - { id: s2.other, kind: http, severity: low, request: { path: /api/other }, expect: { status: 200 } }\n');
  const s3 = dir.file('s3.yaml', `name: s3\nchecks:\n  - ${limits('s3.slow', '/api/limited2', '1200ms')}\n  - ${limits('s3.quick', '/api/limited3', '100ms')}\n`);
  const out = join(dir.path, 'out');
  const cli = await runCli(['run', s1, s2, s3, '--target', server.url, '-c', '1', '-r', 'json', '-o', out]);
  code = cli.code;
  report = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

const first = (path: string) => arrivals.find((a) => a.path === path)!.at;
const last = (path: string, query = '') => arrivals.filter((a) => a.path === path && a.query === query).at(-1)!.at;
const checks = () => new Map<string, CheckResult>(report.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));

describe('the runner and quota-spending checks', () => {
  it("runs every scenario's other checks first, then the rate-limit checks and what follows them in their scenario", () => {
    const order = arrivals.map((a) => a.path + a.query).filter((p, i, all) => p !== all[i - 1]);
    expect(order).toEqual(['/api/plain', '/api/other', '/api/limited', '/api/plain?t=tok-1', '/api/limited2', '/api/limited3']);
    expect(code, JSON.stringify(report.verdict)).not.toBe(2);
  });

  it('keeps each scenario in its order in the report, and captures still flow', () => {
    expect(report.scenarios[0]!.checks.map((c) => c.id)).toEqual(['s1.first', 's1.limits.discovery', 's1.after']);
    expect(checks().get('s1.after')).toMatchObject({ status: 'passed' });
  });

  it('leaves the target alone for the recovery time before each quota check: its own, or the previous one when longer', () => {
    // After the ordinary checks: s1.limits' own recovery (600 ms).
    expect(first('/api/limited') - last('/api/other')).toBeGreaterThanOrEqual(600);
    // s3.slow declares 1200 ms, more than s1.limits; it waits after s1.after, the last traffic.
    expect(first('/api/limited2') - last('/api/plain', '?t=tok-1')).toBeGreaterThanOrEqual(1200);
    // s3.quick declares 100 ms, but s3.slow just spent a quota that takes 1200 ms to come back.
    expect(first('/api/limited3') - last('/api/limited2')).toBeGreaterThanOrEqual(1200);
    expect(checks().get('s3.quick.discovery')!.evidence.notes).toContainEqual(expect.stringMatching(/^waited 1\.\d\ds before starting, with no traffic to the target, for the recovery time of s3\.slow \(1\.20s\), the check before it$/));
    expect(checks().get('s1.limits.discovery')!.evidence.notes).toContainEqual(expect.stringMatching(/^waited 0?\.?\d+m?s before starting, with no traffic to the target, for its own policy's recovery time \(600ms\) after the checks before it$/));
  });
});
