import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { BIN, runCli } from '../helpers/cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * Load in parts without Redis: `run --workers N` with local worker processes (each from its own loopback address
 * if asked), and `run --segment i/N` reports merged by `report merge`, as a CI matrix does.
 */

interface Share {
  segment: string;
  sourceAddress?: string;
  responses: number;
  statusCounts: Record<string, number>;
}

const checksOf = (dir: string): Map<string, CheckResult> => {
  const run: RunResult = JSON.parse(readFileSync(join(dir, 'gauntlet-report.json'), 'utf8'));
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
};
const sharesOf = (check: CheckResult) => (check.evidence.data as { shares: Share[] }).shares;
const summaryOf = (check: CheckResult) => (check.evidence.data as { summary: { responses: number; admitted: number; refused: number } }).summary;

describe('local workers and segments', () => {
  let dir: TempDir;
  let open: ServeProcess;
  let limited: ServeProcess;

  beforeAll(async () => {
    dir = tempDir('gauntlet-local-workers-');
    // No keys: the limiter keys each client by its address, as a per-IP limit in front of an API does.
    [open, limited] = await Promise.all([startServe([]), startServe(['--limiter', 'fixed-window', '--limit', '20', '--window', '1s'])]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([open?.stop(), limited?.stop()]);
    dir?.remove();
  });

  it('a per-IP limit sees one client per local worker with --source-address loopback, and the report shows each source', async () => {
    const profile = dir.file('limited.yaml', `target: ${limited.url}\n`);
    const scenario = dir.file('per-ip.yaml', `name: per-ip\nchecks:\n  - id: load.per-ip\n    kind: load\n    severity: medium\n    request: { path: /api/data }\n    load: { connections: 6, duration: 2s, rate: 240 }\n    expect: { errorShare: { max: 0 } }\n`);
    const spread = await runCli(['run', scenario, '-p', profile, '--workers', '3', '--source-address', 'loopback', '-r', 'json', '-o', join(dir.path, 'spread')], { timeoutMs: 90_000 });
    expect(spread.code, spread.stdout).toBe(0);
    const check = checksOf(join(dir.path, 'spread')).get('load.per-ip')!;
    const shares = sharesOf(check);
    expect(shares.map((s) => s.sourceAddress).sort()).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    // Each address has its own 20 a second: each admitted some and was refused the rest.
    for (const share of shares) {
      expect(share.statusCounts['200'], share.sourceAddress).toBeGreaterThanOrEqual(20);
      expect(share.statusCounts['200'], share.sourceAddress).toBeLessThanOrEqual(20 * 4);
      expect(share.statusCounts['429'], share.sourceAddress).toBeGreaterThan(0);
    }
    expect(check.evidence.notes).toEqual(expect.arrayContaining([expect.stringMatching(/from 127\.0\.0\.2 \(segment \d\/3\): \d+ responses, \d+ admitted, \d+ refused/)]));

    // The same three workers from one address share one quota: a third of the admissions.
    const together = await runCli(['run', scenario, '-p', profile, '--workers', '3', '-r', 'json', '-o', join(dir.path, 'together')], { timeoutMs: 90_000 });
    expect(together.code, together.stdout).toBe(0);
    const one = checksOf(join(dir.path, 'together')).get('load.per-ip')!;
    expect(sharesOf(one).every((s) => s.sourceAddress === undefined)).toBe(true);
    expect(summaryOf(one).admitted).toBeLessThanOrEqual(20 * 4);
    expect(summaryOf(check).admitted).toBeGreaterThan(2 * summaryOf(one).admitted);
  }, 200_000);

  it('segments run apart and report merge judges their sum: a limit each part keeps and the whole breaks fails only when merged', async () => {
    const profile = dir.file('open.yaml', `target: ${open.url}\n`);
    const scenario = dir.file(
      'segments.yaml',
      `name: segments
checks:
  - id: basics.alive
    kind: http
    severity: low
    request: { path: /health }
    expect: { status: 200 }
  - id: load.beyond-limit
    kind: load
    severity: high
    request: { path: /health }
    load: { connections: 4, duration: 2s, rate: 240 }
    limit: { limit: 100, window: 1s }
    expect: { errorShare: { max: 0 } }
`,
    );
    const parts = await Promise.all(
      [1, 2].map((i) => runCli(['run', scenario, '-p', profile, '--segment', `${i}/2`, '-r', 'json', '-o', join(dir.path, `segment-${i}`)], { timeoutMs: 60_000 })),
    );
    for (const [i, part] of parts.entries()) {
      expect(part.code, part.stdout).toBe(0);
      const checks = checksOf(join(dir.path, `segment-${i + 1}`));
      // Every other check runs in segment 1 only; each segment measured its half, judged only when merged.
      expect([...checks.keys()]).toEqual(i === 0 ? ['basics.alive', 'load.beyond-limit'] : ['load.beyond-limit']);
      const load = checks.get('load.beyond-limit')!;
      expect(load.status).toBe('skipped');
      expect(load.message).toMatch(new RegExp(`^measured segment ${i + 1}/2 of the load: \\d+ responses in 2\\.0s; judged only on the whole`));
      // 120 a second for 2 s: within 100 per second with one window of slack (300), on its own.
      expect(summaryOf(load).admitted).toBeLessThanOrEqual(300);
    }
    const merged = await runCli(['report', 'merge', join(dir.path, 'segment-1', 'gauntlet-report.json'), join(dir.path, 'segment-2', 'gauntlet-report.json'), '-r', 'json', '-o', join(dir.path, 'merged')]);
    expect(merged.code).toBe(1);
    const checks = checksOf(join(dir.path, 'merged'));
    expect(checks.get('basics.alive')!.status).toBe('passed');
    const load = checks.get('load.beyond-limit')!;
    expect(load.status).toBe('failed');
    expect(load.message).toMatch(/^admitted within the declared limit: expected at most 300 in 2\.0s/);
    const halves = [1, 2].map((i) => summaryOf(checksOf(join(dir.path, `segment-${i}`)).get('load.beyond-limit')!).responses);
    expect(summaryOf(load).responses).toBe(halves[0]! + halves[1]!);
    expect(sharesOf(load).map((s) => s.segment)).toEqual(['1/2', '2/2']);

    // One segment alone is not the whole: the merge refuses it.
    const short = await runCli(['report', 'merge', join(dir.path, 'segment-1', 'gauntlet-report.json'), '-r', 'json', '-o', join(dir.path, 'short')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('segment 2/2 is missing: its load was never merged in');
  }, 120_000);

  it('refuses, before sending, a load too small to split and options that need --workers', async () => {
    const profile = dir.file('open2.yaml', `target: ${open.url}\n`);
    const scenario = dir.file('small.yaml', `name: small\nchecks:\n  - id: load.small\n    kind: load\n    severity: low\n    request: { path: /health }\n    load: { connections: 2, duration: 1s }\n`);
    const small = await runCli(['run', scenario, '-p', profile, '--segment', '1/3', '-o', join(dir.path, 'small')]);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/small\.yaml:3:\d+: error\[E_SEGMENT\]: check 'load\.small': connections 2 cannot be split into 3 segments/);
    const stray = await runCli(['run', scenario, '-p', profile, '--coordinator', 'redis://127.0.0.1:6379']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--coordinator goes with --workers N');
    const both = await runCli(['run', scenario, '-p', profile, '--workers', '2', '--segment', '1/2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--segment runs one part here, --workers all parts on workers');
  }, 60_000);
});

describe('stopping a coordinated run', () => {
  let dir: TempDir;
  let open: ServeProcess;
  beforeAll(async () => {
    dir = tempDir('gauntlet-local-stop-');
    open = await startServe([]);
  }, 60_000);
  afterAll(async () => {
    await open?.stop();
    dir?.remove();
  });

  it('SIGTERM to the coordinator stops its workers, writes the partial report and exits 143; no worker outlives it', async () => {
    const profile = dir.file('open.yaml', `target: ${open.url}\n`);
    const scenario = dir.file('long.yaml', `name: long\nchecks:\n  - id: load.long\n    kind: load\n    severity: low\n    request: { path: /health }\n    load: { connections: 2, duration: 60s, rate: 100 }\n`);
    const out = join(dir.path, 'out');
    const child = spawn(process.execPath, [BIN, 'run', scenario, '-p', profile, '--workers', '2', '-r', 'json', '-o', out], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => /load workers ready/.test(stderr) && (clearInterval(poll), resolve()), 50);
    });
    const pids = [...stderr.matchAll(/\d\/2 \S+ pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(Date.now() - stoppedAt).toBeLessThan(8000);
    const check = checksOf(out).get('load.long')!;
    expect(check.status).toBe('errored');
    expect(check.message).toMatch(/^interrupted after [\d.]+s of load/);
    expect(summaryOf(check).responses).toBeGreaterThan(100);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});
