import type { AlgorithmName, Clock, PolicySpec } from './algorithms/types.js';
import { limiterFlawEffects } from './flaws.js';
import type { Limiter, StoreName } from './limiter.js';
import { MemoryStore } from './stores/memory.js';
import { createRedisClient, waitUntilReady } from './stores/redis-client.js';
import { RedisStore } from './stores/redis.js';

export interface LimiterConfig {
  algorithm: AlgorithmName;
  policies: PolicySpec[];
  store?: StoreName;
  /** Required with store: 'redis'. */
  redisUrl?: string;
  /** Memory store: most keys held (default 1 000 000). */
  maxKeys?: number;
  /** Memory store: a fake clock for tests (default Date.now). */
  clock?: Clock;
  /** Redis store: how long to wait for the first connection before starting anyway (default 2000 ms). */
  connectTimeoutMs?: number;
}

export interface CreatedLimiter {
  limiter: Limiter;
  /** Redis store: whether Redis answered before the timeout (the store keeps reconnecting either way). */
  connected: boolean;
}

/**
 * Builds the store a reference server limits with, applying the server's limiter flaws: limit-fixed-window
 * swaps the algorithm, limit-counts-rejected-forever counts refused requests, limit-per-worker keeps the count
 * in each process's memory. The caller closes the limiter.
 */
export async function createLimiterStore(config: LimiterConfig, flaws: ReadonlySet<string> = new Set()): Promise<CreatedLimiter> {
  const effects = limiterFlawEffects(flaws);
  const algorithm: AlgorithmName = effects.forceFixedWindow ? 'fixed-window' : config.algorithm;
  const store: StoreName = effects.forceMemoryStore ? 'memory' : (config.store ?? 'memory');
  if (store === 'memory') {
    return { limiter: new MemoryStore({ algorithm, policies: config.policies, countRefused: effects.countRefused, maxKeys: config.maxKeys, clock: config.clock }), connected: true };
  }
  if (!config.redisUrl) throw new RangeError('the redis store needs a Redis URL (redis://host:port)');
  const client = createRedisClient(config.redisUrl);
  const limiter = new RedisStore({ algorithm, policies: config.policies, client, ownsClient: true, countRefused: effects.countRefused });
  const connected = await waitUntilReady(client, config.connectTimeoutMs ?? 2000);
  if (connected) await limiter.load().catch(() => {});
  return { limiter, connected };
}
