import type { AlgorithmName } from '../reference/limiters/algorithms/types.js';
import type { Limiter } from '../reference/limiters/limiter.js';
import { MemoryStore } from '../reference/limiters/stores/memory.js';
import type { Outcome } from './metrics.js';
import { peerAllows, type Peer } from './peer.js';
import type { Trace, TracePolicy } from './traces.js';

/** Replays a trace through a memory store on a fake clock; a leaky queue's request is served after its delay. */
export function replayAlgorithm(algorithm: AlgorithmName, trace: Trace, p: TracePolicy): Outcome {
  const clock = { now: 0 };
  const store = new MemoryStore({ algorithm, policies: [{ limit: p.limit, windowMs: p.windowMs }], clock: () => clock.now });
  return replaySync(store, clock, trace);
}

function replaySync(store: MemoryStore, clock: { now: number }, trace: Trace): Outcome {
  const admitted = new Uint8Array(trace.times.length);
  const servedAt = new Float64Array(trace.times.length);
  const names = Array.from({ length: trace.keyCount }, (_, k) => `k${k}`);
  for (let i = 0; i < trace.times.length; i++) {
    clock.now = trace.times[i]!;
    const decision = store.consume(names[trace.keys[i]!]!);
    admitted[i] = decision.allowed ? 1 : 0;
    servedAt[i] = clock.now + decision.delayMs;
  }
  return { admitted, servedAt };
}

/** The same through any limiter (the Redis store, on a pinned clock), one awaited decision at a time. */
export async function replayLimiter(limiter: Limiter, clock: { now: number }, trace: Trace): Promise<Outcome> {
  const admitted = new Uint8Array(trace.times.length);
  const servedAt = new Float64Array(trace.times.length);
  for (let i = 0; i < trace.times.length; i++) {
    clock.now = trace.times[i]!;
    const decision = await limiter.consume(`k${trace.keys[i]!}`);
    admitted[i] = decision.allowed ? 1 : 0;
    servedAt[i] = clock.now + decision.delayMs;
  }
  return { admitted, servedAt };
}

/**
 * rate-limiter-flexible's RateLimiterMemory on the trace. It reads Date.now() and has no clock option, so
 * Date.now is replaced by the trace's clock for the replay (its expiry timers never fire within it: every
 * await here settles in the same turn of the event loop).
 */
export async function replayPeer(peer: Peer, trace: Trace, p: TracePolicy): Promise<Outcome> {
  const limiter = peer.memory({ points: p.limit, durationSeconds: p.windowMs / 1000 });
  const admitted = new Uint8Array(trace.times.length);
  const realNow = Date.now;
  const epoch = 1_700_000_000_000;
  let now = epoch;
  Date.now = () => now;
  try {
    for (let i = 0; i < trace.times.length; i++) {
      now = epoch + trace.times[i]!;
      admitted[i] = (await peerAllows(limiter, `k${trace.keys[i]!}`)) ? 1 : 0;
    }
  } finally {
    Date.now = realNow;
  }
  for (let k = 0; k < trace.keyCount; k++) await limiter.delete(`k${k}`);
  return { admitted, servedAt: trace.times };
}
