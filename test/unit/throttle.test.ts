import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/results/model.js';
import { DEFAULT_THROTTLE_WAIT_MS, describeThrottleWait, throttleWait } from '../../src/engine/throttle.js';
import { RequestBudget } from '../../src/engine/request-budget.js';

function answered429(headers: Record<string, string | string[]> = {}): Exchange {
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/x', headers: {} },
    response: { status: 429, statusText: 'Too Many Requests', headers, body: '', bodyBytes: 0, bodyTruncated: false },
    timings: { startedAt: new Date(0).toISOString(), totalMs: 1 },
  };
}

describe('throttleWait', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('takes Retry-After in seconds', () => {
    expect(throttleWait(answered429({ 'retry-after': '2' }), now)).toEqual({ ms: 2000, from: 'retry-after', retryAfter: '2' });
    expect(throttleWait(answered429({ 'Retry-After': ' 0 ' }), now)).toEqual({ ms: 0, from: 'retry-after', retryAfter: '0' });
  });

  it('takes Retry-After as an HTTP date, counted from now (never negative)', () => {
    expect(throttleWait(answered429({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toMatchObject({ ms: 5000, from: 'retry-after' });
    expect(throttleWait(answered429({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now)).toMatchObject({ ms: 0, from: 'retry-after' });
  });

  it('falls back to the documented default without a usable Retry-After', () => {
    expect(DEFAULT_THROTTLE_WAIT_MS).toBe(10_000);
    expect(throttleWait(answered429(), now)).toEqual({ ms: DEFAULT_THROTTLE_WAIT_MS, from: 'default', retryAfter: undefined });
    // Fractions, negative numbers and things that are not dates are not Retry-After (RFC 9110 §10.2.3).
    for (const value of ['1.5', '-3', 'soon', '2 s']) {
      expect(throttleWait(answered429({ 'retry-after': value }), now), value).toEqual({ ms: DEFAULT_THROTTLE_WAIT_MS, from: 'default', retryAfter: value });
    }
    expect(describeThrottleWait(throttleWait(answered429(), now))).toBe('no Retry-After, so the default 10.0s');
    expect(describeThrottleWait(throttleWait(answered429({ 'retry-after': 'soon' }), now))).toBe("Retry-After 'soon' is not seconds or a date, so the default 10.0s");
  });

  it('reads the first of repeated Retry-After headers', () => {
    expect(throttleWait(answered429({ 'retry-after': ['3', '9'] }), now)).toMatchObject({ ms: 3000 });
  });
});

describe('RequestBudget: the time the harness spends for a check', () => {
  it('lets a check wait for 429s up to the allowance, and counts what it granted towards the check bound', () => {
    const budget = new RequestBudget(5);
    expect(budget.claimThrottleWait(20_000)).toBe(true);
    expect(budget.claimThrottleWait(10_001)).toBe(false);
    expect(budget.throttleWaitLeftMs).toBe(10_000);
    expect(budget.claimThrottleWait(10_000)).toBe(true);
    expect(budget.harnessMs).toBe(30_000);
  });

  it('does not count a retry against the kind bound', () => {
    const budget = new RequestBudget(1);
    expect(budget.admit()).toBeUndefined();
    expect(budget.admit({ retry: true })).toBeUndefined();
    expect(() => budget.admit()).toThrow(/more than its bound of 1 requests/);
  });
});
