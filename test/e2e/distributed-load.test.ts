import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { BIN, runCli } from '../helpers/cli.js';
import { coordinatorCommand, linkGauntletInto, workerCommand } from '../helpers/k8s-worker-command.js';
import { redisBinary, startRedis, type LocalRedis } from '../helpers/redis.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * Load beyond one process, end to end: a coordinating `gauntlet run`, a redis-server of our own and `gauntlet
 * worker` processes, against the reference server requiring API keys (minted here, read by every process from its
 * own environment). Every load check's tally is merged from the workers' HDR histograms; these tests hold the
 * merge to the workers' raw samples.
 */

interface Share {
  worker: string;
  segment: string;
  sourceAddress?: string;
  responses: number;
  durationMs?: number;
  lost?: string;
  statusCounts: Record<string, number>;
}

const checksOf = (dir: string): Map<string, CheckResult> => {
  const run: RunResult = JSON.parse(readFileSync(join(dir, 'gauntlet-report.json'), 'utf8'));
  return new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
};
const sharesOf = (check: CheckResult) => (check.evidence.data as { shares: Share[] }).shares;
const summaryOf = (check: CheckResult) => (check.evidence.data as { summary: { responses: number; admitted: number; refused: number; latencyMs: { admitted: Record<string, number> } } }).summary;

/** Nearest rank over whole microseconds, as the tally records them. */
function nearestRank(sortedUs: number[], p: number): number {
  return sortedUs[Math.min(sortedUs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedUs.length) - 1))]! / 1000;
}

describe.skipIf(!redisBinary('distributed load'))('distributed load: a coordinator, Redis and worker processes', () => {
  let dir: TempDir;
  let redis: LocalRedis;
  let serve: ServeProcess;
  let key: string;
  let profile: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = tempDir('gauntlet-distributed-');
    redis = (await startRedis('distributed load'))!;
    serve = await startServe(['--keys-db', ':memory:', '--admin-key-file', join(dir.path, 'admin.key')]);
    const minted = await fetch(`${serve.url}/admin/keys`, {
      method: 'POST',
      headers: { 'x-api-key': readFileSync(join(dir.path, 'admin.key'), 'utf8').trim(), 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: ['data:read'], name: 'load' }),
      signal: AbortSignal.timeout(5000),
    });
    key = ((await minted.json()) as { key: string }).key;
    profile = dir.file('profile.yaml', `target: ${serve.url}\nkeys:\n  valid: \${env:GAUNTLET_KEY_VALID}\ndefaults: { key: valid }\n`);
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await serve?.stop();
    await redis?.stop();
    dir?.remove();
  });

  /** A `gauntlet worker` of the named run, its stderr kept; resolves its exit code when it ends. */
  function worker(runId: string, args: string[] = [], env: NodeJS.ProcessEnv = { GAUNTLET_KEY_VALID: key }) {
    const child = spawn(process.execPath, [BIN, 'worker', '--coordinator', redis.url, '--run-id', runId, '--join-timeout', '30s', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, stderr: () => stderr, exited };
  }

  const coordinate = (runId: string, scenario: string, out: string, extra: string[] = []) =>
    runCli(['run', scenario, '-p', profile, '--workers', '3', '--coordinator', redis.url, '--run-id', runId, '--join-timeout', '30s', '-r', 'json', '-o', out, ...extra], { env: { GAUNTLET_KEY_VALID: key }, timeoutMs: 120_000 });

  it('merges three workers exactly: counts are the sum of theirs, percentiles those of all their samples; a limit broken only in the sum fails', async () => {
    const scenario = dir.file(
      'merge.yaml',
      `name: merge
checks:
  - id: load.steady
    kind: load
    severity: medium
    request: { path: /api/data }
    load: { connections: 6, duration: 2s, rate: 300 }
    expect: { errorShare: { max: 0 }, admittedRate: { target: 300, tolerance: 20% }, latency: { admitted: { p99: 2s } } }
  - id: load.beyond-limit
    kind: load
    severity: high
    request: { path: /api/data }
    load: { connections: 6, duration: 2s, rate: 450 }
    limit: { limit: 100, window: 1s }
    expect: { errorShare: { max: 0 } }
`,
    );
    const workers = [1, 2, 3].map((i) => worker('merge', ['--samples', join(dir.path, `samples-${i}.csv`)]));
    const out = join(dir.path, 'merge-out');
    const run = await coordinate('merge', scenario, out);
    expect(run.stderr).toMatch(/3 load workers ready over redis:\/\/127\.0\.0\.1:\d+ \(run merge\): 1\/3 .+, 2\/3 .+, 3\/3 /);
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0]);
    const checks = checksOf(out);

    const steady = checks.get('load.steady')!;
    expect(steady.status, steady.message).toBe('passed');
    const samples = [1, 2, 3].flatMap((i) => readFileSync(join(dir.path, `samples-${i}.csv`), 'utf8').trim().split('\n').map((line) => line.split(',')));
    const mine = samples.filter(([check]) => check === 'load.steady');
    const shares = sharesOf(steady);
    expect(shares).toHaveLength(3);
    expect(summaryOf(steady).responses).toBe(shares.reduce((n, s) => n + s.responses, 0));
    expect(summaryOf(steady).responses).toBe(mine.length);
    for (const share of shares) expect(share.responses, share.worker).toBeGreaterThan(0);
    const admittedUs = mine.filter(([, status]) => status!.startsWith('2')).map(([, , us]) => Number(us)).sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99]) {
      const exact = nearestRank(admittedUs, p);
      const merged = summaryOf(steady).latencyMs.admitted[`p${p}`]!;
      // The histogram keeps three significant digits; the report rounds to the microsecond.
      expect(Math.abs(merged - exact), `p${p}: merged ${merged} ms, samples ${exact} ms`).toBeLessThanOrEqual(exact / 1000 + 0.001);
    }

    // 100 per second for 2 s allows at most 300 (one window of slack): each worker alone stays within it, the sum does not.
    const beyond = checks.get('load.beyond-limit')!;
    expect(beyond.status).toBe('failed');
    expect(beyond.message).toMatch(/^admitted within the declared limit: expected at most 300 in 2\.0s .*got (\d+) admitted/);
    for (const share of sharesOf(beyond)) expect(share.statusCounts['200'], share.worker).toBeLessThanOrEqual(300);
    expect(summaryOf(beyond).admitted).toBeGreaterThan(300);
    expect(run.code).toBe(1);
    // The key went nowhere but the target: not into the report, not to the workers' logs.
    expect(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')).not.toContain(key);
    for (const w of workers) expect(w.stderr()).not.toContain(key);
  }, 150_000);

  it('a worker killed mid-run leaves the check errored with what the others measured, and exit 1', async () => {
    const scenario = dir.file(
      'kill.yaml',
      `name: kill
checks:
  - id: load.long
    kind: load
    severity: medium
    request: { path: /api/data }
    load: { connections: 3, duration: 8s, rate: 150 }
`,
    );
    const workers = [1, 2, 3].map(() => worker('kill'));
    const victim = workers[1]!;
    const started = new Promise<void>((resolve) => victim.child.stderr!.on('data', () => /load\.long: segment .*starting in/.test(victim.stderr()) && resolve()));
    const out = join(dir.path, 'kill-out');
    const running = coordinate('kill', scenario, out);
    await started;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    victim.child.kill('SIGKILL');
    const run = await running;
    expect(run.code).toBe(1);
    const check = checksOf(out).get('load.long')!;
    expect(check.status).toBe('errored');
    expect(check.message).toMatch(/a load worker was lost after [\d.]+s \(.*silent for [\d.]+s.*\): what the others measured is kept \(\d+ responses\).*\[E_WORKER_LOST\]/);
    const shares = sharesOf(check);
    const lost = shares.filter((s) => s.lost);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.worker).toContain(`pid ${victim.child.pid}`);
    for (const share of shares.filter((s) => !s.lost)) expect(share.responses, share.worker).toBeGreaterThan(100);
    expect(summaryOf(check).responses).toBe(shares.reduce((n, s) => n + s.responses, 0));
    expect(run.stderr).toContain(`lost: silent for`);
  }, 150_000);

  it('an abort condition broken on the merged data stops every worker within 2 s, and the check fails saying which', async () => {
    const scenario = dir.file(
      'abort.yaml',
      `name: abort
checks:
  - id: load.abort
    kind: load
    severity: high
    request: { path: /api/data }
    load: { connections: 6, duration: 20s, rate: 300 }
    abort: { admitted: { max: 200 } }
`,
    );
    const workers = [1, 2, 3].map(() => worker('abort'));
    const out = join(dir.path, 'abort-out');
    const run = await coordinate('abort', scenario, out);
    expect(run.code).toBe(1);
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0]);
    const check = checksOf(out).get('load.abort')!;
    expect(check.status).toBe('failed');
    const abortedAt = Number(/^aborted: admitted: expected <= 200, got \d+ after ([\d.]+)s/.exec(check.message)?.[1]);
    expect(abortedAt, check.message).toBeGreaterThan(0);
    // Each worker reported stopping, and none ran on for more than 2 s after the breach was seen.
    for (const share of sharesOf(check)) {
      expect(share.lost, share.worker).toBeUndefined();
      expect(share.durationMs!, share.worker).toBeLessThanOrEqual(abortedAt * 1000 + 2000);
    }
    expect(summaryOf(check).admitted).toBeLessThan(300 * 20);
  }, 150_000);

  it("refuses to start when a worker's key differs from the coordinator's, naming where it reads it, never the value", async () => {
    const scenario = dir.file('refuse.yaml', `name: refuse\nchecks:\n  - id: load.refused\n    kind: load\n    severity: low\n    request: { path: /api/data }\n    load: { connections: 3, duration: 1s }\n`);
    const wrong = 'gk_live_not_the_coordinators_key_at_all_0000';
    const workers = [worker('refuse'), worker('refuse'), worker('refuse', [], { GAUNTLET_KEY_VALID: wrong })];
    const run = await coordinate('refuse', scenario, join(dir.path, 'refuse-out'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/load worker .* cannot take part: this worker's secrets do not match the coordinator's: keys\.valid \(written \$\{env:GAUNTLET_KEY_VALID\}\) differs/);
    expect(`${run.stdout}${run.stderr}${workers.map((w) => w.stderr()).join('')}`).not.toMatch(new RegExp(`${key}|${wrong}`));
    for (const w of workers) expect(await w.exited).not.toBeNull();
  }, 120_000);

  it('says who is missing when fewer workers join than asked for, and sends nothing', async () => {
    const scenario = dir.file('missing.yaml', `name: missing\nchecks:\n  - id: load.missing\n    kind: load\n    severity: low\n    request: { path: /api/data }\n    load: { connections: 3, duration: 1s }\n`);
    const one = worker('missing', ['--segment', '2/3']);
    const run = await runCli(['run', scenario, '-p', profile, '--workers', '3', '--coordinator', redis.url, '--run-id', 'missing', '--join-timeout', '3s', '-r', 'json', '-o', join(dir.path, 'missing-out')], { env: { GAUNTLET_KEY_VALID: key } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/1 of 3 load workers ready after 3(\.00)?s over redis:\/\/127\.0\.0\.1:\d+ \(run missing\): ready: .* pid \d+; missing segments 1\/3, 3\/3; nothing was sent/);
    expect(await one.exited).not.toBeNull();
  }, 60_000);

  it("leaves no key of its run in Redis, even more than a SCAN page of them left by an earlier run, and never touches another run's", async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      // More keys than one SCAN page, so every page of the walk must be followed.
      const stale = Array.from({ length: 1500 }, (_, i) => [`gauntlet:run:tidy:to:gone-${i}`, 'left by an earlier run']).flat();
      const others = Array.from({ length: 1500 }, (_, i) => [`gauntlet:run:tidy-other:to:w-${i}`, 'another run']).flat();
      await client.mset(...stale, ...others, 'unrelated', 'kept');
      const scenario = dir.file('tidy.yaml', `name: tidy\nchecks:\n  - id: load.tidy\n    kind: load\n    severity: low\n    request: { path: /api/data }\n    load: { connections: 3, duration: 1s }\n`);
      const workers = [worker('tidy'), worker('tidy'), worker('tidy')];
      const run = await coordinate('tidy', scenario, join(dir.path, 'tidy-out'));
      expect(run.code, run.stderr).toBe(0);
      for (const w of workers) expect(await w.exited).toBe(0);
      expect(await client.exists(`gauntlet:run:tidy:to:gone-0`, `gauntlet:run:tidy:to:gone-1499`, 'gauntlet:run:tidy:plan', 'gauntlet:run:tidy:lock')).toBe(0);
      let cursor = '0';
      const left: string[] = [];
      do {
        const [next, batch] = await client.scan(cursor, 'MATCH', 'gauntlet:run:tidy:*', 'COUNT', 1000);
        left.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      expect(left).toEqual([]);
      expect(await client.exists(`gauntlet:run:tidy-other:to:w-0`, `gauntlet:run:tidy-other:to:w-1499`, 'unrelated')).toBe(3);
    } finally {
      client.disconnect();
    }
  }, 120_000);

  it('runs exactly the commands of the Kubernetes manifests: three Indexed Job pods and the coordinator Job', async () => {
    const bin = tempDir('gauntlet-k8s-bin-');
    linkGauntletInto(bin.path);
    const scenarios = join(dir.path, 'k8s-scenarios');
    dir.file('k8s-scenarios/load.yaml', `name: k8s\nchecks:\n  - id: load.k8s\n    kind: load\n    severity: medium\n    request: { path: /api/data }\n    load: { connections: 6, duration: 2s, rate: 150 }\n    expect: { errorShare: { max: 0 } }\n`);
    const reports = join(dir.path, 'k8s-reports');
    const shared = { PATH: `${bin.path}:${process.env.PATH}`, GAUNTLET_KEY_VALID: key, NO_COLOR: '1' };
    const workerPod = workerCommand();
    const coordinatorPod = coordinatorCommand();
    // The manifests' values, but for where things are outside a cluster: Redis, the mounted files.
    const cluster = { GAUNTLET_COORDINATOR: redis.url, GAUNTLET_JOIN_TIMEOUT: '30s', GAUNTLET_BASE_DIR: dir.path, GAUNTLET_SCENARIOS: scenarios, GAUNTLET_PROFILE: profile, GAUNTLET_REPORTS: reports };
    const pods = [0, 1, 2].map((index) => {
      const child = spawn(workerPod.command[0]!, [...workerPod.command.slice(1), workerPod.script], { env: { ...process.env, ...workerPod.env, ...shared, ...cluster, JOB_COMPLETION_INDEX: String(index) }, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      return { exited: new Promise<number | null>((resolve) => child.once('exit', resolve)), stderr: () => stderr };
    });
    const coordinator = spawn(coordinatorPod.command[0]!, [...coordinatorPod.command.slice(1), coordinatorPod.script], { env: { ...process.env, ...coordinatorPod.env, ...shared, ...cluster }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(coordinator);
    let said = '';
    coordinator.stderr!.on('data', (d) => (said += d));
    const code = await new Promise<number | null>((resolve) => coordinator.once('exit', resolve));
    expect(code, said).toBe(0);
    expect(await Promise.all(pods.map((p) => p.exited))).toEqual([0, 0, 0]);
    // Each pod took the segment its completion index names.
    for (const [index, pod] of pods.entries()) expect(pod.stderr()).toContain(`for segment ${index + 1}/${workerPod.env.GAUNTLET_WORKERS}`);
    const check = checksOf(reports).get('load.k8s')!;
    expect(check.status, check.message).toBe('passed');
    expect(sharesOf(check).map((s) => s.segment).sort()).toEqual(['1/3', '2/3', '3/3']);
    expect(summaryOf(check).responses).toBe(sharesOf(check).reduce((n, s) => n + s.responses, 0));
    bin.remove();
  }, 150_000);
});
