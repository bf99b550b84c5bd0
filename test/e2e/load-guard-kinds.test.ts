import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendsLoad } from '../../src/checks/bounds.js';
import { CHECK_KINDS, kindByName } from '../../src/checks/index.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runScenarios } from '../../src/runner/run.js';
import { loadProfile } from '../../src/scenario/load-profile.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import type { LoadedScenario, TargetProfile } from '../../src/scenario/types.js';
import { everyKindEnv, everyKindProfile, everyKindScenarios } from '../helpers/every-kind.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Kinds whose very purpose is many requests, or requests at once: with the specs of EVERY_KIND they must count as load. */
const LOAD_BY_NATURE = ['load', 'rate-limit', 'headers', 'api-key-timing'];

describe('the load guard, for every kind', () => {
  let dir: TempDir;
  let server: TestServer;
  let profile: TargetProfile;
  let scenarios: LoadedScenario[];
  const secrets = new SecretRegistry();
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    everyKindScenarios((name, text) => dir.file(name, text));
    const env = { ...process.env, ...everyKindEnv() };
    profile = loadProfile(dir.file('profile.yaml', everyKindProfile(server.url)), { kinds: CHECK_KINDS, secrets, env });
    scenarios = loadScenarios([join(dir.path, 'scenarios')], { kinds: CHECK_KINDS, profile, env });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const boundsOf = (scenario: LoadedScenario) => {
    const check = scenario.checks[0]!;
    return kindByName(check.spec.kind)!.bounds(check.spec as never, { timeoutMs: 1000, profile });
  };

  it('every kind declares finite bounds in requests and time', () => {
    expect(scenarios).toHaveLength(CHECK_KINDS.length);
    for (const scenario of scenarios) {
      const bounds = boundsOf(scenario);
      expect(Number.isFinite(bounds.requests) && bounds.requests > 0, `${scenario.name}: ${bounds.requests} requests`).toBe(true);
      expect(Number.isFinite(bounds.durationMs) && bounds.durationMs > 0, `${scenario.name}: ${bounds.durationMs} ms`).toBe(true);
    }
    const loadKinds = scenarios.filter((s) => sendsLoad(boundsOf(s))).map((s) => s.name);
    expect(loadKinds).toEqual(expect.arrayContaining(LOAD_BY_NATURE));
  });

  it('sends nothing to a host outside loopback from any check that bursts or loads, without --allow-load', async () => {
    const loading = scenarios.filter((s) => sendsLoad(boundsOf(s)));
    const before = server.requests.length;
    // The local server stands in for a remote one: no host counts as loopback.
    const run = await runScenarios({ profile, scenarios: loading, failOn: 'info', timeoutMs: 1000, concurrency: 4, vars: {}, secrets, reporters: [], allowLoad: false, isLoopback: () => false });
    const checks = run.scenarios.flatMap((s) => s.checks);
    // Nothing vanishes: a check refused as a whole still reports each case it planned (the rate-limit probes).
    const planned = loading.flatMap((s) => {
      const check = s.checks[0]!;
      const cases = kindByName(check.spec.kind)!.plannedCases?.(check.spec as never, { timeoutMs: 1000, profile }) ?? [];
      return cases.length ? cases.map((c) => `${check.spec.id}.${c.suffix}`) : [check.spec.id];
    });
    expect(planned.filter((id) => id.includes('.discovery'))).toHaveLength(1);
    expect(checks.map((c) => c.id)).toEqual(planned);
    for (const check of checks) {
      expect(check.status, check.id).toBe('errored');
      expect(check.message).toMatch(/refusing to send .* to http:\/\/127\.0\.0\.1:\d+: not a loopback address\. Pass --allow-load/);
      expect(check.message).toContain('[E_LOAD_NOT_ALLOWED]');
    }
    expect(server.requests.length - before).toBe(0);
  });

  it('lets the checks that send a handful run anywhere', async () => {
    const handful = scenarios.filter((s) => !sendsLoad(boundsOf(s)));
    expect(handful.length).toBeGreaterThan(3);
    const run = await runScenarios({ profile, scenarios: handful, failOn: 'info', timeoutMs: 1000, concurrency: 4, vars: {}, secrets, reporters: [], allowLoad: false, isLoopback: () => false });
    for (const check of run.scenarios.flatMap((s) => s.checks)) expect(check.message, check.id).not.toContain('E_LOAD_NOT_ALLOWED');
  });
});
