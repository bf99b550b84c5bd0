/**
 * The pure rate-limiting algorithms. Each works on a slice of a Float64Array (its state for one key and one
 * policy) and a time given by the caller, so the same code serves the memory store, the synchronous model the
 * rate-limit fingerprint replays traces through (with a fake clock), and the tests. No I/O, no clock reads.
 */

export const ALGORITHM_NAMES = [
  'fixed-window',
  'fixed-window-anchored',
  'sliding-log',
  'sliding-counter',
  'token-bucket',
  'leaky-meter',
  'leaky-queue',
  'gcra',
] as const;

export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/** A time source in milliseconds (Date.now by default; tests and models pass a fake one). */
export type Clock = () => number;

/** One limit as a user states it: `limit` requests (cost units) per `windowMs`. */
export interface PolicySpec {
  /** Shown in RateLimit-Policy and in Decision.policy; unique within a limiter. */
  name?: string;
  limit: number;
  windowMs: number;
  /** Token bucket, leaky bucket (meter) and GCRA: how much may be spent at once (default: limit). */
  burst?: number;
  /** Leaky bucket (queue): how many requests may wait for their turn (default: limit - 1, so a burst of `limit` is accepted). */
  queue?: number;
}

/** A validated policy with its derived constants, placed at `offset` in a key's state. */
export interface Policy {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Burst capacity in cost units (token bucket, leaky meter, GCRA). */
  readonly capacity: number;
  /** Leaky queue: requests allowed to wait. */
  readonly queue: number;
  /** windowMs / limit: the spacing of a perfectly paced client. */
  readonly intervalMs: number;
  /** limit / windowMs: refill (or leak) per millisecond. */
  readonly ratePerMs: number;
  /** Where this policy's state starts within a key's state. */
  readonly offset: number;
  /** Float64 slots this policy's state takes. */
  readonly size: number;
}

/** What one policy says about one request; written into a reused object, so deciding allocates nothing. */
export interface Verdict {
  allowed: boolean;
  /** Cost units still available after this request (0 when refused). */
  remaining: number;
  /** Until this policy's full quota is available again, if no other request came (whole ms, rounded up). */
  resetMs: number;
  /** Until a retry of the same cost would be admitted (whole ms, rounded up; 0 when allowed; Infinity when it never could be). */
  retryAfterMs: number;
  /** Leaky queue only: how long to hold the request before serving it (whole ms, rounded up). */
  delayMs: number;
}

/** The answer to one request, across every policy of a limiter. */
export interface Decision extends Verdict {
  /** The limit of the deciding policy. */
  limit: number;
  /** The deciding policy: the refusing one with the longest wait, else the one with the least remaining. */
  policy: string;
}

export interface Algorithm {
  readonly name: AlgorithmName;
  readonly summary: string;
  /** Float64 slots of state per key for this policy. A fresh key's state is all zeros. */
  stateSize(policy: Omit<Policy, 'offset' | 'size'>): number;
  /** Judges a request without changing what the state means (it may drop expired entries). */
  evaluate(state: Float64Array, at: number, policy: Policy, now: number, cost: number, out: Verdict): void;
  /** Counts the request; called right after evaluate with the same `now`, when admitted (or when refused requests count). */
  record(state: Float64Array, at: number, policy: Policy, now: number, cost: number): void;
  /** From when the state is equivalent to a fresh one, so the key can be forgotten. */
  idleAt(state: Float64Array, at: number, policy: Policy): number;
}

/** Continuous algorithms compare floating-point quantities; this absorbs rounding noise (a billionth of a unit). */
export const EPSILON = 1e-9;

/**
 * A wait rounded up to whole milliseconds, so a caller that waits it is never early. Whole numbers also keep
 * Decisions free of boxed doubles, which makes deciding markedly cheaper in V8.
 */
export function waitMs(exact: number): number {
  return exact <= 0 ? 0 : Math.ceil(exact - EPSILON);
}
