import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EQUIVALENT } from '../../src/checks/rate-limit/fingerprint/fit.js';
import { PROBES } from '../../src/checks/rate-limit/spec.js';
import { ALGORITHM_NAMES } from '../../src/reference/limiters/algorithms/index.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

async function rateLimitRun(args: string[], name: string): Promise<{ code: number | null; checks: Map<string, CheckResult> }> {
  const out = join(dir.path, name);
  const cli = await runCli(['demo', '--only', 'limits.*', '-r', 'json', '-o', out, ...args], { timeoutMs: 120_000 });
  const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
  return { code: cli.code, checks: new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c])) };
}

// Each runs the whole rate-limit check against the reference server configured with one algorithm (the demo's
// profile declares it): every probe must pass, and the fingerprint must name that algorithm, or, for the three
// that decide identically for equal parameters, the class it belongs to.
describe('the rate-limit kind against every reference algorithm', () => {
  it.each(ALGORITHM_NAMES.map((a) => [a]))('%s: all probes pass and the fingerprint names it', async (algorithm) => {
    const { code, checks } = await rateLimitRun(['--limiter', algorithm], algorithm);
    // Only the replicas probe may skip (the demo serves one replica); every other probe must have run and passed.
    const unexpected = [...checks.values()].filter((c) => c.status !== 'passed' && c.id !== 'limits.search.replicas').map((c) => `${c.id} ${c.status}: ${c.message}`);
    expect(unexpected, unexpected.join('\n')).toEqual([]);
    expect(code).toBe(0);
    expect(checks.get('limits.search.replicas')).toMatchObject({ status: 'skipped' });
    const fingerprint = checks.get('limits.search.fingerprint')!;
    const best = (fingerprint.evidence.data as { best: string[] }).best;
    if (EQUIVALENT.has(algorithm)) {
      expect(best).toContain(algorithm);
      expect(best.every((a) => EQUIVALENT.has(a as never)), fingerprint.message).toBe(true);
    } else {
      expect(best, fingerprint.message).toEqual([algorithm]);
    }
    expect(fingerprint.evidence.charts?.[0]).toMatchObject({ type: 'series' });
    expect(checks.get('limits.search.boundary')!.evidence.charts?.[0]).toMatchObject({ type: 'boundary' });
    expect(checks.get('limits.search.refill')!.evidence.charts?.[0]).toMatchObject({ type: 'refill' });
  });
});

describe('the rate-limit kind and the profile', () => {
  it('skips every probe, with the reason, against a target whose profile declares no limit', async () => {
    const { startTestServer } = await import('../helpers/servers.js');
    const server = await startTestServer((_req, res) => res.end('{}'));
    try {
      const out = join(dir.path, 'undeclared');
      const cli = await runCli(['run', 'scenarios/rate-limit.yaml', '--target', server.url, '-r', 'console,json', '-o', out]);
      // Nothing was checked: that is no pass.
      expect(cli.code).toBe(2);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      const checks = run.scenarios[0]!.checks;
      expect(checks).toHaveLength(PROBES.length);
      const reason = 'not run: it needs rateLimits.search, vars.limitedPath in the target profile (gauntlet init --target <url> writes one to fill in)';
      for (const c of checks) expect(c).toMatchObject({ status: 'skipped', message: reason });
      // Shown once, without -v, for all the probes.
      expect(cli.stdout.split(reason).length - 1).toBe(1);
      expect(server.requests).toHaveLength(0);
      // A rate-limit check written by hand, for a limit the profile does not declare, says that.
      const own = dir.file('own.yaml', 'name: own\nchecks:\n  - { id: own, kind: rate-limit, severity: high, request: { path: / }, policy: search, probes: [discovery] }\n');
      const ownOut = join(dir.path, 'own');
      await runCli(['run', own, '--target', server.url, '-r', 'json', '-o', ownOut]);
      const ownRun: RunResult = JSON.parse(readFileSync(join(ownOut, 'gauntlet-report.json'), 'utf8'));
      expect(ownRun.scenarios[0]!.checks[0]).toMatchObject({ status: 'skipped', message: "not run: the target profile declares no rate limit named 'search'" });
    } finally {
      await server.close();
    }
  });

  it('refuses a policy that is neither limit and window nor rate and burst, and callers the profile lacks', async () => {
    const profile = dir.file(
      'bad-policy.profile.yaml',
      'target: http://127.0.0.1:9\nkeys:\n  rl-1: ${env:RL_ONE}\nvars: { limitedPath: /api/search }\nrateLimits:\n  search: { limit: 10, window: 1s, rate: 5r/s, burst: 10, keys: [rl-1, rl-2] }\n',
    );
    const cli = await runCli(['validate', 'scenarios/rate-limit.yaml', '-p', profile], { env: { RL_ONE: 'gk_live_one' } });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/error\[E_BAD_POLICY\]: the profile's rate limit 'search': give either limit and window, or rate and burst, not both/);
    expect(cli.stderr).toMatch(/error\[E_UNKNOWN_KEY\]: the profile's rate limit 'search' lists the caller key 'rl-2', which is not in the target profile/);
    expect(cli.stderr).toContain("did you mean 'rl-1'?");
  });

  it('refuses a policy name the profile does not declare, with a hint, before sending anything', async () => {
    const profile = dir.file('typo.profile.yaml', 'target: http://127.0.0.1:9\nrateLimits:\n  serach: { limit: 10, window: 1s }\n');
    const own = dir.file('own-policy.yaml', 'name: own\nchecks:\n  - { id: own, kind: rate-limit, severity: high, request: { path: / }, policy: search }\n');
    const cli = await runCli(['validate', own, '-p', profile]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/own-policy\.yaml:\d+:\d+: error\[E_UNKNOWN_POLICY\]: the profile declares no rate limit named 'search'/);
    expect(cli.stderr).toContain("did you mean 'serach'?");
    // The built-in scenario requires the limit: it does not fit this profile, and validate says so, with the hint.
    const builtIn = await runCli(['validate', 'scenarios/rate-limit.yaml', '-p', profile]);
    expect(builtIn.code).toBe(0);
    expect(builtIn.stderr).toMatch(/rate-limit\.yaml:\d+:\d+: note\[N_DOES_NOT_FIT\]: limits\.search will be skipped: it needs rateLimits\.search \(did you mean rateLimits\.serach\?\), vars\.limitedPath in the target profile/);
  });
});
