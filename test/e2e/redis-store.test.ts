import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, waitUntilReady } from '../../src/reference/limiters/stores/redis-client.js';
import { RedisStore } from '../../src/reference/limiters/stores/redis.js';
import { redisBinary, startRedis, type LocalRedis } from '../helpers/redis.js';

const hasRedis = redisBinary('the Redis limiter store') !== undefined;
let redis: LocalRedis | undefined;
let client: Redis;

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis('Redis limiter store');
  client = createRedisClient(redis!.url);
  expect(await waitUntilReady(client, 10_000)).toBe(true);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasRedis)('Redis limiter store', () => {
  it('decides on Redis TIME: a real short window refuses, then admits after retryAfterMs', async () => {
    const store = new RedisStore({ client, algorithm: 'fixed-window-anchored', policies: [{ limit: 3, windowMs: 400 }], prefix: 'time:' });
    const first = await Promise.all([1, 2, 3].map(() => store.consume('k')));
    expect(first.every((d) => d.allowed)).toBe(true);
    const refused = await store.consume('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(400);
    await sleep(refused.retryAfterMs + 5);
    expect((await store.consume('k')).allowed).toBe(true);
  });

  it('honours a clock offset inside the script: ten minutes later is another window', async () => {
    const policies = [{ limit: 2, windowMs: 60_000 }];
    const now = new RedisStore({ client, algorithm: 'fixed-window', policies, prefix: 'offset:' });
    const later = new RedisStore({ client, algorithm: 'fixed-window', policies, prefix: 'offset:', offsetMs: 600_000 });
    expect([(await now.consume('k')).allowed, (await now.consume('k')).allowed, (await now.consume('k')).allowed]).toEqual([true, true, false]);
    expect((await later.consume('k')).allowed).toBe(true);
  });

  it('sets a TTL on every key it writes, in the same step, no longer than the state matters', async () => {
    for (const algorithm of ['fixed-window', 'sliding-log', 'sliding-counter', 'token-bucket', 'gcra', 'leaky-queue'] as const) {
      const store = new RedisStore({ client, algorithm, policies: [{ name: 'a', limit: 5, windowMs: 2000 }, { name: 'b', limit: 50, windowMs: 20_000 }], prefix: `ttl:${algorithm}:` });
      await store.consume('k');
      const keys = await client.keys(`ttl:${algorithm}:*`);
      expect(keys.sort()).toEqual([`ttl:${algorithm}:{k}:a`, `ttl:${algorithm}:{k}:b`]);
      for (const key of keys) {
        const ttl = await client.pttl(key);
        expect(ttl, `${key}`).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(key.endsWith(':a') ? 4000 : 40_000);
      }
    }
  });

  it('makes exactly one round trip (one EVALSHA) per decision, and reloads the script after SCRIPT FLUSH', async () => {
    const store = new RedisStore({ client, algorithm: 'gcra', policies: [{ limit: 100, windowMs: 1000 }, { name: 'p2', limit: 1000, windowMs: 60_000 }], prefix: 'trips:' });
    await store.load();
    const sent: string[] = [];
    const original = client.sendCommand.bind(client);
    client.sendCommand = ((command: { name: string }) => {
      sent.push(command.name);
      return original(command as never);
    }) as typeof client.sendCommand;
    try {
      for (let i = 0; i < 20; i++) await store.consume(`k${i % 3}`);
      expect(sent.map((c) => c.toLowerCase())).toEqual(Array(20).fill('evalsha'));
      sent.length = 0;
      await client.script('FLUSH');
      sent.length = 0;
      expect((await store.consume('k0')).allowed).toBe(true);
      expect(sent.map((c) => c.toLowerCase())).toEqual(['evalsha', 'script', 'evalsha']);
    } finally {
      client.sendCommand = original;
    }
  });

  it('fails fast, without queueing, when Redis cannot be reached', async () => {
    const unreachable = createRedisClient('redis://127.0.0.1:1', { connectTimeoutMs: 200 });
    const store = new RedisStore({ client: unreachable, ownsClient: true, algorithm: 'gcra', policies: [{ limit: 1, windowMs: 1000 }] });
    const started = Date.now();
    await expect(store.consume('k')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
    await store.close();
  });
});
