import type { Trace, TracePolicy } from './traces.js';

/** What a limiter did with a trace: per request, admitted or not, and when it was served (leaky queue: later). */
export interface Outcome {
  admitted: Uint8Array;
  servedAt: Float64Array;
}

export interface AccuracyMetrics {
  requests: number;
  admitted: number;
  /** What the exact sliding-log ideal admits on the same trace. */
  idealAdmitted: number;
  /** admitted / idealAdmitted. */
  admittedRatio: number;
  /** Over-admission: the most admitted (served) in any interval of length d, over the allowance N, per key, worst key. */
  oa: { W: number; halfW: number; tenthW: number };
  /** Refused although fewer than N had been admitted in the trailing window (the ideal had room). */
  falseRejections: number;
  falseRejectionRate: number;
}

/** The ideal: admit exactly when fewer than N were admitted in (t - W, t], per key. */
export function idealOutcome(trace: Trace, p: TracePolicy): Outcome {
  const admitted = new Uint8Array(trace.times.length);
  const logs: number[][] = Array.from({ length: trace.keyCount }, () => []);
  const heads = new Uint32Array(trace.keyCount);
  for (let i = 0; i < trace.times.length; i++) {
    const t = trace.times[i]!;
    const k = trace.keys[i]!;
    const log = logs[k]!;
    while (heads[k]! < log.length && log[heads[k]!]! <= t - p.windowMs) heads[k]!++;
    if (log.length - heads[k]! < p.limit) {
      admitted[i] = 1;
      log.push(t);
    }
  }
  return { admitted, servedAt: trace.times };
}

export function accuracyMetrics(trace: Trace, p: TracePolicy, outcome: Outcome, ideal: Outcome): AccuracyMetrics {
  const perKey: number[][] = Array.from({ length: trace.keyCount }, () => []);
  let falseRejections = 0;
  const heads = new Uint32Array(trace.keyCount);
  let admittedCount = 0;
  for (let i = 0; i < trace.times.length; i++) {
    const k = trace.keys[i]!;
    const log = perKey[k]!;
    const t = trace.times[i]!;
    // Admissions (by decision time) in the trailing window, to judge this request as the ideal would.
    while (heads[k]! < log.length && log[heads[k]!]! <= t - p.windowMs) heads[k]!++;
    if (outcome.admitted[i]) {
      admittedCount++;
      log.push(t);
    } else if (log.length - heads[k]! < p.limit) {
      falseRejections++;
    }
  }
  const served: number[][] = Array.from({ length: trace.keyCount }, () => []);
  for (let i = 0; i < trace.times.length; i++) if (outcome.admitted[i]) served[trace.keys[i]!]!.push(outcome.servedAt[i]!);
  const oa = (d: number) => Math.max(0, ...served.map((times) => mostInAnyInterval(times.sort((a, b) => a - b), d))) / p.limit;
  const idealAdmitted = ideal.admitted.reduce((sum, a) => sum + a, 0);
  return {
    requests: trace.times.length,
    admitted: admittedCount,
    idealAdmitted,
    admittedRatio: idealAdmitted ? admittedCount / idealAdmitted : 0,
    oa: { W: oa(p.windowMs), halfW: oa(p.windowMs / 2), tenthW: oa(p.windowMs / 10) },
    falseRejections,
    falseRejectionRate: trace.times.length ? falseRejections / trace.times.length : 0,
  };
}

/** The most sorted times falling in any half-open interval [x, x + d). */
export function mostInAnyInterval(sorted: number[], d: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= d) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Admitted (served) requests per time bucket from `startMs`, for the boundary chart. */
export function admittedPerBucket(trace: Trace, outcome: Outcome, startMs: number, bucketMs: number, buckets: number): number[] {
  const counts = new Array<number>(buckets).fill(0);
  for (let i = 0; i < trace.times.length; i++) {
    if (!outcome.admitted[i]) continue;
    const b = Math.floor((outcome.servedAt[i]! - startMs) / bucketMs);
    if (b >= 0 && b < buckets) counts[b]!++;
  }
  return counts;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
