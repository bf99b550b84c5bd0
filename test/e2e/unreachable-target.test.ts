import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const FIXTURES = join(ROOT, 'test/fixtures/scenarios');

describe('a target that refuses the connection is reported once, and the run stops', () => {
  let dir: TempDir;
  let target: string;
  beforeAll(async () => {
    dir = tempDir();
    target = `http://127.0.0.1:${await closedPort()}`;
  });
  afterAll(() => dir.remove());

  const readRun = (out: string): RunResult => JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));

  it('exit 3; every check that would have run is errored with the one reason and its transport class', async () => {
    const out = join(dir.path, 'once');
    const cli = await runCli(['run', FIXTURES, '--target', target, '--concurrency', '1', '-r', 'console,json', '-o', out]);
    expect(cli.code, cli.stderr).toBe(3);
    const checks = readRun(out).scenarios.flatMap((s) => s.checks);
    const reason = `not run: the target could not be reached (refused: connect ECONNREFUSED ${target.slice('http://'.length)}); gauntlet stopped at the first refused connection instead of trying every check`;
    const ran = checks.filter((c) => c.status !== 'skipped');
    expect(ran.length).toBeGreaterThan(5);
    for (const check of ran) expect(check).toMatchObject({ status: 'errored', transport: 'refused', message: reason });
    // Checks skipped for their own reasons keep them.
    expect(checks.find((c) => c.id === 'ind.skipped')).toMatchObject({ status: 'skipped', message: 'skip: true in the scenario' });
    // One request was sent, by the first check, whose evidence keeps it; none after.
    expect(checks.flatMap((c) => c.evidence.exchanges ?? [])).toHaveLength(1);
    expect(readRun(out).verdict).toEqual({ exitCode: 3, summary: 'the target could not be reached for any check (refused)' });

    // The console gives the reason once and no line per unreachable check.
    expect(cli.stdout.split('the target could not be reached (refused').length - 1).toBe(1);
    expect(cli.stdout).not.toMatch(/^! errored/m);
    expect(cli.stdout).toContain(`0 passed, 0 failed, ${ran.length} errored, ${checks.length - ran.length} skipped`);
    expect(cli.stdout).toContain('FAIL: the target could not be reached for any check (refused) (exit 3)');
  });

  it('-v lists the checks, still with the reason once; at the default concurrency only the checks in flight sent anything', async () => {
    const out = join(dir.path, 'verbose');
    const cli = await runCli(['run', FIXTURES, '--target', target, '-r', 'console,json', '-o', out, '-v']);
    expect(cli.code).toBe(3);
    const checks = readRun(out).scenarios.flatMap((s) => s.checks);
    expect(cli.stdout.split('the target could not be reached (refused').length - 1).toBe(1);
    for (const check of checks.filter((c) => c.status === 'errored')) expect(cli.stdout).toContain(`! errored ${check.severity.padEnd(8)} ${check.id}`);
    // Two scenarios, run at once: at most one request each before the stop.
    expect(checks.flatMap((c) => c.evidence.exchanges ?? []).length).toBeLessThanOrEqual(2);
  });
});
