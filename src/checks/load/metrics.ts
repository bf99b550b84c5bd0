import type { ResponseRecording } from '../../engine/recording.js';
import { percentiles } from '../../engine/recording.js';
import type { LatencyChart, TimelineChart } from '../../results/charts.js';
import { admittedBy } from '../admitted.js';
import type { StatusExpectation } from '../http/spec.js';

export const PERCENTILES = [50, 90, 95, 99];
export const BUCKET_MS = 100;

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

/** Counts, rates and our own latency percentiles (autocannon's are whole milliseconds) from a recording. */
export function summarise(recording: ResponseRecording, durationMs: number, classify: (status: number) => Outcome): LoadSummary {
  const counts = { admitted: 0, refused: 0, other: 0, error: 0 };
  const statusCounts: Record<string, number> = {};
  for (let i = 0; i < recording.count; i++) {
    const status = recording.status[i]!;
    counts[classify(status)]++;
    const key = status === 0 ? 'error' : String(status);
    statusCounts[key] = (statusCounts[key] ?? 0) + 1;
  }
  const seconds = Math.max(durationMs, 1) / 1000;
  const toObject = (m: Map<number, number>) => Object.fromEntries([...m].filter(([, v]) => !Number.isNaN(v)).map(([p, v]) => [`p${p}`, round(v)]));
  return {
    responses: recording.count,
    admitted: counts.admitted,
    refused: counts.refused,
    other: counts.other,
    errors: counts.error,
    durationMs: round(durationMs),
    admittedPerSecond: round(counts.admitted / seconds),
    requestsPerSecond: round(recording.count / seconds),
    statusCounts,
    latencyMs: {
      admitted: toObject(percentiles(recording, (s) => classify(s) === 'admitted', PERCENTILES)),
      refused: toObject(percentiles(recording, (s) => classify(s) === 'refused', PERCENTILES)),
    },
  };
}

/** Admitted, refused and errors per 100 ms (other non-2xx count as errors on the chart). */
export function timeline(recording: ResponseRecording, durationMs: number, classify: (status: number) => Outcome, title: string, limitPerBucket?: number): TimelineChart {
  const buckets = Math.max(1, Math.ceil(durationMs / BUCKET_MS));
  const chart: TimelineChart = { type: 'timeline', title, bucketMs: BUCKET_MS, admitted: new Array(buckets).fill(0), refused: new Array(buckets).fill(0), errors: new Array(buckets).fill(0), limitPerBucket };
  for (let i = 0; i < recording.count; i++) {
    const bucket = Math.min(buckets - 1, Math.floor(recording.completedAtMs[i]! / BUCKET_MS));
    const outcome = classify(recording.status[i]!);
    if (outcome === 'admitted') chart.admitted[bucket]!++;
    else if (outcome === 'refused') chart.refused[bucket]!++;
    else chart.errors[bucket]!++;
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
