import { EPSILON, waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * Leaky bucket as a meter (nginx limit_req with nodelay, HAProxy): each request pours `cost` into a bucket of
 * size `burst` (default: limit) that leaks at limit / W; a request that would overflow it is refused. It admits
 * exactly what a token bucket of the same capacity and rate admits (the level is the tokens spent); gateways
 * name it differently, so both are here. State: [level, last update].
 */
export const leakyMeter: Algorithm = {
  name: 'leaky-meter',
  summary: 'leaky bucket as a meter: overflow refused, leaks N per W (same decisions as a token bucket)',
  stateSize: () => 2,
  evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
    const level = levelNow(s, at, p, now);
    const allowed = level + cost <= p.capacity + EPSILON;
    const after = level + (allowed ? cost : 0);
    v.allowed = allowed;
    v.delayMs = 0;
    v.remaining = Math.max(0, Math.floor(p.capacity - after + EPSILON));
    v.resetMs = waitMs(after / p.ratePerMs);
    v.retryAfterMs = allowed ? 0 : cost > p.capacity ? Infinity : waitMs((level + cost - p.capacity) / p.ratePerMs);
  },
  record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
    s[at] = levelNow(s, at, p, now) + cost;
    s[at + 1] = Math.max(s[at + 1]!, now);
  },
  idleAt: (s: Float64Array, at: number, p: Policy) => (s[at] === 0 ? -Infinity : s[at + 1]! + s[at]! / p.ratePerMs),
};

/** The water level after leaking since the last update. */
function levelNow(s: Float64Array, at: number, p: Policy, now: number): number {
  const elapsed = now - s[at + 1]!;
  return elapsed > 0 ? Math.max(0, s[at]! - elapsed * p.ratePerMs) : s[at]!;
}
