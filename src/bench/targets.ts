import { ALGORITHM_NAMES } from '../reference/limiters/algorithms/types.js';
import { PEER, type BenchResult, type TargetRow } from './result.js';

const ratio = (ours: number | undefined, theirs: number | undefined) => (ours !== undefined && theirs !== undefined && theirs > 0 ? ours / theirs : undefined);
const x = (value: number) => `${value.toFixed(2)}x`;

/**
 * The targets, as ratios against the peer measured in the same run, one row per algorithm: the memory
 * store at >= 5x rate-limiter-flexible's decisions/s with 50% refusals and >= 1x with all admitted, at <= 1/3 of
 * its bytes per key; the Redis store at >= 1x its decisions/s at concurrency 64 with one round trip per decision.
 */
export function evaluateTargets(result: BenchResult): TargetRow[] {
  const rows: TargetRow[] = [];
  const memory = (limiter: string, trace: string) => result.memoryThroughput.find((r) => r.limiter === limiter && r.trace === trace)?.decisionsPerSecond;
  const bytes = (limiter: string) => result.memoryUsage.find((r) => r.limiter === limiter)?.bytesPerKey;
  const redis = (limiter: string) => result.redisThroughput.find((r) => r.limiter === limiter && r.concurrency === 64);
  for (const algorithm of ALGORITHM_NAMES) {
    const add = (target: string, required: string, value: number | undefined, met: (v: number) => boolean, extra = '') =>
      rows.push({ target, limiter: algorithm, required, measured: value === undefined ? 'not measured' : `${x(value)}${extra}`, met: value === undefined ? null : met(value) });
    add('memory decisions/s, 50% refused, vs peer', '>= 5x', ratio(memory(algorithm, 'half-refused'), memory(PEER, 'half-refused')), (v) => v >= 5);
    add('memory decisions/s, all admitted, vs peer', '>= 1x', ratio(memory(algorithm, 'all-admitted'), memory(PEER, 'all-admitted')), (v) => v >= 1);
    add('memory bytes per key at 100 000 keys, vs peer', '<= 0.33x', ratio(bytes(algorithm), bytes(PEER)), (v) => v <= 1 / 3);
    const ours = redis(algorithm);
    const theirs = redis(PEER);
    const trips = ours?.commandsPerDecision;
    add(
      'Redis decisions/s at concurrency 64, vs peer',
      '>= 1x, 1 round trip',
      ratio(ours?.decisionsPerSecond, theirs?.decisionsPerSecond),
      (v) => v >= 1 && trips === 1,
      trips === undefined ? '' : `, ${trips} round trip${trips === 1 ? '' : 's'}`,
    );
  }
  return rows;
}
