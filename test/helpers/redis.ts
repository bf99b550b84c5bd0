import { startLocalRedis, type LocalRedis } from '../../src/util/local-redis.js';
import { requireService } from './services.js';

export type { LocalRedis };

/**
 * A redis-server of our own for one test file: free loopback port, persistence off, up once it answers PING.
 * Undefined when the binary is absent (the caller skips; with GAUNTLET_REQUIRE_SERVICES=1 this throws instead).
 * Call stop() in afterAll.
 */
export async function startRedis(purpose: string): Promise<LocalRedis | undefined> {
  const binary = requireService('redis-server', purpose, 'redis-server');
  if (!binary) return undefined;
  return startLocalRedis(binary, { timeoutMs: 15_000 });
}

/** Synchronous check for describe.skipIf: is redis-server available (or required)? */
export function redisBinary(purpose: string): string | undefined {
  return requireService('redis-server', purpose, 'redis-server');
}
