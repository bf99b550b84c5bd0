import { EPSILON, waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * Sliding window counter, as Cloudflare describes it: clock-aligned windows, and the previous window's count
 * weighted by how much of it still overlaps the sliding window: estimate = previous x (W - elapsed) / W + current.
 * Admits when estimate + cost <= limit. Constant memory; approximates the sliding log, assuming the previous
 * window's requests were spread evenly. State: [current window start, current count, previous count]; a
 * window that is not the current one reads as the previous one (if adjacent) or as nothing.
 */
export const slidingCounter: Algorithm = {
  name: 'sliding-counter',
  summary: 'sliding window counter (Cloudflare): previous window weighted by its overlap, constant memory',
  stateSize: () => 3,
  evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
    const W = p.windowMs;
    const start = Math.floor(now / W) * W;
    const stored = s[at]!;
    const current = stored === start ? s[at + 1]! : 0;
    const previous = stored === start ? s[at + 2]! : stored === start - W ? s[at + 1]! : 0;
    const estimate = previous * ((W - (now - start)) / W) + current;
    const allowed = estimate + cost <= p.limit + EPSILON;
    const after = current + (allowed ? cost : 0);
    v.allowed = allowed;
    v.delayMs = 0;
    v.remaining = Math.max(0, Math.floor(p.limit - estimate - (allowed ? cost : 0) + EPSILON));
    v.resetMs = waitMs(after > 0 ? start + 2 * W - now : previous > 0 ? start + W - now : 0);
    if (allowed) v.retryAfterMs = 0;
    else if (cost > p.limit) v.retryAfterMs = Infinity;
    else if (current + cost <= p.limit) {
      // Later in this window, once the previous window's weight has fallen enough.
      const elapsedNeeded = W * (1 - (p.limit - cost - current) / previous);
      v.retryAfterMs = waitMs(start + elapsedNeeded - now);
    } else {
      // In the next window, where this window's count becomes the weighted one.
      const elapsedNeeded = W * (1 - (p.limit - cost) / current);
      v.retryAfterMs = waitMs(start + W + Math.max(0, elapsedNeeded) - now);
    }
  },
  record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
    const W = p.windowMs;
    const start = Math.floor(now / W) * W;
    const stored = s[at]!;
    const current = stored === start ? s[at + 1]! : 0;
    const previous = stored === start ? s[at + 2]! : stored === start - W ? s[at + 1]! : 0;
    s[at] = start;
    s[at + 1] = current + cost;
    s[at + 2] = previous;
  },
  idleAt: (s: Float64Array, at: number, p: Policy) =>
    s[at + 1] === 0 && s[at + 2] === 0 ? -Infinity : s[at]! + 2 * p.windowMs,
};
