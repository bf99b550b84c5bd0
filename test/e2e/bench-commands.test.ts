import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

// These run the benchmark commands briefly to prove they work and report what they measured; they assert the
// shape of the output, never a speed.
describe('benchmark commands', () => {
  it('bench burst prints the spread and aim table and writes JSON with every run', async () => {
    const json = join(dir.path, 'burst.json');
    const cli = await runCli(['bench', 'burst', '--runs', '3', '--size', '20', '--json', json]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/3 bursts of 20 \(ms\)\s+median\s+p95\s+max/);
    expect(cli.stdout).toContain('arrival spread at the server');
    for (const transport of ['parallel (the default)', 'pipelined:', 'sequential:']) expect(cli.stdout).toContain(transport);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.transports.map((t: { transport: string }) => t.transport)).toEqual(['parallel', 'pipelined', 'sequential']);
    for (const { runs } of result.transports) {
      expect(runs).toHaveLength(3);
      for (const run of runs) expect(run.answered).toBe(20);
    }
  });

  it('bench load prints both throughputs and their ratio', async () => {
    const json = join(dir.path, 'load.json');
    const cli = await runCli(['bench', 'load', '--runs', '1', '--duration', '1s', '--connections', '4', '--json', json], { timeoutMs: 60_000 });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('plain autocannon');
    expect(cli.stdout).toContain('ratio gauntlet / autocannon');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.autocannon[0]).toBeGreaterThan(0);
    expect(result.gauntlet[0]).toBeGreaterThan(0);
  });

  it('bench load --workers 1,2 adds the merged throughput of 1 and 2 local worker processes beside plain autocannon, with the ratios', async () => {
    const json = join(dir.path, 'load-workers.json');
    const cli = await runCli(['bench', 'load', '--runs', '1', '--duration', '1s', '--connections', '4', '--workers', '1,2', '--json', json], { timeoutMs: 90_000 });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/gauntlet, 1 local worker \(merged\)\s+\d+/);
    expect(cli.stdout).toMatch(/gauntlet, 2 local workers \(merged\)\s+\d+/);
    expect(cli.stdout).toMatch(/ratio 2 workers \/ autocannon\s+\d\.\d{3}/);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    for (const count of ['1', '2']) {
      expect(result.workers[count]).toHaveLength(1);
      expect(result.workers[count][0]).toBeGreaterThan(0);
      expect(result.medians.workers[count].ratio).toBeCloseTo(result.workers[count][0] / result.autocannon[0], 6);
    }
  }, 120_000);

  it('bench init prints init --openapi against the parser alone, time and memory, and writes JSON', async () => {
    const json = join(dir.path, 'init.json');
    const petstore = join(import.meta.dirname, '..', '..', 'node_modules', '@readme', 'oas-examples', '3.0', 'json', 'petstore.json');
    const cli = await runCli(['bench', 'init', '--runs', '1', '--openapi', petstore, '--json', json], { timeoutMs: 60_000 });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/init --openapi .*petstore\.json \(20 operations\): median of 1 runs/);
    expect(cli.stdout).toMatch(/gauntlet init \(read, plan, write\)\s+[\d.]+\s+[\d.]+x\s+\d+\s+[\d.]+x/);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    for (const side of [result.gauntlet, result.parser]) expect(side[0]).toMatchObject({ ms: expect.any(Number), maxRssMiB: expect.any(Number) });
  });
});
