/**
 * Measurements a check keeps for charts. Check kinds fill them in; the HTML reporter draws each as inline SVG.
 * Times are milliseconds; `atMs` values are relative to the start of the measurement.
 */

/** Responses per time bucket: admitted (2xx/3xx), refused (429 or the declared refusal status), errors. */
export interface TimelineChart {
  type: 'timeline';
  title: string;
  bucketMs: number;
  admitted: number[];
  refused: number[];
  errors: number[];
  /** The declared limit expressed per bucket, drawn as a line. */
  limitPerBucket?: number;
}

/** Latency percentiles of one or more response groups (e.g. admitted and refused). */
export interface LatencyChart {
  type: 'latency';
  title: string;
  series: { name: string; points: { p: number; ms: number }[] }[];
}

/** Admitted requests after waiting d since exhaustion: the measured refill curve, optionally a model's. */
export interface RefillChart {
  type: 'refill';
  title: string;
  limit?: number;
  points: { waitMs: number; admitted: number; expected?: number }[];
}

/** Requests fired around a window boundary: when each arrived and whether it was admitted. */
export interface BoundaryChart {
  type: 'boundary';
  title: string;
  windowMs: number;
  limit: number;
  /** Where the boundary fell, relative to the first arrival. */
  boundaryAtMs: number;
  arrivals: { atMs: number; admitted: boolean }[];
}

/** Plain bars: benchmark throughput or memory per algorithm, for instance. */
export interface BarChart {
  type: 'bars';
  title: string;
  unit: string;
  bars: { label: string; value: number; group?: string }[];
}

/** Several series over time: e.g. admitted per bucket for each algorithm on one trace. */
export interface SeriesChart {
  type: 'series';
  title: string;
  xLabel: string;
  yLabel: string;
  series: { name: string; points: { x: number; y: number }[] }[];
  /** A horizontal reference line (a limit). */
  reference?: { label: string; y: number };
}

/**
 * Small multiples: a row per series (a limiter, say), a column per time bucket, vertical guides at window
 * boundaries, so boundary bursts show as twin spikes.
 */
export interface BucketsChart {
  type: 'buckets';
  title: string;
  series: { name: string; counts: number[] }[];
  /** Time of the first bucket's start, in ms. */
  startMs: number;
  bucketMs: number;
  guidesMs: number[];
}

export type Chart = TimelineChart | LatencyChart | RefillChart | BoundaryChart | BarChart | SeriesChart | BucketsChart;
