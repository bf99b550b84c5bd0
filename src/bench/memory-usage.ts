import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AlgorithmName } from '../reference/limiters/algorithms/types.js';
import { MemoryStore } from '../reference/limiters/stores/memory.js';
import { peerAllows, type Peer } from './peer.js';

let gc: (() => void) | undefined;
/**
 * A full garbage collection, so heap deltas measure what is retained. (Not used before timed runs: a heap just
 * shrunk by a full collection makes the next short run pay for growing it again, which is not what a server sees.)
 */
export function collect(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * Bytes retained per key once `keys` keys have made one request each: heap plus array buffers after a full GC,
 * before and after, divided by the keys. Key strings are built inside, so each store pays for its own copies.
 */
export async function bytesPerKey(make: () => MeasuredStore, keys: number): Promise<number> {
  collect();
  const before = used();
  const store = make();
  for (let i = 0; i < keys; i++) await store.consume(`client-${i}`);
  collect();
  const after = used();
  await store.dispose?.(keys);
  return (after - before) / keys;
}

export interface MeasuredStore {
  consume(key: string): unknown;
  /** Releases what would outlive the measurement (the peer's per-key timers). */
  dispose?(keys: number): Promise<void>;
}

export function memoryStoreFactory(algorithm: AlgorithmName, limit: number): () => MeasuredStore {
  return () => new MemoryStore({ algorithm, policies: [{ limit, windowMs: 60_000 }] });
}

export function peerMemoryFactory(peer: Peer, limit: number): () => MeasuredStore {
  return () => {
    const limiter = peer.memory({ points: limit, durationSeconds: 60 });
    return {
      consume: (key: string) => peerAllows(limiter, key),
      dispose: async (keys: number) => {
        for (let i = 0; i < keys; i++) await limiter.delete(`client-${i}`);
      },
    };
  };
}
