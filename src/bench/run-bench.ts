import { cpus } from 'node:os';
import { ALGORITHM_NAMES, type AlgorithmName } from '../reference/limiters/algorithms/types.js';
import { RedisStore } from '../reference/limiters/stores/redis.js';
import { replayAlgorithm, replayLimiter, replayPeer } from './accuracy.js';
import { measureMemoryStore, measurePeerMemory, type ThroughputSample } from './memory-throughput.js';
import { bytesPerKey, memoryStoreFactory, peerMemoryFactory } from './memory-usage.js';
import { accuracyMetrics, admittedPerBucket, idealOutcome, median, type Outcome } from './metrics.js';
import type { Peer } from './peer.js';
import { Progress } from './progress.js';
import { measurePeerRedis, measureRedisStore, withClient, type RedisTarget } from './redis-throughput.js';
import { PEER, type BenchResult, type BenchSettings, type MemoryThroughputRow, type RedisThroughputRow } from './result.js';
import { evaluateTargets } from './targets.js';
import { accuracyTraces, ACCURACY_POLICY, throughputKeys } from './traces.js';

export interface BenchOptions {
  quick: boolean;
  peer?: Peer;
  /** Where Redis is, as shown (no credentials). */
  redis?: { url: string; own: boolean };
  /** Where Redis is, to connect (may carry credentials; never written out). */
  redisUrl?: string;
  notes: string[];
  command: string;
  progress: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export const CONCURRENCIES = [1, 16, 64] as const;

export function benchSettings(quick: boolean): BenchSettings {
  return {
    quick,
    repetitions: quick ? 7 : 15,
    memoryRepetitions: 3,
    redisRepetitions: quick ? 3 : 5,
    throughputKeys: 10_000,
    throughputLimit: 10,
    memoryKeys: 100_000,
    memoryLimit: 10,
    redisDecisions: quick ? { 1: 600, 16: 3000, 64: 5000 } : { 1: 3000, 16: 15_000, 64: 30_000 },
    manyKeys: quick ? 200 : 1000,
    accuracyPolicy: ACCURACY_POLICY,
  };
}

/**
 * Every algorithm on the memory store (and on Redis when there is one), with rate-limiter-flexible measured in
 * the same run on the same traces: throughput, bytes per key, accuracy against the sliding-log ideal. Each
 * timing is the median of several repetitions, interleaved across limiters so background noise spreads evenly.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const settings = benchSettings(options.quick);
  const { peer, redis } = options;
  const algorithms: AlgorithmName[] = [...ALGORITHM_NAMES];
  const limiters = [...algorithms, ...(peer ? [PEER] : [])];
  const traces = accuracyTraces(settings.accuracyPolicy, settings.manyKeys);
  const redisLimiters = redis ? limiters.length : 0;
  const total =
    limiters.length * (redis ? 2 : 1) +
    settings.repetitions * limiters.length * 2 +
    settings.memoryRepetitions * limiters.length +
    traces.length * limiters.length +
    settings.redisRepetitions * redisLimiters * CONCURRENCIES.length +
    (redis ? algorithms.length : 0);
  const progress = new Progress(total, options.progress);

  // Memory throughput: 50% refused (2 x limit per key) and all admitted (limit per key).
  const keys = throughputKeys(settings.throughputKeys);
  const memorySamples = new Map<string, ThroughputSample[]>();
  // One untimed pass first, so the JIT has compiled every limiter's path before anything is timed.
  for (const limiter of limiters) {
    progress.step('warming up', limiter);
    if (limiter === PEER) await measurePeerMemory(peer!, keys.slice(0, 2000), settings.throughputLimit, 2 * settings.throughputLimit);
    else measureMemoryStore(limiter as AlgorithmName, keys.slice(0, 2000), settings.throughputLimit, 2 * settings.throughputLimit);
  }
  for (let rep = 0; rep < settings.repetitions; rep++) {
    for (const trace of ['half-refused', 'all-admitted'] as const) {
      const perKey = trace === 'half-refused' ? 2 * settings.throughputLimit : settings.throughputLimit;
      for (const limiter of rotate(limiters, rep)) {
        progress.step('memory throughput', `${limiter}, ${trace}, run ${rep + 1}/${settings.repetitions}`);
        const sample =
          limiter === PEER
            ? await measurePeerMemory(peer!, keys, settings.throughputLimit, perKey)
            : measureMemoryStore(limiter as AlgorithmName, keys, settings.throughputLimit, perKey);
        push(memorySamples, `${limiter}|${trace}`, sample);
      }
    }
  }
  const memoryThroughput: MemoryThroughputRow[] = [...memorySamples.entries()].map(([id, samples]) => {
    const [limiter, trace] = id.split('|') as [string, MemoryThroughputRow['trace']];
    return { limiter, trace, ...summarize(samples) };
  });

  // Bytes per key at 100 000 keys.
  const usage = new Map<string, number[]>();
  for (let rep = 0; rep < settings.memoryRepetitions; rep++) {
    for (const limiter of limiters) {
      progress.step('memory per key', `${limiter}, ${settings.memoryKeys} keys, run ${rep + 1}/${settings.memoryRepetitions}`);
      const factory = limiter === PEER ? peerMemoryFactory(peer!, settings.memoryLimit) : memoryStoreFactory(limiter as AlgorithmName, settings.memoryLimit);
      push(usage, limiter, await bytesPerKey(factory, settings.memoryKeys));
    }
  }
  const memoryUsage = [...usage.entries()].map(([limiter, samples]) => ({ limiter, bytesPerKey: median(samples), samples }));

  // Accuracy against the exact sliding-log ideal (fake clock), and the boundary chart's series.
  const accuracy: BenchResult['accuracy'] = [];
  // Zoomed on the first boundary: from 0.9 W to 1.15 W in buckets of W / 200.
  const W = settings.accuracyPolicy.windowMs;
  const zoom = { startMs: 0.9 * W, bucketMs: W / 200, buckets: 50 };
  const boundary: BenchResult['boundary'] = { startMs: zoom.startMs, bucketMs: zoom.bucketMs, limit: settings.accuracyPolicy.limit, windowMs: W, series: [] };
  const outcomes = new Map<string, Outcome>();
  for (const trace of traces) {
    const ideal = idealOutcome(trace, settings.accuracyPolicy);
    for (const limiter of limiters) {
      progress.step('accuracy', `${limiter} on ${trace.name}`);
      const outcome = limiter === PEER ? await replayPeer(peer!, trace, settings.accuracyPolicy) : replayAlgorithm(limiter as AlgorithmName, trace, settings.accuracyPolicy);
      accuracy.push({ trace: trace.name, limiter, metrics: accuracyMetrics(trace, settings.accuracyPolicy, outcome, ideal) });
      if (trace.name === 'boundary') {
        outcomes.set(limiter, outcome);
        boundary.series.push({ limiter, counts: admittedPerBucket(trace, outcome, zoom.startMs, zoom.bucketMs, zoom.buckets) });
      }
    }
    if (trace.name === 'boundary') boundary.series.push({ limiter: 'ideal (sliding log)', counts: admittedPerBucket(trace, ideal, zoom.startMs, zoom.bucketMs, zoom.buckets) });
  }

  // Redis: throughput at concurrency 1, 16, 64; and the same decisions as the memory store on the boundary trace.
  const redisThroughput: RedisThroughputRow[] = [];
  const redisAgreement: BenchResult['redisAgreement'] = [];
  if (redis) {
    const target: RedisTarget = { url: options.redisUrl ?? redis.url, prefix: `gauntlet-bench:${process.pid}:` };
    const redisSamples = new Map<string, (ThroughputSample & { commandsPerDecision: number })[]>();
    const warmKeys = throughputKeys(50);
    for (const limiter of limiters) {
      progress.step('warming up Redis', limiter);
      if (limiter === PEER) await measurePeerRedis(target, peer!, warmKeys, settings.throughputLimit, 2 * settings.throughputLimit, 16);
      else await measureRedisStore(target, limiter as AlgorithmName, warmKeys, settings.throughputLimit, 2 * settings.throughputLimit, 16);
    }
    for (let rep = 0; rep < settings.redisRepetitions; rep++) {
      for (const concurrency of CONCURRENCIES) {
        // 2 x limit requests per key: half refused, as in the memory store's first trace.
        const perKey = 2 * settings.throughputLimit;
        const redisKeys = throughputKeys(Math.max(1, Math.round(settings.redisDecisions[concurrency]! / perKey)));
        for (const limiter of rotate(limiters, rep)) {
          progress.step('redis throughput', `${limiter}, concurrency ${concurrency}, run ${rep + 1}/${settings.redisRepetitions}`);
          const sample =
            limiter === PEER
              ? await measurePeerRedis(target, peer!, redisKeys, settings.throughputLimit, perKey, concurrency)
              : await measureRedisStore(target, limiter as AlgorithmName, redisKeys, settings.throughputLimit, perKey, concurrency);
          push(redisSamples, `${limiter}|${concurrency}`, sample);
        }
      }
    }
    for (const [id, samples] of redisSamples) {
      const [limiter, concurrency] = id.split('|') as [string, string];
      redisThroughput.push({ limiter, concurrency: Number(concurrency), ...summarize(samples), commandsPerDecision: median(samples.map((s) => s.commandsPerDecision)) });
    }
    const boundaryTrace = traces.find((t) => t.name === 'boundary')!;
    for (const algorithm of algorithms) {
      progress.step('redis agrees with memory', algorithm);
      const differing = await withClient(target.url, async (client) => {
        const clock = { now: 0 };
        const store = new RedisStore({ client, algorithm, policies: [settings.accuracyPolicy], clock: () => clock.now, prefix: `${target.prefix}agree:${algorithm}:` });
        const outcome = await replayLimiter(store, clock, boundaryTrace);
        const memory = outcomes.get(algorithm)!;
        let count = 0;
        for (let i = 0; i < outcome.admitted.length; i++) if (outcome.admitted[i] !== memory.admitted[i] || outcome.servedAt[i] !== memory.servedAt[i]) count++;
        const stale = await client.keys(`${target.prefix}agree:${algorithm}:*`);
        if (stale.length) await client.unlink(...stale);
        return count;
      });
      redisAgreement.push({ limiter: algorithm, trace: 'boundary', decisions: boundaryTrace.times.length, differing });
    }
  }
  progress.end();

  const result: BenchResult = {
    formatVersion: 1,
    generatedAt: new Date().toISOString(),
    command: options.command,
    durationMs: 0,
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    settings,
    peer: peer ? { name: peer.name, version: peer.version } : undefined,
    redis,
    notes: options.notes,
    memoryThroughput,
    memoryUsage,
    redisThroughput,
    accuracy,
    traces: traces.map((t) => ({ name: t.name, description: t.description, requests: t.times.length })),
    boundary,
    redisAgreement,
    targets: [],
  };
  result.targets = evaluateTargets(result);
  result.durationMs = performance.now() - started;
  return result;
}

/** The list started at a different place each repetition, so no limiter is always measured first. */
function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function summarize(samples: ThroughputSample[]) {
  const refused = samples.reduce((s, x) => s + x.refused, 0);
  const decisions = samples.reduce((s, x) => s + x.decisions, 0);
  return {
    decisionsPerSecond: median(samples.map((s) => s.decisionsPerSecond)),
    samples: samples.map((s) => Math.round(s.decisionsPerSecond)),
    refusedShare: decisions ? refused / decisions : 0,
  };
}
