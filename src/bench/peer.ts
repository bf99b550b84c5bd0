import type { Redis } from 'ioredis';

/** The slice of rate-limiter-flexible the benchmark uses. */
export interface PeerLimiter {
  consume(key: string, points?: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

export interface Peer {
  name: string;
  version: string;
  memory(options: { points: number; durationSeconds: number; keyPrefix?: string }): PeerLimiter;
  redis(options: { points: number; durationSeconds: number; client: Redis; keyPrefix: string }): PeerLimiter;
}

export const PEER_PACKAGE = 'rate-limiter-flexible';

/**
 * rate-limiter-flexible, loaded only when the benchmark runs (it is a devDependency, not needed to use gauntlet).
 * Undefined, with the reason, when it is not installed.
 */
export async function loadPeer(importer: (name: string) => Promise<unknown> = (name) => import(name)): Promise<{ peer?: Peer; reason?: string }> {
  let module: Record<string, unknown>;
  try {
    module = (await importer(PEER_PACKAGE)) as Record<string, unknown>;
  } catch (error) {
    return { reason: `${PEER_PACKAGE} is not installed (npm install --save-dev ${PEER_PACKAGE}); the peer columns stay empty: ${(error as Error).message.split('\n')[0]}` };
  }
  const lib = (module.default ?? module) as Record<string, new (options: Record<string, unknown>) => PeerLimiter>;
  if (typeof lib.RateLimiterMemory !== 'function' || typeof lib.RateLimiterRedis !== 'function') {
    return { reason: `${PEER_PACKAGE} does not export RateLimiterMemory and RateLimiterRedis; the peer columns stay empty` };
  }
  let version = 'unknown';
  try {
    const { createRequire } = await import('node:module');
    version = (createRequire(import.meta.url)(`${PEER_PACKAGE}/package.json`) as { version: string }).version;
  } catch {
    // the version is only shown
  }
  return {
    peer: {
      name: PEER_PACKAGE,
      version,
      memory: (o) => new lib.RateLimiterMemory!({ points: o.points, duration: o.durationSeconds, keyPrefix: o.keyPrefix ?? 'rlflx' }),
      redis: (o) => new lib.RateLimiterRedis!({ points: o.points, duration: o.durationSeconds, storeClient: o.client, keyPrefix: o.keyPrefix }),
    },
  };
}

/** rate-limiter-flexible rejects with a RateLimiterRes when refused, and with an Error when it fails. */
export async function peerAllows(limiter: PeerLimiter, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (error) {
    if (error instanceof Error) throw error;
    return false;
  }
}
