import { describe, expect, it } from 'vitest';
import { legacyResetSec, parseRateLimitHeaders } from '../../src/checks/rate-limit/headers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('rate-limit header parsing', () => {
  it('reads draft-11 named policies', () => {
    const parsed = parseRateLimitHeaders({ 'ratelimit-policy': '"burst";q=100;w=60, "daily";q=1000;w=86400', ratelimit: '"burst";r=57;t=23' }, NOW);
    expect(parsed.ietf).toEqual({
      format: 'draft-8+',
      limit: 100,
      remaining: 57,
      resetSec: 23,
      policies: [{ name: 'burst', quota: 100, windowSec: 60 }, { name: 'daily', quota: 1000, windowSec: 86400 }],
    });
    expect(parsed.problems).toEqual([]);
  });

  it('reads the draft-07 dictionary with its policy', () => {
    const parsed = parseRateLimitHeaders({ ratelimit: 'limit=100, remaining=57, reset=23', 'ratelimit-policy': '100;w=60' }, NOW);
    expect(parsed.ietf).toEqual({ format: 'draft-7', limit: 100, remaining: 57, resetSec: 23, policies: [{ quota: 100, windowSec: 60 }] });
  });

  it('reads draft-06 separate fields', () => {
    const parsed = parseRateLimitHeaders({ 'ratelimit-limit': '10', 'ratelimit-remaining': '0', 'ratelimit-reset': '4', 'ratelimit-policy': '10;w=5' }, NOW);
    expect(parsed.ietf).toMatchObject({ format: 'draft-6', limit: 10, remaining: 0, resetSec: 4, policies: [{ quota: 10, windowSec: 5 }] });
  });

  it('reads legacy headers with a delta, epoch seconds or epoch milliseconds', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '30' }, NOW).legacy).toMatchObject({ limit: 60, remaining: 59, resetSec: 30 });
    expect(legacyResetSec(NOW / 1000 + 42, NOW)).toBeCloseTo(42);
    expect(legacyResetSec(NOW + 1500, NOW)).toBeCloseTo(1.5);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRateLimitHeaders({ 'retry-after': '7' }, NOW).retryAfterSec).toBe(7);
    expect(parseRateLimitHeaders({ 'retry-after': new Date(NOW + 10_000).toUTCString() }, NOW).retryAfterSec).toBeCloseTo(10);
  });

  it('reports malformed headers instead of guessing', () => {
    const parsed = parseRateLimitHeaders({ ratelimit: 'remaining: lots', 'retry-after': 'soon', 'x-ratelimit-remaining': 'many' }, NOW);
    expect(parsed.ietf).toBeUndefined();
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.problems.join('\n')).toMatch(/RateLimit 'remaining: lots'/);
  });

  it('takes the policy with the least remaining when RateLimit lists several', () => {
    const parsed = parseRateLimitHeaders({ 'ratelimit-policy': '"burst";q=10;w=1, "daily";q=1000;w=86400', ratelimit: '"burst";r=7;t=1, "daily";r=0;t=3600' }, NOW);
    expect(parsed.ietf).toMatchObject({ remaining: 0, resetSec: 3600, limit: 1000 });
  });

  it('refuses Retry-After values that are neither whole seconds nor an HTTP date, and empty legacy values', () => {
    for (const value of ['-1', '1.5', '2026-11-28', 'tomorrow']) {
      const parsed = parseRateLimitHeaders({ 'retry-after': value }, NOW);
      expect(parsed.retryAfterSec, value).toBeUndefined();
      expect(parsed.problems, value).toEqual([`Retry-After '${value}' is neither seconds nor an HTTP date`]);
    }
    expect(parseRateLimitHeaders({ 'retry-after': 'Sunday, 29-Nov-26 12:00:10 GMT' }, NOW).retryAfterSec).toBeGreaterThan(0);
    expect(parseRateLimitHeaders({ 'retry-after': 'Sun Nov 29 12:00:10 2026' }, NOW).retryAfterSec).toBeGreaterThan(0);
    const empty = parseRateLimitHeaders({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '' }, NOW);
    expect(empty.legacy).toMatchObject({ limit: 60, remaining: undefined });
    expect(empty.problems).toEqual(["x-ratelimit-remaining '' is not a number"]);
  });
});
