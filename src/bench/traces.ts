import { exponential, seededRandom } from './random.js';

/** Requests in time order: when (virtual ms) and whose (key index). */
export interface Trace {
  name: string;
  description: string;
  times: Float64Array;
  keys: Uint32Array;
  keyCount: number;
}

/** The limit every accuracy trace is written against: N per W. */
export interface TracePolicy {
  limit: number;
  windowMs: number;
}

export const ACCURACY_POLICY: TracePolicy = { limit: 100, windowMs: 10_000 };

function build(name: string, description: string, events: [number, number][], keyCount: number): Trace {
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const times = new Float64Array(events.length);
  const keys = new Uint32Array(events.length);
  events.forEach(([t, k], i) => {
    times[i] = t;
    keys[i] = k;
  });
  return { name, description, times, keys, keyCount };
}

/** Poisson arrivals at `perWindow` requests per W for `windows` windows, on each of `keyCount` keys. */
function poisson(seed: number, p: TracePolicy, perWindow: number, windows: number, keyCount = 1): [number, number][] {
  const random = seededRandom(seed);
  const events: [number, number][] = [];
  const rate = perWindow / p.windowMs;
  for (let key = 0; key < keyCount; key++) {
    for (let t = exponential(random, rate); t < windows * p.windowMs; t += exponential(random, rate)) events.push([t, key]);
  }
  return events;
}

/**
 * The standard accuracy traces (issue 5): steady Poisson under and over the limit, on/off bursts, an adversarial
 * burst straddling each window boundary, and many keys at once. All start with a request at 0, so clock-aligned
 * and first-hit-anchored windows share their boundaries and the boundary trace hits both.
 */
export function accuracyTraces(p: TracePolicy, manyKeys: number): Trace[] {
  const W = p.windowMs;
  const N = p.limit;
  const onOff: [number, number][] = [];
  const random = seededRandom(3);
  for (let cycle = 0; cycle < 10; cycle++) {
    // 0.3 W on at 4 N/W (1.2 N per cycle), then 0.7 W off.
    for (let t = cycle * W + exponential(random, (4 * N) / W); t < cycle * W + 0.3 * W; t += exponential(random, (4 * N) / W)) onOff.push([t, 0]);
  }
  const boundary: [number, number][] = [[0, 0]];
  for (let k = 1; k <= 5; k++) {
    // N requests evenly over the last 5% of a window, N more over the first 5% of the next.
    for (let i = 0; i < N; i++) boundary.push([k * W - 0.05 * W + (i * 0.05 * W) / N, 0], [k * W + (i * 0.05 * W) / N, 0]);
  }
  return [
    build('steady-under', 'Poisson at 0.8 N per W for 10 W', [[0, 0], ...poisson(1, p, 0.8 * N, 10)], 1),
    build('steady-over', 'Poisson at 2 N per W for 10 W (half must be refused)', [[0, 0], ...poisson(2, p, 2 * N, 10)], 1),
    build('on-off', 'bursts of 0.3 W at 4 N per W, then 0.7 W of silence, 10 times', [[0, 0], ...onOff], 1),
    build('boundary', 'N requests in the last 5% of a window and N in the first 5% of the next, at 5 boundaries', boundary, 1),
    build('many-keys', `${manyKeys} keys, each Poisson at 1.5 N per W for 3 W`, [...Array.from({ length: manyKeys }, (_, k): [number, number] => [0, k]), ...poisson(5, p, 1.5 * N, 3, manyKeys)], manyKeys),
  ];
}

/**
 * Throughput traces: `keys` keys visited round-robin, `perKey` requests each, against a limit of `limit` per
 * hour, so time plays no part: perKey = limit admits everything, perKey = 2 x limit refuses exactly half.
 */
export function throughputKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `client-${i}`);
}
