import { EPSILON, waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * GCRA (generic cell rate algorithm, as in redis-cell and Stripe's throttle): one "theoretical arrival time"
 * per key. Each unit of cost advances it by the emission interval T = W / limit; a request is admitted when the
 * new arrival time is at most `burst` x T ahead of now. Same admissions as a token bucket, in one number.
 * State: [theoretical arrival time].
 */
export const gcra: Algorithm = {
  name: 'gcra',
  summary: 'GCRA: one timestamp per key; bursts up to the capacity, then one per W/N',
  stateSize: () => 1,
  evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
    const T = p.intervalMs;
    const tat = Math.max(s[at]!, now);
    const newTat = tat + cost * T;
    const allowAt = newTat - p.capacity * T;
    const allowed = (now - allowAt) / T >= -EPSILON;
    const horizon = allowed ? newTat : tat;
    v.allowed = allowed;
    v.delayMs = 0;
    v.remaining = Math.max(0, Math.floor((now - (horizon - p.capacity * T)) / T + EPSILON));
    v.resetMs = waitMs(horizon - now);
    v.retryAfterMs = allowed ? 0 : cost > p.capacity ? Infinity : waitMs(allowAt - now);
  },
  record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
    s[at] = Math.max(s[at]!, now) + cost * p.intervalMs;
  },
  idleAt: (s: Float64Array, at: number) => (s[at] === 0 ? -Infinity : s[at]!),
};
