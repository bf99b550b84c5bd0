import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../src/commands/execute-run.js';
import { startDemoTarget, type DemoTarget } from '../../src/demo/target.js';
import { DEMO_LIMIT } from '../../src/demo/rate-limits.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
dir.file('scenarios/boundary.yaml', `name: boundary only
checks:
  - id: limits.search
    kind: rate-limit
    severity: high
    request: { path: /api/search, query: { q: a } }
    policy: search
    probes: [boundary]
`);
const targets: DemoTarget[] = [];
// The first run in a process loads and compiles what every later one reuses; it must not shift the phases.
beforeAll(async () => {
  await boundaryAt([], 0);
});
afterAll(async () => {
  for (const target of targets) await target.close();
  dir.remove();
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const W = DEMO_LIMIT.windowMs;

/**
 * Runs the boundary probe so that the quota is spent at `phase` of a clock-aligned window (the demo's windows
 * start at multiples of W): late in a window, the first poll half a window later is already admitted.
 */
async function boundaryAt(flaws: string[], phase: number): Promise<CheckResult> {
  const secrets = new SecretRegistry();
  const target = await startDemoTarget(flaws, secrets);
  targets.push(target);
  await sleep((phase * W - (Date.now() % W) + W) % W);
  const out = join(dir.path, `out-${flaws.join('-')}-${phase}`);
  await executeRun({ paths: [join(dir.path, 'scenarios')], profile: target.profile, secrets, reporters: ['json'], outputDir: out, failOn: 'info', only: [], tags: [], concurrency: 1, vars: {}, allowLoad: false, io: { stdout: sink, stderr: sink } });
  const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  return run.scenarios[0]!.checks.find((c) => c.id === 'limits.search.boundary')!;
}

describe('the boundary probe, wherever in a window it starts', () => {
  // Early in a window the first poll is refused and the polls that follow find the edge; late in one (as in a CI
  // run that reported '10 before, 0 after' for this flaw) the first poll is admitted and the probe must look again.
  it.each([0.05, 0.6])('finds the fixed window of limit-fixed-window with the quota spent at %s of a window', async (phase) => {
    const check = await boundaryAt(['limit-fixed-window'], phase);
    const data = check.evidence.data as { maxInWindow: number; respent: boolean; edgeUncertaintyMs: number };
    expect(check.status, check.message).toBe('failed');
    // Which way the probe went depends on where the check really started (a loaded machine starts it late):
    // with the quota spent before mid-window it polls into the next window's start; from 0.55 on, it spends again.
    const started = (Date.parse(check.startedAt) % W) / W;
    if (started < 0.4) expect(data.respent).toBe(false);
    if (started > 0.55 && started < 0.95) expect(data.respent).toBe(true);
    expect(data.maxInWindow).toBeGreaterThanOrEqual(1.8 * DEMO_LIMIT.limit);
    expect(data.edgeUncertaintyMs).toBeLessThanOrEqual(W / 10);
  });

  it.each([0.05, 0.6])('passes the sliding log with the quota spent at %s of a window', async (phase) => {
    const check = await boundaryAt([], phase);
    expect(check.status, check.message).toBe('passed');
    expect((check.evidence.data as { maxInWindow: number }).maxInWindow).toBeLessThanOrEqual(DEMO_LIMIT.limit);
  });
});
