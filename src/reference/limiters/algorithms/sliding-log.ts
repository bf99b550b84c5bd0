import { waitMs, type Algorithm, type Policy, type Verdict } from './types.js';

/**
 * Sliding log: the exact rule "at most `limit` in any window of length W" (a request at t counts until t + W).
 * The log is a ring of the last `limit` admission times: older entries can never decide anything, so a key's
 * state is bounded at (limit + 2) x 8 bytes. State: [head, size, t0 .. t(limit-1)].
 */
export const slidingLog: Algorithm = {
  name: 'sliding-log',
  summary: 'sliding log: never more than N in any window W (exact, memory grows with N)',
  stateSize: (p) => 2 + p.limit,
  evaluate(s: Float64Array, at: number, p: Policy, now: number, cost: number, v: Verdict): void {
    const size = prune(s, at, p, now);
    const cap = p.limit;
    const head = s[at]!;
    const allowed = size + cost <= cap;
    v.allowed = allowed;
    v.delayMs = 0;
    if (allowed) {
      v.remaining = cap - size - cost;
      v.resetMs = waitMs(p.windowMs);
      v.retryAfterMs = 0;
      return;
    }
    v.remaining = Math.max(0, cap - size);
    v.resetMs = size === 0 ? 0 : waitMs(s[at + 2 + ring(head + size - 1, cap)]! + p.windowMs - now);
    if (cost > cap) {
      v.retryAfterMs = Infinity;
      return;
    }
    // The oldest (size + cost - cap) entries must leave the window first.
    const k = size + cost - cap;
    v.retryAfterMs = waitMs(s[at + 2 + ring(head + k - 1, cap)]! + p.windowMs - now);
  },
  record(s: Float64Array, at: number, p: Policy, now: number, cost: number): void {
    const cap = p.limit;
    let head = s[at]!;
    let size = s[at + 1]!;
    for (let i = 0; i < cost; i++) {
      if (size === cap) {
        // Full (only when refused requests count): the newest `limit` entries are all that can matter.
        s[at + 2 + head] = now;
        head = head + 1 === cap ? 0 : head + 1;
      } else {
        s[at + 2 + ring(head + size, cap)] = now;
        size++;
      }
    }
    s[at] = head;
    s[at + 1] = size;
  },
  idleAt(s: Float64Array, at: number, p: Policy): number {
    const size = s[at + 1]!;
    return size === 0 ? -Infinity : s[at + 2 + ring(s[at]! + size - 1, p.limit)]! + p.windowMs;
  },
};

/** Drops entries that left the window (t <= now - W); returns how many remain. Does not change any decision. */
function prune(s: Float64Array, at: number, p: Policy, now: number): number {
  const cap = p.limit;
  const cutoff = now - p.windowMs;
  let head = s[at]!;
  let size = s[at + 1]!;
  while (size > 0 && s[at + 2 + head]! <= cutoff) {
    head = head + 1 === cap ? 0 : head + 1;
    size--;
  }
  s[at] = head;
  s[at + 1] = size;
  return size;
}

/** An index into the ring (index < 2 x cap), without a floating-point modulo. */
function ring(index: number, cap: number): number {
  return index >= cap ? index - cap : index;
}
