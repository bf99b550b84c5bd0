import { ALGORITHM_NAMES, LimiterModel, type AlgorithmName } from '../../../reference/limiters/algorithms/index.js';

/** One request as the fingerprint replays it. */
export interface TracePoint {
  client: string;
  /** When the target saw it (epoch ms, estimated). */
  at: number;
  admitted: boolean;
  /** Admitted, but held back by the target (a leaky queue serves late instead of refusing). */
  delayed: boolean;
}

export interface Candidate {
  algorithm: AlgorithmName;
  limit: number;
  countRefused: boolean;
  /** Clock-aligned fixed window: how far the target's window edges sit from ours (ms). */
  offsetMs: number;
  agreement: number;
  /** The model's decisions, in trace order: for the chart beside the target's. */
  decisions: ('admitted' | 'delayed' | 'refused')[];
}

export interface Fit {
  ranking: Candidate[];
  /** The algorithms that explain the trace best (several when they decide identically on it). */
  best: Candidate[];
  runnerUp?: Candidate;
}

/** A delay under this is network noise, not a queue holding the request back. */
const DELAYED_MS = 40;
/** Agreements within one decision (or 0.5%) of the best count as equally good. */
const tieMargin = (n: number) => Math.max(1 / Math.max(n, 1), 0.005);

const observed = (p: TracePoint) => (p.admitted ? (p.delayed ? 'delayed' : 'admitted') : 'refused');

function replay(trace: TracePoint[], algorithm: AlgorithmName, limit: number, windowMs: number, countRefused: boolean, offsetMs: number): Candidate {
  const model = new LimiterModel({ algorithm, policies: [{ limit, windowMs }], countRefused });
  let agree = 0;
  const decisions = trace.map((point) => {
    const decision = model.consumeAt(point.at + offsetMs, point.client);
    const predicted = !decision.allowed ? 'refused' : decision.delayMs >= DELAYED_MS ? 'delayed' : 'admitted';
    if (predicted === observed(point)) agree++;
    return predicted;
  });
  return { algorithm, limit, countRefused, offsetMs, agreement: trace.length ? agree / trace.length : 0, decisions };
}

/**
 * Replays the observed trace through every reference algorithm with a fake clock, over a small grid of fitted
 * parameters (the limit give or take one, whether refused requests count, and for a clock-aligned fixed window
 * where its edges fall), and ranks the algorithms by the share of decisions each reproduces.
 */
export function fitAlgorithms(trace: TracePoint[], declared: { limit: number; windowMs: number }): Fit {
  const sorted = [...trace].sort((a, b) => a.at - b.at);
  // The declared limit first: on a tie the first candidate stays, so the fit prefers what the target declares.
  const limits = [declared.limit, declared.limit - 1, declared.limit + 1].filter((l) => l >= 1);
  const perAlgorithm: Candidate[] = [];
  for (const algorithm of ALGORITHM_NAMES) {
    const offsets = algorithm === 'fixed-window' ? Array.from({ length: 20 }, (_, i) => (i * declared.windowMs) / 20) : [0];
    let best: Candidate | undefined;
    for (const limit of limits) {
      for (const countRefused of [false, true]) {
        for (const offsetMs of offsets) {
          const candidate = replay(sorted, algorithm, limit, declared.windowMs, countRefused, offsetMs);
          if (!best || candidate.agreement > best.agreement + 1e-9) best = candidate;
        }
      }
    }
    perAlgorithm.push(best!);
  }
  const ranking = perAlgorithm.sort((a, b) => b.agreement - a.agreement);
  const margin = tieMargin(sorted.length);
  const best = ranking.filter((c) => c.agreement >= ranking[0]!.agreement - margin);
  return { ranking, best, runnerUp: ranking.find((c) => !best.includes(c)) };
}

/** GCRA is the leaky bucket as a meter, and both equal a token bucket: for equal parameters they decide alike. */
export const EQUIVALENT = new Set<AlgorithmName>(['token-bucket', 'leaky-meter', 'gcra']);

export function describeCandidate(c: Candidate): string {
  const extras = [`limit ${c.limit}`, c.countRefused ? 'refused requests counted' : undefined, c.algorithm === 'fixed-window' && c.offsetMs ? `edges ${Math.round(c.offsetMs)} ms from ours` : undefined];
  return `${c.algorithm} (${extras.filter(Boolean).join(', ')}; ${(c.agreement * 100).toFixed(1)}% of decisions)`;
}
