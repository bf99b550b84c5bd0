import { describe, expect, it } from 'vitest';
import { LoadTally, TALLY_BUCKET_MS } from '../../src/engine/load-tally.js';

/** Nearest rank, in whole microseconds: what the tally keeps. */
function nearestRank(valuesMs: number[], p: number): number {
  const us = valuesMs.map((v) => Math.max(1, Math.round(v * 1000))).sort((a, b) => a - b);
  return us[Math.min(us.length - 1, Math.max(0, Math.ceil((p / 100) * us.length) - 1))]! / 1000;
}

/** A deterministic spread of latencies: mostly fast, a long tail. */
function latencies(seed: number, n: number): number[] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => (next() < 0.97 ? 0.2 + next() * 8 : 50 + next() * 2000));
}

describe('LoadTally', () => {
  it('merged tallies give the percentiles of all samples together, within one part in a thousand', () => {
    const parts = [latencies(1, 4000), latencies(2, 7000), latencies(3, 100)];
    const tallies = parts.map((values) => {
      const t = new LoadTally();
      values.forEach((v, i) => t.add(i % 10 === 0 ? 429 : 200, v, i));
      return t.toData();
    });
    const merged = LoadTally.fromData(...tallies);
    const all = parts.flatMap((values) => values.filter((_, i) => i % 10 !== 0));
    expect(merged.statusCounts().get(200)).toBe(all.length);
    for (const p of [50, 90, 95, 99, 99.9, 100]) {
      const exact = nearestRank(all, p);
      const got = merged.percentile((s) => s === 200, p);
      expect(Math.abs(got - exact), `p${p}: ${got} vs ${exact}`).toBeLessThanOrEqual(exact / 1000 + 0.001);
    }
    // An average of the parts' percentiles is not the merged percentile: the small tail-heavy part would skew it.
    const averaged = tallies.map((d) => LoadTally.fromData(d).percentile((s) => s === 200, 99)).reduce((a, b) => a + b) / 3;
    expect(Math.abs(averaged - nearestRank(all, 99))).toBeGreaterThan(nearestRank(all, 99) / 100);
  });

  it('drained deltas sum to the whole: counts, buckets and histograms', () => {
    const whole = new LoadTally();
    const worker = new LoadTally();
    const deltas: ReturnType<LoadTally['drain']>[] = [];
    const values = latencies(7, 3000);
    values.forEach((v, i) => {
      const at = i * 1.7;
      whole.add(i % 7 === 0 ? 503 : 200, v, at);
      worker.add(i % 7 === 0 ? 503 : 200, v, at);
      if (i % 500 === 499) deltas.push(worker.drain());
    });
    whole.addError('ECONNRESET', 5100);
    worker.addError('ECONNRESET', 5100);
    deltas.push(worker.drain());
    const merged = LoadTally.fromData(...deltas);
    expect(merged.count).toBe(whole.count);
    expect(Object.fromEntries(merged.statusCounts())).toEqual(Object.fromEntries(whole.statusCounts()));
    expect(Object.fromEntries(merged.bucketCounts())).toEqual(Object.fromEntries(whole.bucketCounts()));
    expect(merged.bucketCounts().get(200)!.reduce((a, b) => a + b)).toBe(whole.statusCounts().get(200));
    expect(merged.bucketCounts().get(0)!.length).toBe(Math.floor(5100 / TALLY_BUCKET_MS) + 1);
    expect(merged.errorSamples).toEqual(['ECONNRESET']);
    for (const p of [50, 99]) expect(merged.percentile((s) => s === 200, p)).toBe(whole.percentile((s) => s === 200, p));
  });

  it('has no percentile for statuses it never saw, and transport errors carry no latency', () => {
    const t = new LoadTally();
    t.addError('timeout', 10);
    expect(Number.isNaN(t.percentile(() => true, 50))).toBe(true);
    expect(t.toData().statuses['0']).toEqual({ count: 1 });
  });
});
