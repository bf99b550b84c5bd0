import { TALLY_BUCKET_MS, TRANSPORT_ERROR, type LoadTally } from '../../engine/load-tally.js';
import type { LatencyChart, TimelineChart } from '../../results/charts.js';
import { admittedBy } from '../admitted.js';
import type { StatusExpectation } from '../http/spec.js';

export const PERCENTILES = [50, 90, 95, 99];
export const BUCKET_MS = TALLY_BUCKET_MS;

export type Outcome = 'admitted' | 'refused' | 'other' | 'error';

/** Admitted is 2xx unless `admittedStatus` says otherwise: a redirect is "other", and proves nothing was served. */
export function classifier(refused: number[], admittedStatus?: StatusExpectation): (status: number) => Outcome {
  const refusedSet = new Set(refused);
  const admitted = admittedBy(admittedStatus);
  return (status) => (status === 0 ? 'error' : refusedSet.has(status) ? 'refused' : admitted(status) ? 'admitted' : 'other');
}

export interface LoadSummary {
  responses: number;
  admitted: number;
  refused: number;
  other: number;
  errors: number;
  durationMs: number;
  admittedPerSecond: number;
  requestsPerSecond: number;
  statusCounts: Record<string, number>;
  latencyMs: { admitted: Record<string, number>; refused: Record<string, number> };
}

/** Counts, rates and latency percentiles (from the tally's HDR histograms; autocannon's are whole milliseconds). */
export function summarise(tally: LoadTally, durationMs: number, classify: (status: number) => Outcome): LoadSummary {
  const counts = { admitted: 0, refused: 0, other: 0, error: 0 };
  const statusCounts: Record<string, number> = {};
  for (const [status, n] of [...tally.statusCounts()].sort(([a], [b]) => a - b)) {
    counts[classify(status)] += n;
    statusCounts[status === TRANSPORT_ERROR ? 'error' : String(status)] = n;
  }
  const seconds = Math.max(durationMs, 1) / 1000;
  const latency = (outcome: Outcome) =>
    Object.fromEntries(
      PERCENTILES.map((p) => [`p${p}`, tally.percentile((s) => classify(s) === outcome, p)] as const)
        .filter(([, v]) => !Number.isNaN(v))
        .map(([k, v]) => [k, round(v)]),
    );
  return {
    responses: tally.count,
    admitted: counts.admitted,
    refused: counts.refused,
    other: counts.other,
    errors: counts.error,
    durationMs: round(durationMs),
    admittedPerSecond: round(counts.admitted / seconds),
    requestsPerSecond: round(tally.count / seconds),
    statusCounts,
    latencyMs: { admitted: latency('admitted'), refused: latency('refused') },
  };
}

/** Admitted, refused and errors per 100 ms (other non-2xx count as errors on the chart). */
export function timeline(tally: LoadTally, durationMs: number, classify: (status: number) => Outcome, title: string, limitPerBucket?: number): TimelineChart {
  const buckets = Math.max(1, Math.ceil(durationMs / BUCKET_MS));
  const chart: TimelineChart = { type: 'timeline', title, bucketMs: BUCKET_MS, admitted: new Array(buckets).fill(0), refused: new Array(buckets).fill(0), errors: new Array(buckets).fill(0), limitPerBucket };
  for (const [status, counts] of tally.bucketCounts()) {
    const outcome = classify(status);
    const row = outcome === 'admitted' ? chart.admitted : outcome === 'refused' ? chart.refused : chart.errors;
    counts.forEach((n, i) => (row[Math.min(buckets - 1, i)]! += n));
  }
  return chart;
}

export function latencyChart(summary: LoadSummary): LatencyChart {
  const series = (['admitted', 'refused'] as const)
    .map((name) => ({ name, points: PERCENTILES.filter((p) => summary.latencyMs[name][`p${p}`] !== undefined).map((p) => ({ p, ms: summary.latencyMs[name][`p${p}`]! })) }))
    .filter((s) => s.points.length > 0);
  return { type: 'latency', title: 'latency percentiles (ms)', series };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
