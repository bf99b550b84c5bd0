import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlgorithmName, Decision, PolicySpec } from '../../src/reference/limiters/algorithms/types.js';
import type { Limiter } from '../../src/reference/limiters/limiter.js';
import { MemoryStore } from '../../src/reference/limiters/stores/memory.js';
import { createRedisClient, waitUntilReady } from '../../src/reference/limiters/stores/redis-client.js';
import { RedisStore } from '../../src/reference/limiters/stores/redis.js';
import { seededRandom } from '../../src/bench/random.js';
import { ALL_ALGORITHMS, atomicityCase, costCase, DEFINING_CASES, type LimiterCase } from '../helpers/limiter-cases.js';
import { redisBinary, startRedis, type LocalRedis } from '../helpers/redis.js';

interface FakeClock {
  now: number;
}
interface Options {
  algorithm: AlgorithmName;
  policies: PolicySpec[];
  countRefused?: boolean;
  clock: FakeClock;
}
type StoreFactory = (options: Options) => Limiter;

let redis: LocalRedis | undefined;
let client: Redis | undefined;
let prefixCounter = 0;
const hasRedis = redisBinary('the Redis limiter store runs the same table as the memory store') !== undefined;

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis('limiter store tests');
  client = createRedisClient(redis!.url);
  expect(await waitUntilReady(client, 10_000)).toBe(true);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const STORES: [string, StoreFactory][] = [
  ['memory', (o) => new MemoryStore({ ...o, clock: () => o.clock.now })],
  // Each limiter gets its own key prefix, so cases never see each other's state.
  ['redis', (o) => new RedisStore({ ...o, client: client!, clock: () => o.clock.now, prefix: `test:${++prefixCounter}:` })],
];

async function runCase(factory: StoreFactory, testCase: LimiterCase): Promise<void> {
  const clock = { now: 0 };
  const limiter = factory({ algorithm: testCase.algorithm, policies: testCase.policies, countRefused: testCase.countRefused, clock });
  let index = 0;
  for (const step of testCase.steps) {
    clock.now = step.at;
    for (let i = 0; i < (step.times ?? 1); i++) {
      const decision = await limiter.consume(step.key ?? 'k', step.cost ?? 1);
      const expected = Array.isArray(step.expect) ? step.expect[i] : step.expect;
      expect(decision, `step ${index} (t=${step.at}, repetition ${i + 1})`).toMatchObject(expected!);
      index++;
    }
  }
}

/** A bursty seeded trace over several keys: on/off bursts above the limit, with gaps. */
function randomTrace(seed: number, count: number, windowMs: number): { at: number; key: string; cost: number }[] {
  const random = seededRandom(seed);
  const trace = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    at += random() < 0.1 ? Math.floor(random() * windowMs) : Math.floor(random() * 30);
    trace.push({ at, key: `k${Math.floor(random() * 3)}`, cost: random() < 0.2 ? 2 : 1 });
  }
  return trace;
}

for (const [storeName, factory] of STORES) {
  describe.skipIf(storeName === 'redis' && !hasRedis)(`limiter algorithms on the ${storeName} store`, () => {
    it.each(DEFINING_CASES.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
      await runCase(factory, testCase);
    });

    it.each(ALL_ALGORITHMS)('%s: a request costs its cost, and a refused one costs nothing', async (algorithm) => {
      await runCase(factory, costCase(algorithm));
    });

    it.each(ALL_ALGORITHMS)('%s: a request refused by one policy consumes none of the others (atomic)', async (algorithm) => {
      await runCase(factory, atomicityCase(algorithm));
    });

    it('sliding log: never more than N admitted in any window W, and never a refusal with room (random trace)', async () => {
      const N = 7;
      const W = 500;
      const clock = { now: 0 };
      const limiter = factory({ algorithm: 'sliding-log', policies: [{ limit: N, windowMs: W }], clock });
      const admitted: number[] = [];
      for (const { at } of randomTrace(42, 400, W)) {
        clock.now = at;
        const decision = await limiter.consume('one-key');
        const inWindow = admitted.filter((t) => t > at - W).length;
        expect(decision.allowed, `t=${at}: ${inWindow} admitted in the trailing window`).toBe(inWindow < N);
        if (decision.allowed) admitted.push(at);
      }
      expect(admitted.length).toBeGreaterThan(N * 3);
    });
  });
}

describe.skipIf(!hasRedis)('the Redis store decides exactly as the memory store', () => {
  it.each(ALL_ALGORITHMS)('%s: same decisions on a random multi-key trace with costs and two policies', async (algorithm) => {
    const policies: PolicySpec[] = [
      { name: 'short', limit: 5, windowMs: 300 },
      { name: 'long', limit: 20, windowMs: 3000 },
    ];
    for (const countRefused of [false, true]) {
      const clock = { now: 0 };
      const memory = STORES[0]![1]({ algorithm, policies, countRefused, clock });
      const redisStore = STORES[1]![1]({ algorithm, policies, countRefused, clock });
      const differences: string[] = [];
      for (const { at, key, cost } of randomTrace(7, 300, 300)) {
        clock.now = at;
        const a: Decision = await memory.consume(key, cost);
        const b: Decision = await redisStore.consume(key, cost);
        if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`t=${at} ${key} cost ${cost}: memory ${JSON.stringify(a)} redis ${JSON.stringify(b)}`);
      }
      expect(differences.slice(0, 3), `countRefused=${countRefused}`).toEqual([]);
    }
  });
});
