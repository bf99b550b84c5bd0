import { describe, expect, it } from 'vitest';
import { parseSegment, segmentShare, splitLoad } from '../../src/engine/load-segment.js';

describe('load segments', () => {
  it('split any whole quantity into N shares that sum to exactly the whole and differ by at most one', () => {
    for (const total of [1, 2, 3, 7, 10, 99, 100, 1001, 5_000_000]) {
      for (const count of [1, 2, 3, 4, 7, 16]) {
        if (total < count) continue;
        const shares = Array.from({ length: count }, (_, i) => segmentShare(total, { index: i + 1, count }));
        expect(shares.reduce((a, b) => a + b), `${total} in ${count}`).toBe(total);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }
    }
    // Deterministic from i/N alone: k6's execution segments, e.g. 10 in thirds.
    expect([1, 2, 3].map((index) => segmentShare(10, { index, count: 3 }))).toEqual([3, 3, 4]);
  });

  it('splits connections, rate and amount, and refuses a load too small for every segment to get one of each', () => {
    expect(splitLoad({ connections: 8, rate: 200, amount: 1000 }, { index: 2, count: 3 })).toEqual({ connections: 3, rate: 67, amount: 333 });
    expect(() => splitLoad({ connections: 2, rate: 200 }, { index: 1, count: 3 })).toThrow(/connections 2 cannot be split into 3 segments.*raise connections to 3/);
    expect(() => splitLoad({ connections: 4, rate: 2 }, { index: 1, count: 3 })).toThrow(/rate 2 cannot be split/);
  });

  it('reads i/N, 1-based like --shard, and says what it expects otherwise', () => {
    expect(parseSegment('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2']) expect(() => parseSegment(bad)).toThrow(/--segment expects i\/N with 1 <= i <= N/);
  });
});
