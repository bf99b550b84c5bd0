import type { AlgorithmName, Decision, PolicySpec } from '../../src/reference/limiters/algorithms/types.js';

/** One request (or `times` identical ones) at a fake time, and what each decision must say. */
export interface Step {
  at: number;
  key?: string;
  cost?: number;
  times?: number;
  expect: Partial<Decision> | Partial<Decision>[];
}

export interface LimiterCase {
  name: string;
  algorithm: AlgorithmName;
  policies: PolicySpec[];
  countRefused?: boolean;
  steps: Step[];
}

const W = 1000;
const ok = (remaining: number, extra: Partial<Decision> = {}): Partial<Decision> => ({ allowed: true, remaining, retryAfterMs: 0, ...extra });
const no = (retryAfterMs: number, extra: Partial<Decision> = {}): Partial<Decision> => ({ allowed: false, remaining: 0, retryAfterMs, ...extra });
const seq = (from: number, count: number, make: (remaining: number, i: number) => Partial<Decision>) =>
  Array.from({ length: count }, (_, i) => make(from - i, i));

/** Refill and spacing, identical for the token bucket, the leaky bucket as a meter and GCRA (10 per second). */
const refillSteps: Step[] = [
  { at: 0, times: 10, expect: seq(9, 10, (r) => ok(r)) },
  { at: 0, expect: no(100) },
  { at: 99, expect: no(1) },
  { at: 100, expect: ok(0) },
  { at: 100, expect: no(100) },
  // 450 ms later 4.5 units have come back: four admitted, the fifth waits for the missing half unit.
  { at: 550, times: 4, expect: [ok(3), ok(2), ok(1), ok(0)] },
  { at: 550, expect: no(50) },
  { at: 600, expect: ok(0) },
  // Long idle: a full burst again, never more.
  { at: 5000, times: 10, expect: seq(9, 10, (r) => ok(r)) },
  { at: 5000, expect: no(100) },
];

/** The defining behaviour of each algorithm, as exact decisions at fake times (W = 1 s). */
export const DEFINING_CASES: LimiterCase[] = [
  {
    name: 'fixed window (aligned) admits 2N across a boundary',
    algorithm: 'fixed-window',
    policies: [{ limit: 5, windowMs: W }],
    steps: [
      { at: 998, times: 5, expect: seq(4, 5, (r) => ok(r, { resetMs: 2 })) },
      { at: 999, expect: no(1, { resetMs: 1 }) },
      // A new window at 1000: five more, so 2N within 2 ms.
      { at: 1000, times: 5, expect: seq(4, 5, (r) => ok(r, { resetMs: 1000 })) },
      { at: 1000, expect: no(1000) },
      { at: 1999, expect: no(1) },
    ],
  },
  {
    name: 'fixed window (anchored) starts at the first request and admits 2N across its boundary',
    algorithm: 'fixed-window-anchored',
    policies: [{ limit: 5, windowMs: W }],
    steps: [
      { at: 300, expect: ok(4, { resetMs: 1000 }) },
      { at: 1000, expect: ok(3, { resetMs: 300 }) },
      { at: 1299, times: 3, expect: [ok(2), ok(1), ok(0)] },
      { at: 1299, expect: no(1) },
      { at: 1300, times: 5, expect: seq(4, 5, (r) => ok(r, { resetMs: 1000 })) },
      { at: 1300, expect: no(1000) },
    ],
  },
  {
    name: 'sliding log admits at most N in any window and frees each slot W after its request',
    algorithm: 'sliding-log',
    policies: [{ limit: 5, windowMs: W }],
    steps: [
      { at: 0, times: 2, expect: [ok(4), ok(3)] },
      { at: 500, times: 3, expect: [ok(2), ok(1), ok(0, { resetMs: 1000 })] },
      { at: 999, expect: no(1, { resetMs: 501 }) },
      { at: 1000, times: 2, expect: [ok(1), ok(0)] },
      { at: 1000, expect: no(500) },
      { at: 1499, expect: no(1) },
      { at: 1500, times: 3, expect: [ok(2), ok(1), ok(0)] },
      { at: 1500, expect: no(500) },
    ],
  },
  {
    name: "sliding counter weights the previous window's count by its overlap",
    algorithm: 'sliding-counter',
    policies: [{ limit: 10, windowMs: W }],
    steps: [
      { at: 0, times: 10, expect: seq(9, 10, (r) => ok(r)) },
      // Next window starts at 1000 with the whole previous count weighing 10 x 0.9 at 1100.
      { at: 500, expect: no(600) },
      { at: 1100, expect: ok(0) },
      { at: 1100, expect: no(100) },
      // At 1250 the previous window weighs 7.5: 7.5 + 1 + 1 <= 10, the next would make 10.5.
      { at: 1250, expect: ok(0) },
      { at: 1250, expect: no(50) },
      { at: 1300, expect: ok(0) },
      // Two windows later nothing weighs any more.
      { at: 3000, times: 10, expect: seq(9, 10, (r) => ok(r)) },
    ],
  },
  { name: 'token bucket bursts to capacity, then refills at N per W', algorithm: 'token-bucket', policies: [{ limit: 10, windowMs: W }], steps: refillSteps },
  { name: 'GCRA bursts to capacity, then spaces requests W/N apart', algorithm: 'gcra', policies: [{ limit: 10, windowMs: W }], steps: refillSteps },
  { name: 'leaky bucket (meter) leaks at N per W and refuses overflow', algorithm: 'leaky-meter', policies: [{ limit: 10, windowMs: W }], steps: refillSteps },
  {
    name: 'token bucket with a burst smaller than the limit',
    algorithm: 'token-bucket',
    policies: [{ limit: 10, windowMs: W, burst: 3 }],
    steps: [
      { at: 0, times: 3, expect: [ok(2), ok(1), ok(0)] },
      { at: 0, expect: no(100) },
      { at: 1000, times: 3, expect: [ok(2), ok(1), ok(0)] },
    ],
  },
  {
    name: 'leaky bucket (queue) delays a burst one interval apart and bounds the queue',
    algorithm: 'leaky-queue',
    policies: [{ limit: 10, windowMs: W }],
    steps: [
      { at: 0, times: 10, expect: seq(9, 10, (r, i) => ok(r, { delayMs: i * 100 })) },
      { at: 0, expect: no(100, { delayMs: 0 }) },
      { at: 100, expect: ok(0, { delayMs: 900 }) },
      { at: 100, expect: no(100) },
      { at: 2000, expect: ok(9, { delayMs: 0 }) },
    ],
  },
  {
    name: 'leaky bucket (queue) with a queue of 2 refuses the fourth of a burst',
    algorithm: 'leaky-queue',
    policies: [{ limit: 10, windowMs: W, queue: 2 }],
    steps: [
      { at: 0, times: 3, expect: [ok(2, { delayMs: 0 }), ok(1, { delayMs: 100 }), ok(0, { delayMs: 200 })] },
      { at: 0, expect: no(100) },
      { at: 150, expect: ok(0, { delayMs: 150 }) },
    ],
  },
  {
    name: 'sliding log counting refused requests locks out a client that keeps retrying',
    algorithm: 'sliding-log',
    policies: [{ limit: 2, windowMs: W }],
    countRefused: true,
    steps: [
      { at: 0, times: 2, expect: [ok(1), ok(0)] },
      ...Array.from({ length: 15 }, (_, i) => ({ at: 200 * (i + 1), expect: { allowed: false } })),
      // Only a full window of silence lets it in again.
      { at: 3000 + W, expect: ok(1) },
    ],
  },
  {
    name: 'fixed window counting refused requests still resets at the boundary',
    algorithm: 'fixed-window',
    policies: [{ limit: 2, windowMs: W }],
    countRefused: true,
    steps: [
      { at: 0, times: 5, expect: [ok(1), ok(0), no(1000), no(1000), no(1000)] },
      { at: 1000, expect: ok(1) },
    ],
  },
];

export const ALL_ALGORITHMS: AlgorithmName[] = [
  'fixed-window',
  'fixed-window-anchored',
  'sliding-log',
  'sliding-counter',
  'token-bucket',
  'leaky-meter',
  'leaky-queue',
  'gcra',
];

/** Cost and multi-policy atomicity hold for every algorithm: the same steps, generated per algorithm. */
export function costCase(algorithm: AlgorithmName): LimiterCase {
  return {
    name: `${algorithm}: a request costs its cost, and a refused one costs nothing`,
    algorithm,
    policies: [{ limit: 5, windowMs: W }],
    steps: [
      { at: 0, cost: 3, expect: ok(2) },
      { at: 0, cost: 3, expect: { allowed: false, remaining: 2 } },
      { at: 0, cost: 2, expect: ok(0) },
      { at: 0, cost: 6, expect: { allowed: false, retryAfterMs: Infinity } },
    ],
  };
}

export function atomicityCase(algorithm: AlgorithmName): LimiterCase {
  return {
    name: `${algorithm}: a request refused by one policy consumes none of the others`,
    algorithm,
    policies: [
      { name: 'burst', limit: 2, windowMs: W },
      { name: 'daily', limit: 3, windowMs: 100 * W },
    ],
    steps: [
      { at: 0, times: 2, expect: { allowed: true } },
      // Eight refusals by 'burst': if they counted in 'daily' it would be spent.
      { at: 0, times: 8, expect: { allowed: false, policy: 'burst' } },
      { at: 2000, expect: { allowed: true, policy: 'daily', remaining: 0 } },
      { at: 2000, expect: { allowed: false, policy: 'daily' } },
    ],
  };
}
