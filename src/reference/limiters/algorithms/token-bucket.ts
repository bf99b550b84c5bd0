import { EPSILON, waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * Token bucket: a bucket of `burst` tokens (default: limit) refilled continuously at limit / W; a request takes
 * `cost` tokens or is refused. Stored as tokens *spent* so that a fresh (all-zero) state is a full bucket.
 * State: [spent, last update].
 */
export const tokenBucket: Algorithm = {
  name: 'token-bucket',
  summary: 'token bucket: bursts up to the capacity, then a steady refill of N per W',
  stateSize: () => 2,
  evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
    const spent = spentNow(s, at, p, now);
    const allowed = spent + cost <= p.capacity + EPSILON;
    const after = spent + (allowed ? cost : 0);
    v.allowed = allowed;
    v.delayMs = 0;
    v.remaining = Math.max(0, Math.floor(p.capacity - after + EPSILON));
    v.resetMs = waitMs(after / p.ratePerMs);
    v.retryAfterMs = allowed ? 0 : cost > p.capacity ? Infinity : waitMs((spent + cost - p.capacity) / p.ratePerMs);
  },
  record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
    s[at] = spentNow(s, at, p, now) + cost;
    s[at + 1] = Math.max(s[at + 1]!, now);
  },
  idleAt: (s: Float64Array, at: number, p: Policy) => (s[at] === 0 ? -Infinity : s[at + 1]! + s[at]! / p.ratePerMs),
};

/** Tokens spent, after the refill since the last update (never below zero: the bucket holds `capacity` at most). */
function spentNow(s: Float64Array, at: number, p: Policy, now: number): number {
  const elapsed = now - s[at + 1]!;
  return elapsed > 0 ? Math.max(0, s[at]! - elapsed * p.ratePerMs) : s[at]!;
}
