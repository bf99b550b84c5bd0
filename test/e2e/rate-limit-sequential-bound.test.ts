import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS, kindByName } from '../../src/checks/index.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runScenarios } from '../../src/runner/run.js';
import { watchdogMs } from '../../src/runner/run-check.js';
import { loadProfile } from '../../src/scenario/load-profile.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import { everyKindEnv, everyKindProfile } from '../helpers/every-kind.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * Found by the response fuzzer: with `transport: sequential`, the discovery probe's burst of 100 went out one
 * request after another, checked against the check's time limit only before the first. Against a target answering
 * in 120 ms (never refusing) it ran 12 s, the watchdog stopped it at its bound, and the report said "ran past its
 * time bound ... a bug". Each request of a burst in turn is now held to the limit.
 */
describe('a sequential rate-limit check against a slow target that never refuses', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 120));
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('stops at its time limit, within its bound, saying which limit it reached', async () => {
    dir.file('scenarios/sequential.yaml', 'name: sequential\nchecks:\n  - { id: rl, kind: rate-limit, severity: high, request: { path: /api/search }, policy: { rate: 10, burst: 3 }, transport: sequential, maxDuration: 2s }\n');
    const secrets = new SecretRegistry();
    const env = { ...process.env, ...everyKindEnv() };
    const profile = loadProfile(dir.file('profile.yaml', everyKindProfile(server.url)), { kinds: CHECK_KINDS, secrets, env });
    const scenarios = loadScenarios([join(dir.path, 'scenarios')], { kinds: CHECK_KINDS, profile, env });
    const bound = watchdogMs(kindByName('rate-limit')!.bounds(scenarios[0]!.checks[0]!.spec as never, { timeoutMs: 300, profile }));

    const started = performance.now();
    const run = await runScenarios({ profile, scenarios, failOn: 'info', timeoutMs: 300, concurrency: 1, vars: {}, secrets, reporters: [], allowLoad: true });
    const elapsedMs = performance.now() - started;
    const probes = run.scenarios[0]!.checks;
    const summary = probes.map((p) => `${p.id}: ${p.status}: ${p.message}`).join('\n');
    for (const probe of probes) expect(probe.message, summary).not.toMatch(/ran past its time bound|a bug/);
    expect(probes.find((p) => p.id === 'rl.discovery')?.message, summary).toMatch(/bound was reached \(its time limit\)/);
    expect(elapsedMs).toBeLessThan(bound);
  });
});
