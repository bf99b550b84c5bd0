/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), two-sided, with the normal approximation, a tie correction and
 * a continuity correction: fine from about 20 samples per group. Rank-based, so a few huge outliers (a GC
 * pause, a scheduler hiccup) move it far less than they move a mean.
 */
export interface RankTest {
  n1: number;
  n2: number;
  /** U of the first group: how many (x, y) pairs have x > y, ties counting one half. */
  u: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
  /**
   * Vargha-Delaney A: the probability that a value of the first group is larger than one of the second
   * (ties half). 0.5 means no difference; 0.71 or more (0.29 or less) is a large effect.
   */
  a: number;
}

export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankTest {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitneyU needs at least one value in each group');
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const n = all.length;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumX += rank;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const a = u / (n1 * n2);
  if (variance <= 0) return { n1, n2, u, z: 0, p: 1, a };
  const diff = u - mean;
  const corrected = Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5);
  const z = corrected / Math.sqrt(variance);
  return { n1, n2, u, z, p: Math.min(1, 2 * upperTail(Math.abs(z))), a };
}

/** P(Z > z) for a standard normal Z, accurate in the far tail (relative error about 1e-7). */
export function upperTail(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}

/** Complementary error function (Numerical Recipes' erfcc, Chebyshev fit; fractional error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at]!;
}

/** Drops the `fraction` smallest and largest values (symmetric trimming). */
export function trimmed(values: readonly number[], fraction: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * fraction);
  return sorted.slice(cut, sorted.length - cut);
}
