import { waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * Fixed window: at most `limit` per window; the count restarts when a new window begins. Clock-aligned windows
 * start at multiples of the window length (every client shares the boundaries); anchored windows start at a key's
 * first request after the previous window ended. Either admits up to 2 x limit across a boundary.
 * State: [window start, count].
 */
function fixedWindow(anchored: boolean): Algorithm {
  // Where the window containing `now` starts, given the stored start and count.
  const windowStart = (start: number, count: number, p: Policy, now: number): number => {
    if (anchored) return count === 0 || now >= start + p.windowMs ? now : start;
    return Math.floor(now / p.windowMs) * p.windowMs;
  };
  return {
    name: anchored ? 'fixed-window-anchored' : 'fixed-window',
    summary: anchored
      ? 'fixed window anchored at the first request: N per window, 2N possible across a boundary'
      : 'fixed window aligned on the clock: N per window, 2N possible across a boundary',
    stateSize: () => 2,
    evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
      const storedCount = s[at + 1]!;
      const start = windowStart(s[at]!, storedCount, p, now);
      const count = start === s[at] ? storedCount : 0;
      const end = start + p.windowMs;
      const allowed = count + cost <= p.limit;
      v.allowed = allowed;
      v.remaining = Math.max(0, p.limit - count - (allowed ? cost : 0));
      v.resetMs = waitMs(end - now);
      v.retryAfterMs = allowed ? 0 : cost > p.limit ? Infinity : v.resetMs;
      v.delayMs = 0;
    },
    record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
      const start = windowStart(s[at]!, s[at + 1]!, p, now);
      if (start !== s[at]) {
        s[at] = start;
        s[at + 1] = 0;
      }
      s[at + 1] = s[at + 1]! + cost;
    },
    idleAt: (s: Float64Array, at: number, p: Policy) => (s[at + 1] === 0 ? -Infinity : s[at]! + p.windowMs),
  };
}

export const fixedWindowAligned: Algorithm = fixedWindow(false);
export const fixedWindowAnchored: Algorithm = fixedWindow(true);
