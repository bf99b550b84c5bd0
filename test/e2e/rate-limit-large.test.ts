import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BURST } from '../../src/engine/burst.js';
import { createLimiterStore } from '../../src/reference/limiters/create-store.js';
import type { Limiter } from '../../src/reference/limiters/limiter.js';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const LIMIT = 600;

describe('a rate limit whose probes need more than one burst', () => {
  let server: ReferenceServer;
  let limiter: Limiter;
  let dir: TempDir;
  beforeAll(async () => {
    ({ limiter } = await createLimiterStore({ algorithm: 'sliding-log', policies: [{ name: 'api', limit: LIMIT, windowMs: 60_000 }] }));
    server = await createReferenceServer({ limiter: { limiter } });
    dir = tempDir();
  });
  afterAll(async () => {
    await server.close();
    await limiter.close();
    dir.remove();
  });

  it(`discovers a limit of ${LIMIT}, sending its ${2 * LIMIT + 5} requests as consecutive bursts`, async () => {
    expect(2 * LIMIT + 5).toBeGreaterThan(MAX_BURST);
    const profile = dir.file('p.yaml', `target: ${server.url}\nrateLimits:\n  api: { limit: ${LIMIT}, window: 60s, keyedOn: ip }\n`);
    const scenario = dir.file('s.yaml', 'name: s\nchecks:\n  - { id: rl, kind: rate-limit, severity: high, request: { path: /api/data }, policy: api, probes: [discovery] }\n');
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', dir.path], { timeoutMs: 60_000 });
    const run: RunResult = JSON.parse(readFileSync(join(dir.path, 'gauntlet-report.json'), 'utf8'));
    const discovery = run.scenarios[0]!.checks.find((c) => c.id === 'rl.discovery')!;
    expect(discovery, discovery.message).toMatchObject({ status: 'passed', message: expect.stringContaining(`a burst of ${2 * LIMIT + 5} admitted ${LIMIT}`) });
  });
});
