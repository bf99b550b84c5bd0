import type { AccuracyMetrics } from './metrics.js';

/** The peer's name in every table: rate-limiter-flexible (RateLimiterMemory or RateLimiterRedis). */
export const PEER = 'rate-limiter-flexible';

export interface BenchSettings {
  quick: boolean;
  repetitions: number;
  /** Bytes per key barely vary: fewer runs. */
  memoryRepetitions: number;
  redisRepetitions: number;
  throughputKeys: number;
  throughputLimit: number;
  memoryKeys: number;
  memoryLimit: number;
  redisDecisions: Record<string, number>;
  manyKeys: number;
  accuracyPolicy: { limit: number; windowMs: number };
}

export interface MemoryThroughputRow {
  limiter: string;
  trace: 'half-refused' | 'all-admitted';
  decisionsPerSecond: number;
  samples: number[];
  refusedShare: number;
}

export interface MemoryUsageRow {
  limiter: string;
  bytesPerKey: number;
  samples: number[];
}

export interface RedisThroughputRow {
  limiter: string;
  concurrency: number;
  decisionsPerSecond: number;
  samples: number[];
  commandsPerDecision: number;
  refusedShare: number;
}

export interface AccuracyRow {
  trace: string;
  limiter: string;
  metrics: AccuracyMetrics;
}

export interface TargetRow {
  target: string;
  limiter: string;
  required: string;
  measured: string;
  /** null when it could not be measured (no peer, no Redis). */
  met: boolean | null;
}

export interface BenchResult {
  formatVersion: 1;
  generatedAt: string;
  command: string;
  durationMs: number;
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  settings: BenchSettings;
  peer?: { name: string; version: string };
  redis?: { url: string; own: boolean };
  notes: string[];
  memoryThroughput: MemoryThroughputRow[];
  memoryUsage: MemoryUsageRow[];
  redisThroughput: RedisThroughputRow[];
  accuracy: AccuracyRow[];
  traces: { name: string; description: string; requests: number }[];
  /** Admitted per bucket from startMs, zoomed on the first window boundary of the boundary trace. */
  boundary: { startMs: number; bucketMs: number; limit: number; windowMs: number; series: { limiter: string; counts: number[] }[] };
  redisAgreement: { limiter: string; trace: string; decisions: number; differing: number }[];
  targets: TargetRow[];
}
