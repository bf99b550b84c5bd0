import { describe, expect, it } from 'vitest';
import { mannWhitneyU, median, percentile, trimmed, upperTail } from '../../src/checks/api-key-timing/mann-whitney.js';

/** Reference values from scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True). */
const SCIPY: { x: number[]; y: number[]; u: number; p: number }[] = [
  { x: [1, 2, 3, 4, 5], y: [6, 7, 8, 9, 10], u: 0, p: 0.012185780355344813 },
  { x: [1.1, 2.2, 2.2, 3.3, 4.4, 5.5, 6.6], y: [2.2, 3.3, 3.3, 7.7, 8.8, 9.9], u: 12, p: 0.21950194029990822 },
  {
    x: [0.31, 0.35, 0.29, 0.4, 0.33, 0.3, 0.36, 0.32, 0.34, 0.38, 0.31, 0.29],
    y: [0.3, 0.42, 0.39, 0.45, 0.37, 0.41, 0.44, 0.36, 0.43, 0.4],
    u: 15.5,
    p: 0.0036680945676398607,
  },
  {
    x: Array.from({ length: 150 }, (_, i) => ((i * 37) % 101) / 10),
    y: Array.from({ length: 120 }, (_, i) => ((i * 53) % 97) / 10 + 1.5),
    u: 6897.5,
    p: 0.0009771413149675034,
  },
  { x: Array.from({ length: 100 }, (_, i) => i), y: Array.from({ length: 100 }, (_, i) => i + 1000), u: 0, p: 2.562143669163401e-34 },
];

describe('Mann-Whitney U', () => {
  it.each(SCIPY.map((c, i) => [i, c] as const))('matches scipy on reference case %i (ties, tails)', (_, c) => {
    const test = mannWhitneyU(c.x, c.y);
    expect(test.u).toBe(c.u);
    expect(test.p / c.p).toBeCloseTo(1, 5);
    expect(test.a).toBeCloseTo(c.u / (c.x.length * c.y.length), 12);
  });

  it('is symmetric: swapping the groups mirrors U and A and keeps p', () => {
    const { x, y } = SCIPY[3]!;
    const ab = mannWhitneyU(x, y);
    const ba = mannWhitneyU(y, x);
    expect(ab.u + ba.u).toBe(x.length * y.length);
    expect(ab.a + ba.a).toBeCloseTo(1, 12);
    expect(ba.p).toBeCloseTo(ab.p, 12);
  });

  it('finds nothing between identical groups, or when every value ties', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(mannWhitneyU(values, [...values])).toMatchObject({ p: 1, a: 0.5 });
    expect(mannWhitneyU([2, 2, 2], [2, 2])).toMatchObject({ p: 1, z: 0, a: 0.5 });
    expect(() => mannWhitneyU([], [1])).toThrow();
  });

  it('has an accurate normal tail', () => {
    expect(upperTail(0)).toBeCloseTo(0.5, 7);
    expect(upperTail(1.959963984540054) / 0.025).toBeCloseTo(1, 5);
    expect(upperTail(6) / 9.865876450376946e-10).toBeCloseTo(1, 5);
  });

  it('summarises samples: median, percentiles, symmetric trimming', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(trimmed([100, 1, 2, 3, 4, 5, 6, 7, 8, -100], 0.1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
