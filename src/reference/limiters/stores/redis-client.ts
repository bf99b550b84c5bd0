import type { Redis, RedisOptions } from 'ioredis';
import { requireOptional } from '../../../util/optional-dependency.js';

export interface RedisClientOptions {
  /** Each command fails after this long instead of waiting for a stuck server (default 1000 ms). */
  commandTimeoutMs?: number;
  /** Connecting gives up after this long; reconnection goes on (default 2000 ms). */
  connectTimeoutMs?: number;
}

/**
 * An ioredis client for a limiter: commands fail fast while Redis is unreachable (no offline queue, no retries
 * of a command, a command timeout), so the caller's failure mode decides at once; reconnection keeps trying
 * every 100 ms to 1 s, so the limiter recovers by itself when Redis comes back.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const settings: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: true,
  };
  const { Redis: RedisClient } = requireOptional<typeof import('ioredis')>('ioredis', 'the Redis limiter store (serve --store redis, bench limiters)');
  const client = new RedisClient(url, settings);
  // Without a listener ioredis prints every connection error; the limiter reports failures through decisions.
  client.on('error', () => {});
  return client;
}

/** Waits until the client is ready, up to timeoutMs; false if it is not (it keeps reconnecting in the background). */
export async function waitUntilReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  if (client.status === 'wait') client.connect().catch(() => {});
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(client.status === 'ready'), timeoutMs);
    client.on('ready', onReady);
  });
}
