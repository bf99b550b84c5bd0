import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { runScenarios } from '../../src/runner/run.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import { loadScenarios } from '../../src/scenario/load-scenarios.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** Every case a check plans is in the report, even when the check never starts: a report's count is the plan's. */
describe('planned cases', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((_req, res) => res.writeHead(200).end());
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('a rate-limit check an interrupt kept from starting reports each selected probe as not run', async () => {
    const file = dir.file(
      'plan.yaml',
      'name: plan\nchecks:\n' +
        '  - { id: plan.first, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }\n' +
        '  - { id: plan.limits, kind: rate-limit, severity: high, request: { path: /x }, policy: { limit: 5, window: 1s }, probes: [discovery, boundary, retry-after], severities: { boundary: medium } }\n',
    );
    const profile = profileFromTarget(server.url);
    const scenarios = loadScenarios([file], { kinds: CHECK_KINDS, profile: undefined });
    const interrupted = new AbortController();
    interrupted.abort();
    const run = await runScenarios({ profile, scenarios, failOn: 'info', timeoutMs: 1000, concurrency: 1, vars: {}, secrets: new SecretRegistry(), reporters: [], allowLoad: false, signal: interrupted.signal });
    const checks = run.scenarios.flatMap((s) => s.checks);
    // In the order the probes run (discovery, retry-after, boundary), with their own titles and severities.
    expect(checks.map((c) => `${c.id} ${c.severity} ${c.status}: ${c.message}`)).toEqual([
      'plan.first low skipped: not run: the run was interrupted',
      'plan.limits.discovery high skipped: not run: the run was interrupted',
      'plan.limits.retry-after high skipped: not run: the run was interrupted',
      'plan.limits.boundary medium skipped: not run: the run was interrupted',
    ]);
    expect(checks.find((c) => c.case === 'boundary')!.title).toBe('no more than the limit gets through across a window boundary');
    expect(run.totals.checks).toBe(4);
    expect(server.requests).toHaveLength(0);
  });
});
