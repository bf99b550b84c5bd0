import type { AlgorithmName } from '../reference/limiters/algorithms/types.js';
import { MemoryStore } from '../reference/limiters/stores/memory.js';
import { peerAllows, type Peer } from './peer.js';

export interface ThroughputSample {
  decisionsPerSecond: number;
  refused: number;
  decisions: number;
}

const HOUR_MS = 3_600_000;

/**
 * Decisions per second of one memory store, single-threaded: every key in `keys` visited round-robin, `perKey`
 * times, against a limit of `limit` per hour (time plays no part). The store answers synchronously, so the loop
 * calls it directly; a fresh store each time, so every run pays for creating its keys.
 */
export function measureMemoryStore(algorithm: AlgorithmName, keys: string[], limit: number, perKey: number): ThroughputSample {
  const store = new MemoryStore({ algorithm, policies: [{ limit, windowMs: HOUR_MS }] });
  let refused = 0;
  const started = performance.now();
  for (let round = 0; round < perKey; round++) {
    for (let k = 0; k < keys.length; k++) if (!store.consume(keys[k]!).allowed) refused++;
  }
  const elapsed = performance.now() - started;
  const decisions = keys.length * perKey;
  return { decisionsPerSecond: (decisions / elapsed) * 1000, refused, decisions };
}

/** The same for rate-limiter-flexible's RateLimiterMemory (promise-based: each decision is awaited). */
export async function measurePeerMemory(peer: Peer, keys: string[], limit: number, perKey: number): Promise<ThroughputSample> {
  const limiter = peer.memory({ points: limit, durationSeconds: HOUR_MS / 1000 });
  let refused = 0;
  const started = performance.now();
  for (let round = 0; round < perKey; round++) {
    for (let k = 0; k < keys.length; k++) if (!(await peerAllows(limiter, keys[k]!))) refused++;
  }
  const elapsed = performance.now() - started;
  // Outside the timing: clear its per-key timers so they do not weigh on the next measurement.
  for (const key of keys) await limiter.delete(key);
  const decisions = keys.length * perKey;
  return { decisionsPerSecond: (decisions / elapsed) * 1000, refused, decisions };
}
