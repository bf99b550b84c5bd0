import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES } from '../../src/reference/limiters/algorithms/types.js';
import type { BenchResult } from '../../src/bench/result.js';
import { runCli } from '../helpers/cli.js';
import { redisBinary } from '../helpers/redis.js';
import { closedPort } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('gauntlet-bench-');
afterAll(() => dir.remove());
const hasRedis = redisBinary('the benchmark measures the Redis store on its own redis-server') !== undefined;
const LIMITERS = [...ALGORITHM_NAMES, 'rate-limiter-flexible'];

describe('gauntlet bench limiters --quick', () => {
  it('prints the tables and writes JSON and a self-contained HTML page (shape and accuracy facts, never speed)', async () => {
    const json = join(dir.path, 'bench.json');
    const html = join(dir.path, 'bench.html');
    const cli = await runCli(['bench', 'limiters', '--quick', '--json', json, '--html', html], { timeoutMs: 240_000 });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain('memory throughput');
    for (const heading of ['Memory store, single-threaded', 'Accuracy against the sliding-log ideal', 'Targets']) expect(cli.stdout).toContain(heading);
    for (const limiter of LIMITERS) expect(cli.stdout).toMatch(new RegExp(`^${limiter}\\s+[\\d,]+`, 'm'));

    const result: BenchResult = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.formatVersion).toBe(1);
    expect(result.settings.memoryKeys).toBe(100_000);
    expect(result.memoryThroughput.map((r) => `${r.limiter}|${r.trace}`).sort()).toEqual(LIMITERS.flatMap((l) => [`${l}|all-admitted`, `${l}|half-refused`]).sort());
    for (const row of result.memoryThroughput) {
      expect(row.samples).toHaveLength(result.settings.repetitions);
      expect(row.refusedShare).toBeCloseTo(row.trace === 'half-refused' ? 0.5 : 0, 5);
    }
    expect(result.memoryUsage.map((r) => r.limiter).sort()).toEqual([...LIMITERS].sort());
    expect(result.accuracy).toHaveLength(5 * LIMITERS.length);
    expect(result.targets).toHaveLength(4 * ALGORITHM_NAMES.length);

    // Accuracy is deterministic: the exact algorithm matches the ideal; the fixed window lets 2N through a boundary.
    const acc = (trace: string, limiter: string) => result.accuracy.find((a) => a.trace === trace && a.limiter === limiter)!.metrics;
    expect(acc('boundary', 'sliding-log').oa.W).toBeLessThanOrEqual(1);
    expect(acc('boundary', 'sliding-log').admittedRatio).toBe(1);
    expect(acc('boundary', 'fixed-window').oa.tenthW).toBeGreaterThanOrEqual(1.9);
    expect(acc('boundary', 'rate-limiter-flexible').oa.tenthW).toBeGreaterThanOrEqual(1.9);

    if (hasRedis) {
      expect(result.redisThroughput).toHaveLength(3 * LIMITERS.length);
      for (const row of result.redisThroughput) expect(row.commandsPerDecision, row.limiter).toBe(1);
      expect(result.redisAgreement.map((a) => [a.limiter, a.differing])).toEqual(ALGORITHM_NAMES.map((a) => [a, 0]));
    }

    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(page.match(/<svg /g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('says which Redis is not answering, without its password, and exits 3', async () => {
    const port = await closedPort();
    const cli = await runCli(['bench', 'limiters', '--quick', '--redis-url', `redis://user:s3cret-pass@127.0.0.1:${port}`]);
    expect(cli.code).toBe(3);
    expect(cli.stderr).toContain(`error[E_REDIS_UNREACHABLE]: Redis at redis://127.0.0.1:${port} is not answering`);
    expect(cli.stdout + cli.stderr).not.toContain('s3cret-pass');
  });

  it('refuses an unknown benchmark with exit 2', async () => {
    const cli = await runCli(['bench', 'nothing']);
    expect(cli.code).toBe(2);
  });
});
