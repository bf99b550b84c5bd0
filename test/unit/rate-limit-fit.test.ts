import { describe, expect, it } from 'vitest';
import { EQUIVALENT, fitAlgorithms, type TracePoint } from '../../src/checks/rate-limit/fingerprint/fit.js';
import { maxAdmittedInWindow, type Observation } from '../../src/checks/rate-limit/observation.js';
import { ALGORITHM_NAMES, LimiterModel, type AlgorithmName } from '../../src/reference/limiters/algorithms/index.js';

const W = 1000;
const L = 10;
const T0 = Math.ceil(1_800_000_000_000 / W) * W + 600; // 0.6 of a window into a clock-aligned window

/** A trace with the fingerprint's own pattern and a refill sequence, decided by a reference model. */
function traceOf(algorithm: AlgorithmName, countRefused = false): TracePoint[] {
  const model = new LimiterModel({ algorithm, policies: [{ limit: L, windowMs: W }], countRefused });
  const bursts: [number, number][] = [[0, 5], [500, 5], [1050, 10], [1600, 10], [2700, 10], [2750, 3], [4000, 12], [4250, 10], [4500, 10], [5500, 10], [6150, 4], [6900, 10], [7420, 10], [8050, 10]];
  const points: TracePoint[] = [];
  for (const [at, n] of bursts) {
    for (let i = 0; i < n; i++) {
      const t = T0 + at + i * 0.01;
      const d = model.consumeAt(t, 'k');
      points.push({ client: 'k', at: t, admitted: d.allowed, delayed: d.allowed && d.delayMs >= 40 });
    }
  }
  return points;
}

describe('the rate-limit fingerprint', () => {
  it.each(ALGORITHM_NAMES.map((a) => [a]))('names %s from a trace it decided', (algorithm) => {
    const fit = fitAlgorithms(traceOf(algorithm), { limit: L, windowMs: W });
    const best = fit.best.map((c) => c.algorithm);
    expect(best).toContain(algorithm);
    if (EQUIVALENT.has(algorithm)) expect(best.every((a) => EQUIVALENT.has(a))).toBe(true);
    else expect(best).toEqual([algorithm]);
    expect(fit.best[0]!.agreement).toBe(1);
    expect(fit.runnerUp!.agreement).toBeLessThan(1);
  });

  it('finds that refused requests count, and the limit, when the trace says so', () => {
    const fit = fitAlgorithms(traceOf('sliding-log', true), { limit: L, windowMs: W });
    expect(fit.best[0]).toMatchObject({ algorithm: 'sliding-log', countRefused: true, limit: L, agreement: 1 });
    const offByOne = fitAlgorithms(traceOf('gcra'), { limit: L + 1, windowMs: W });
    expect(offByOne.best[0]).toMatchObject({ limit: L, agreement: 1 });
  });

  it('finds a clock-aligned window whose edges are not where ours are', () => {
    const shifted = traceOf('fixed-window').map((p) => ({ ...p, at: p.at + 300 }));
    const fit = fitAlgorithms(shifted, { limit: L, windowMs: W });
    expect(fit.best[0]).toMatchObject({ algorithm: 'fixed-window', agreement: 1 });
    // Any shift that puts the edges between the same requests explains the trace; 700 ms is the true one.
    expect(fit.best[0]!.offsetMs).toBeGreaterThanOrEqual(600);
    expect(fit.best[0]!.offsetMs).toBeLessThanOrEqual(800);
  });
});

describe('most admitted in any window', () => {
  const obs = (servedAt: number, admitted = true, arrivedAt = servedAt) => ({ arrivedAt, servedAt, admitted }) as Observation;
  it('counts admitted requests served within any interval of the window', () => {
    const all = [obs(0), obs(100), obs(950), obs(999), obs(1000), obs(1001, false), obs(1950)];
    expect(maxAdmittedInWindow(all, 1000)).toMatchObject({ count: 4, from: 0 });
    expect(maxAdmittedInWindow([], 1000).count).toBe(0);
  });

  it('counts a group only if the span from its first arrival to its last service fits in the window', () => {
    // Ten answered promptly at 0..9 ms, ten more sent at 950 ms whose answers came back 100 ms later: the target
    // may have decided those as late as 1049 ms, so the twenty are not proven to lie within one window.
    const prompt = Array.from({ length: 10 }, (_, i) => obs(i + 1, true, i));
    const late = Array.from({ length: 10 }, (_, i) => obs(1050 + i, true, 950 + i));
    expect(maxAdmittedInWindow([...prompt, ...late], 1000).count).toBe(10);
    // Answered promptly instead, they are.
    const quick = Array.from({ length: 10 }, (_, i) => obs(951 + i, true, 950 + i));
    expect(maxAdmittedInWindow([...prompt, ...quick], 1000).count).toBe(20);
  });
});
