import { describe, expect, it } from 'vitest';
import { replayAlgorithm } from '../../src/bench/accuracy.js';
import { accuracyMetrics, idealOutcome, median, mostInAnyInterval } from '../../src/bench/metrics.js';
import { loadPeer } from '../../src/bench/peer.js';
import { textTable } from '../../src/bench/table.js';
import { accuracyTraces, type TracePolicy } from '../../src/bench/traces.js';

const P: TracePolicy = { limit: 10, windowMs: 1000 };

describe('benchmark metrics', () => {
  it('finds the most events in any half-open interval', () => {
    expect(mostInAnyInterval([0, 1, 2, 10, 11, 12, 13], 3)).toBe(3);
    expect(mostInAnyInterval([0, 1, 2, 10, 11, 12, 13], 4)).toBe(4);
    expect(mostInAnyInterval([0, 1000], 1000)).toBe(1);
    expect(mostInAnyInterval([], 10)).toBe(0);
  });

  it('the ideal never exceeds N in any window and scores exactly 1 against itself', () => {
    for (const trace of accuracyTraces(P, 20)) {
      const ideal = idealOutcome(trace, P);
      const m = accuracyMetrics(trace, P, ideal, ideal);
      expect(m.oa.W, trace.name).toBeLessThanOrEqual(1);
      expect(m.admittedRatio).toBe(1);
      expect(m.falseRejections).toBe(0);
    }
  });

  it('shows the fixed window letting 2N through across a boundary, and the sliding log not', () => {
    const boundary = accuracyTraces(P, 5).find((t) => t.name === 'boundary')!;
    const ideal = idealOutcome(boundary, P);
    const fixed = accuracyMetrics(boundary, P, replayAlgorithm('fixed-window', boundary, P), ideal);
    const log = accuracyMetrics(boundary, P, replayAlgorithm('sliding-log', boundary, P), ideal);
    expect(fixed.oa.tenthW).toBeGreaterThanOrEqual(1.9);
    expect(log.oa.W).toBeLessThanOrEqual(1);
    expect(log.admitted).toBe(ideal.admitted.reduce((a, b) => a + b, 0));
  });

  it('counts a refusal as false when the trailing window had room', () => {
    const p = { limit: 2, windowMs: 100 };
    const trace = { name: 't', description: '', times: new Float64Array([0, 10, 20]), keys: new Uint32Array(3), keyCount: 1 };
    const judge = (admitted: number[]) => accuracyMetrics(trace, p, { admitted: new Uint8Array(admitted), servedAt: trace.times }, idealOutcome(trace, p));
    // One admission leaves room for one more under a limit of 2: both refusals were false.
    expect(judge([1, 0, 0]).falseRejections).toBe(2);
    expect(judge([1, 0, 0]).admittedRatio).toBe(0.5);
    // Two admissions fill the window: that refusal was right.
    expect(judge([1, 1, 0]).falseRejections).toBe(0);
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('builds the same traces from the same seeds', () => {
    const a = accuracyTraces(P, 10);
    const b = accuracyTraces(P, 10);
    expect(a.map((t) => [t.name, t.times.length])).toEqual(b.map((t) => [t.name, t.times.length]));
    expect([...a[1]!.times.slice(0, 20)]).toEqual([...b[1]!.times.slice(0, 20)]);
  });
});

describe('benchmark output', () => {
  it('says clearly when rate-limiter-flexible is missing', async () => {
    const { peer, reason } = await loadPeer(() => Promise.reject(new Error("Cannot find package 'rate-limiter-flexible'")));
    expect(peer).toBeUndefined();
    expect(reason).toMatch(/rate-limiter-flexible is not installed \(npm install --save-dev rate-limiter-flexible\)/);
  });

  it('loads rate-limiter-flexible when it is there', async () => {
    const { peer } = await loadPeer();
    expect(peer?.name).toBe('rate-limiter-flexible');
    expect(peer?.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('aligns text tables', () => {
    expect(textTable(['name', 'n'], [['a', '1'], ['bbb', '22']])).toBe('name   n\n----  --\na      1\nbbb   22');
  });
});
