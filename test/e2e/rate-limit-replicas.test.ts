import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimiterStore } from '../../src/reference/limiters/create-store.js';
import type { Limiter } from '../../src/reference/limiters/limiter.js';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { redisBinary, startRedis, type LocalRedis } from '../helpers/redis.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const POLICY = { algorithm: 'sliding-log' as const, policies: [{ name: 'api', limit: 5, windowMs: 500 }] };

describe.skipIf(!redisBinary('the rate-limit replicas probe against servers sharing a Redis limit'))('the replicas probe', () => {
  let redis: LocalRedis;
  let dir: TempDir;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    redis = (await startRedis('the replicas probe'))!;
    dir = tempDir();
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await redis?.stop();
    dir?.remove();
  });

  async function pair(store: 'redis' | 'memory'): Promise<ReferenceServer[]> {
    const servers: ReferenceServer[] = [];
    for (let i = 0; i < 2; i++) {
      const { limiter }: { limiter: Limiter } = await createLimiterStore({ ...POLICY, store, redisUrl: redis.url });
      const server = await createReferenceServer({ limiter: { limiter } });
      closers.push(async () => {
        await server.close();
        await limiter.close();
      });
      servers.push(server);
    }
    return servers;
  }

  async function replicasProbe([a, b]: ReferenceServer[], name: string): Promise<CheckResult> {
    const profile = dir.file(`${name}.profile.yaml`, `target: ${a!.url}\nreplicas: [${b!.url}]\nrateLimits:\n  api: { limit: 5, window: 500ms, keyedOn: ip }\n`);
    const scenario = dir.file(`${name}.yaml`, `name: replicas\nchecks:\n  - { id: rl, kind: rate-limit, severity: high, request: { path: /api/data }, policy: api, probes: [replicas] }\n`);
    const out = join(dir.path, name);
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return run.scenarios[0]!.checks[0]!;
  }

  it('passes two servers that share one limit through Redis, reporting the split', async () => {
    const check = await replicasProbe(await pair('redis'), 'shared');
    expect(check, check.message).toMatchObject({ id: 'rl.replicas', status: 'passed' });
    const split = (check.evidence.data as { split: { admitted: number }[] }).split;
    expect(split).toHaveLength(2);
    expect(split.reduce((n, s) => n + s.admitted, 0)).toBeLessThanOrEqual(5 + 1);
  });

  it('fails two servers that each count alone', async () => {
    const check = await replicasProbe(await pair('memory'), 'separate');
    expect(check).toMatchObject({ id: 'rl.replicas', status: 'failed' });
    expect(check.message).toMatch(/admitted across replicas: expected <= 5 in all, got (9|10)/);
  });
});
