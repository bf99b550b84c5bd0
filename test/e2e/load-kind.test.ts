import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { TimelineChart } from '../../src/results/charts.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

describe('the load kind', () => {
  let server: ReferenceServer;
  let dir: TempDir;
  beforeAll(async () => {
    server = await createReferenceServer();
    dir = tempDir();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  async function run(target: string, body: string, extra: string[] = []): Promise<{ checks: CheckResult[]; code: number | null; stderr: string }> {
    const name = `s${Math.random().toString(36).slice(2)}`;
    const file = dir.file(`${name}.yaml`, `name: load\nchecks:\n${body}`);
    const out = join(dir.path, name);
    const cli = await runCli(['run', file, '--target', target, '-r', 'json', '-o', out, ...extra]);
    const result: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { checks: result.scenarios.flatMap((s) => s.checks), code: cli.code, stderr: cli.stderr };
  }

  it('records every response: admitted rate near the requested rate, a timeline and latency percentiles', async () => {
    const { checks, code } = await run(
      server.url,
      `  - id: l.steady
    kind: load
    severity: medium
    request: { path: /api/data }
    load: { connections: 4, duration: 2s, rate: 100 }
    limit: { limit: 10, window: 100ms }
    expect:
      admittedRate: { target: 100, tolerance: 20% }
      errorShare: { max: 0 }
      latency: { admitted: { p99: 500ms } }
`,
    );
    const [check] = checks;
    expect(check, check?.message).toMatchObject({ status: 'passed' });
    expect(code).toBe(0);
    const summary = (check!.evidence.data as { summary: { responses: number; admitted: number } }).summary;
    expect(summary.admitted).toBeGreaterThanOrEqual(160);
    expect(summary.admitted).toBeLessThanOrEqual(240);
    const chart = check!.evidence.charts!.find((c) => c.type === 'timeline') as TimelineChart;
    expect(chart.admitted.reduce((a, b) => a + b, 0)).toBe(summary.admitted);
    expect(chart.limitPerBucket).toBe(10);
    expect(check!.evidence.charts!.some((c) => c.type === 'latency')).toBe(true);
  });

  it('fails a threshold the target misses, saying by how much', async () => {
    const { checks } = await run(
      server.url,
      `  - { id: l.strict, kind: load, severity: high, request: { path: /api/slow, query: { ms: 30 } }, load: { connections: 2, amount: 20 }, expect: { latency: { admitted: { p50: 5ms } }, admittedRate: { target: 100000, tolerance: 1% } } }\n`,
    );
    expect(checks[0]).toMatchObject({ status: 'failed' });
    expect(checks[0]!.message).toMatch(/admitted latency p50: expected <= 5ms, got 3\d\.\d\dms/);
    expect(checks[0]!.message).toContain('admitted rate');
  });

  it('counts refusals and other statuses apart', async () => {
    const { checks } = await run(
      server.url,
      `  - { id: l.missing, kind: load, severity: low, request: { path: /api/users/999 }, refusedStatus: [404], load: { connections: 2, amount: 30 }, expect: { refusedShare: { min: 1 }, otherNon2xxShare: { max: 0 } } }\n`,
    );
    expect(checks[0], checks[0]!.message).toMatchObject({ status: 'passed' });
    expect((checks[0]!.evidence.data as { summary: { refused: number } }).summary.refused).toBe(30);
  });

  it('errors without sending load when the preflight gets no answer', async () => {
    const port = await closedPort();
    const { checks, code } = await run(`http://127.0.0.1:${port}`, `  - { id: l.dead, kind: load, severity: low, request: { path: / }, load: { duration: 1s } }\n`);
    expect(checks[0]).toMatchObject({ status: 'errored', transport: 'refused' });
    // The run stops at the first refused connection (the reason); the kind's own words stay as a note.
    expect(checks[0]!.message).toContain('the target could not be reached (refused');
    expect(checks[0]!.evidence.notes?.join('\n')).toContain('preflight failed, no load sent');
    expect(code).toBe(3);
  });

  it('refuses to load a host outside loopback unless --allow-load', async () => {
    const { checks } = await run('http://192.0.2.10:9', `  - { id: l.remote, kind: load, severity: low, request: { path: / }, load: { duration: 1s } }\n`);
    expect(checks[0]).toMatchObject({ status: 'errored' });
    expect(checks[0]!.message).toMatch(/refusing to send bursts or load to http:\/\/192\.0\.2\.10:9.*--allow-load.*E_LOAD_NOT_ALLOWED/);
  });
});
