import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

/** The profile's `pace`: ordinary requests of the whole run at most so many a second; measurements unpaced. */
const dir = tempDir();
afterAll(() => dir.remove());

function recording(handler: (path: string) => number = () => 200) {
  const arrivals: { path: string; at: number }[] = [];
  return {
    arrivals,
    start: () =>
      startTestServer((req, res) => {
        const path = new URL(req.url!, 'http://x').pathname;
        arrivals.push({ path, at: performance.now() });
        const status = handler(path);
        res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '1' } : {}) }).end('{}');
      }),
  };
}

async function run(name: string, server: TestServer, profileExtra: string, scenarios: string[], args: string[] = []) {
  const profile = dir.file(`${name}/profile.yaml`, `target: ${server.url}\n${profileExtra}`);
  const files = scenarios.map((body, i) => dir.file(`${name}/s${i}.yaml`, `name: s${i}\nchecks:\n${body}`));
  const out = join(dir.path, name, 'out');
  const cli = await runCli(['run', ...files, '-p', profile, '-r', 'json', '-o', out, ...args]);
  const report: RunResult | undefined = cli.code === 2 ? undefined : JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  const checks = new Map<string, CheckResult>((report?.scenarios ?? []).flatMap((s) => s.checks).map((c) => [c.id, c]));
  return { cli, checks };
}

const http = (id: string, path = '/api/data') => `  - { id: ${id}, kind: http, severity: low, request: { path: ${path} }, expect: { status: 200 } }\n`;

describe('pace', () => {
  it('spaces the requests of every check of the run, side by side or not, at the declared rate', async () => {
    const target = recording();
    const server = await target.start();
    try {
      // Three scenarios at once, two checks each: six requests, one every 200 ms whoever sends them.
      const { cli, checks } = await run('shared', server, 'pace: 5\n', [0, 1, 2].map((s) => http(`p${s}.a`) + http(`p${s}.b`)), ['-c', '3']);
      expect(cli.code, cli.stderr).toBe(0);
      expect([...checks.values()].every((c) => c.status === 'passed')).toBe(true);
      const times = target.arrivals.map((a) => a.at).sort((a, b) => a - b);
      expect(times).toHaveLength(6);
      // Requests leave at the pace; a new connection's handshake can delay one arrival, bringing it nearer the next,
      // so any span holds at most one request more than the pace allows: j - i requests apart are >= (j - i - 1) x 200 ms.
      for (let i = 0; i + 2 < times.length; i++) expect(times[i + 2]! - times[i]!).toBeGreaterThanOrEqual(190);
      expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(4 * 190);
    } finally {
      await server.close();
    }
  });

  it('also takes a count per duration (120/min is one request every 500 ms)', async () => {
    const target = recording();
    const server = await target.start();
    try {
      const { cli } = await run('per-minute', server, 'pace: 120/min\n', [http('m.a') + http('m.b') + http('m.c') + http('m.d')]);
      expect(cli.code, cli.stderr).toBe(0);
      const times = target.arrivals.map((x) => x.at);
      expect(times).toHaveLength(4);
      // As above: three intervals, less at most one for the first arrival's connection set-up.
      expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(990);
      expect(times[3]! - times[1]!).toBeGreaterThanOrEqual(490);
    } finally {
      await server.close();
    }
  });

  it('leaves measurements unpaced: the burst that provokes a 429 and rate-limit probes', async () => {
    // /api/search refuses from its 4th request; /api/limited allows 3 a second.
    let searches = 0;
    const limited: number[] = [];
    const target = recording((path) => {
      if (path === '/api/search') return ++searches > 3 ? 429 : 200;
      if (path === '/api/limited') {
        const now = Date.now();
        limited.push(now);
        return limited.filter((t) => now - t < 1000).length > 3 ? 429 : 200;
      }
      return 200;
    });
    const server = await target.start();
    try {
      const { checks } = await run('unpaced', server, 'pace: 1\n', [
        '  - { id: u.headers, kind: headers, severity: low, cases: [rate-limited], responses: { rate-limited: { request: { path: /api/search }, burst: { max: 10, within: 3s, concurrency: 1, cooldownMax: 0s } } } }\n' +
          '  - { id: u.limits, kind: rate-limit, severity: low, request: { path: /api/limited }, policy: { limit: 3, window: 1s, recovery: 100ms }, probes: [discovery], maxRequests: 40 }\n',
      ]);
      // Paced at 1 a second, the burst would have sent 3 requests in its 3 s and never met the 429.
      expect(checks.get('u.headers.rate-limited')!.status, checks.get('u.headers.rate-limited')!.message).not.toBe('skipped');
      const burst = target.arrivals.filter((a) => a.path === '/api/search').map((a) => a.at);
      expect(burst).toHaveLength(4);
      // Paced, 4 requests would span at least 3 s: well under that, they were not paced (room for a busy machine).
      expect(burst.at(-1)! - burst[0]!).toBeLessThan(2500);
      const probes = target.arrivals.filter((a) => a.path === '/api/limited').map((a) => a.at);
      expect(probes.length).toBeGreaterThan(3);
      expect(probes[3]! - probes[0]!).toBeLessThan(2500);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['0', 'a pace of 0 would never send a request'],
    ['fast', "pace 'fast' is not a rate"],
    ['1/2h', 'a pace of "1/2h" is slower than one request an hour'],
  ])('refuses pace: %s with a located error, before sending anything', async (value, message) => {
    const target = recording();
    const server = await target.start();
    try {
      const { cli } = await run(`bad-${value.replace(/\W/g, '')}`, server, `pace: ${value}\n`, [http('b.a')]);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(new RegExp(`profile\\.yaml:2:7: error\\[E_BAD_PACE\\]: ${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      expect(target.arrivals).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
