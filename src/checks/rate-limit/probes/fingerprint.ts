import { wallClockMs } from '../../../engine/wall-clock.js';
import type { SeriesChart } from '../../../results/charts.js';
import { describeCandidate, EQUIVALENT, fitAlgorithms, type Candidate, type TracePoint } from '../fingerprint/fit.js';
import type { Observation } from '../observation.js';
import { judged, type ProbeResult, type ProbeRun } from './context.js';
import { requireSeen, tally } from './precondition.js';

/**
 * Bursts (as fractions of the window, and of the limit) that tell the algorithms apart: half the quota, then
 * half again mid-window, then full bursts just after one window and later. Started 0.6 of a window into a
 * clock-aligned window, so aligned and anchored fixed windows put their edges in different places.
 */
const PATTERN: [at: number, share: number][] = [
  [0, 0.5],
  [0.5, 0.5],
  [1.05, 1],
  [1.6, 1],
  [2.7, 1],
  [2.75, 0.3],
];

/** Refusals the replayed trace must hold before one algorithm can be told from another. */
const MIN_REFUSALS = 3;

function tracePoints(observations: Observation[], baseOrigin: string): TracePoint[] {
  const considered = observations.filter((o) => (o.admitted || o.refused) && new URL(o.exchange.request.url).origin === baseOrigin);
  const latencies = considered.filter((o) => o.admitted).map((o) => o.latencyMs).sort((a, b) => a - b);
  const baseline = latencies[Math.floor(latencies.length * 0.1)] ?? 0;
  return considered
    .map((o) => ({ client: o.client, at: o.arrivedAt, admitted: o.admitted, delayed: o.admitted && o.latencyMs - baseline >= 40 }))
    .sort((a, b) => a.at - b.at);
}

function cumulative(times: number[], admitted: boolean[]): { x: number; y: number }[] {
  let n = 0;
  return times.map((t, i) => ({ x: Math.round(t) / 1000, y: (n += admitted[i] ? 1 : 0) }));
}

/**
 * Fingerprint: runs the pattern above on a fresh client, then replays every request of the check through each
 * reference algorithm (fake clock, fitted parameters) and names the one that reproduces most decisions. It is
 * informational unless the profile declares an algorithm that the behaviour contradicts.
 */
export async function fingerprint(run: ProbeRun): Promise<ProbeResult> {
  const { limit, windowMs, session } = run;
  const client = await session.freshClient('fingerprint pattern');
  const start = Math.ceil(wallClockMs() / windowMs) * windowMs + 0.6 * windowMs + (windowMs < 200 ? windowMs : 0);
  const pattern: Observation[] = [];
  for (const [at, share] of PATTERN) {
    pattern.push(...(await client.burst(Math.max(1, Math.round(share * limit)), { at: start + at * windowMs, label: `pattern at ${at} window` })));
  }
  requireSeen(pattern.some((o) => o.admitted), `no request of the pattern was admitted (${tally(pattern)})`, pattern);
  // Every algorithm refuses part of the pattern (1.3 x the limit within a twentieth of a window at its end).
  requireSeen(pattern.some((o) => o.refused), `no request of the pattern was refused (${tally(pattern)}): without refusals every algorithm fits alike`, pattern);
  const origin = new URL(session.ctx.profile.baseUrl).origin;
  const trace = tracePoints(session.trace, origin);
  const refusals = trace.filter((p) => !p.admitted).length;
  requireSeen(refusals >= MIN_REFUSALS, `only ${refusals} of the ${trace.length} decisions of the check were refusals: too few to tell the algorithms apart`, pattern);
  const fit = fitAlgorithms(trace, { limit, windowMs });
  const names = fit.best.map((c) => c.algorithm);
  const equivalent = names.length > 1 && names.every((n) => EQUIVALENT.has(n));

  // The chart: the pattern's requests, the target's admissions beside the best model's and the runner-up's.
  const patternIndexes = trace.map((p, i) => ({ p, i })).filter(({ p }) => p.at >= start - 1 && p.client === client.name).map(({ i }) => i);
  // The trace is in time order already, so a candidate's decisions line up with it index for index.
  const pick = (candidate: Candidate | undefined) => patternIndexes.map((i) => candidate?.decisions[i] !== 'refused');
  const times = patternIndexes.map((i) => trace[i]!.at - start);
  const chart: SeriesChart = {
    type: 'series',
    title: 'admitted so far during the fingerprint pattern: the target beside the models',
    xLabel: 'seconds since the pattern started',
    yLabel: 'admitted (cumulative)',
    series: [
      { name: 'target', points: cumulative(times, patternIndexes.map((i) => trace[i]!.admitted)) },
      { name: `model: ${fit.best[0]!.algorithm}`, points: cumulative(times, pick(fit.best[0])) },
      ...(fit.runnerUp ? [{ name: `runner-up: ${fit.runnerUp.algorithm}`, points: cumulative(times, pick(fit.runnerUp)) }] : []),
    ],
  };

  const bestText = fit.best.map(describeCandidate).join(' = ');
  const note = equivalent ? `; ${names.join(', ')} decide identically for equal parameters (GCRA is the leaky bucket as a meter, and both equal a token bucket)` : '';
  const summary = `behaves like ${bestText}${note}; runner-up ${fit.runnerUp ? describeCandidate(fit.runnerUp) : 'none'}; ${trace.length} decisions replayed`;
  const data = {
    ranking: fit.ranking.map(({ decisions: _d, ...c }) => c),
    best: names,
    runnerUp: fit.runnerUp?.algorithm,
    decisions: trace.length,
  };
  const declared = run.algorithm;
  const assertions = [];
  if (declared) {
    const agreement = fit.ranking.find((c) => c.algorithm === declared)?.agreement ?? 0;
    assertions.push({
      name: 'the declared algorithm',
      passed: names.includes(declared),
      expected: `${declared} among the best fits`,
      actual: names.includes(declared) ? names.join(', ') : `${names.join(', ')} (${declared}: ${(agreement * 100).toFixed(1)}%)`,
    });
  }
  return judged(assertions, pattern.slice(0, 2).map((o) => o.exchange), summary, { charts: [chart], data });
}
