import { EPSILON, waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * Leaky bucket as a queue (nginx limit_req without nodelay): requests are served one per T = W / limit, in
 * order; a request that finds the server busy waits its turn (Decision.delayMs) if at most `queue` requests are
 * ahead of it, and is refused otherwise. The output is perfectly paced; the wait is bounded by queue x T.
 * State: [time the queue drains (the next free slot)].
 */
export const leakyQueue: Algorithm = {
  name: 'leaky-queue',
  summary: 'leaky bucket as a queue: paced at one per W/N, excess waits in a bounded queue, overflow refused',
  stateSize: () => 1,
  evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
    const T = p.intervalMs;
    const start = Math.max(s[at]!, now);
    const wait = start - now;
    // Every unit of the request must start within the queue's bound.
    const allowed = (wait + (cost - 1) * T) / T <= p.queue + EPSILON;
    const horizon = allowed ? start + cost * T : start;
    v.allowed = allowed;
    v.delayMs = allowed ? waitMs(wait) : 0;
    // Unit-cost requests still acceptable now: the k-th would wait (horizon - now) + (k - 1) x T.
    v.remaining = Math.max(0, Math.min(p.limit, Math.floor((p.queue * T - (horizon - now)) / T + EPSILON) + 1));
    v.resetMs = waitMs(horizon - now);
    v.retryAfterMs = allowed ? 0 : cost - 1 > p.queue ? Infinity : waitMs(start + (cost - 1 - p.queue) * T - now);
  },
  record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
    s[at] = Math.max(s[at]!, now) + cost * p.intervalMs;
  },
  idleAt: (s: Float64Array, at: number) => (s[at] === 0 ? -Infinity : s[at]!),
};
