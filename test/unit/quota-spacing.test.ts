import { describe, expect, it } from 'vitest';
import { loadKind } from '../../src/checks/load/load.js';
import { rateLimitKind } from '../../src/checks/rate-limit/rate-limit.js';
import { CHECK_KINDS } from '../../src/checks/index.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import { QuotaSpacing } from '../../src/runner/quota-spacing.js';

describe('QuotaSpacing', () => {
  let now = 0;
  const clock = () => now;

  it('lets the first quota check of a run without earlier traffic start at once', () => {
    expect(new QuotaSpacing(clock).waitBefore(4000)).toBeUndefined();
  });

  it("waits out the check's own recovery time after ordinary traffic, counted from when that traffic ended", () => {
    const spacing = new QuotaSpacing(clock);
    now = 1000;
    spacing.ended('cors.policy');
    now = 1500;
    expect(spacing.waitBefore(4000)).toEqual({ ms: 3500, reason: "its own policy's recovery time (4.00s) after the checks before it" });
    now = 5000;
    expect(spacing.waitBefore(4000)).toBeUndefined();
  });

  it('waits out the previous quota check recovery when it is the longer one', () => {
    const spacing = new QuotaSpacing(clock);
    now = 0;
    spacing.ended('limits.slow', 60_000);
    now = 10_000;
    expect(spacing.waitBefore(1000)).toEqual({ ms: 50_000, reason: 'the recovery time of limits.slow (1m0s), the check before it' });
    // An ordinary check between them restarts the clock, and the recovery still owed is the slow one's.
    spacing.ended('headers.api');
    expect(spacing.waitBefore(1000)).toMatchObject({ ms: 60_000 });
  });
});

describe('the quotaRecoveryMs hook', () => {
  const profile = profileFromTarget('http://127.0.0.1:1');
  const context = { timeoutMs: 1000, profile };
  const request = { path: '/x' };

  it('is declared by the kinds that spend quota on purpose, and by no other', () => {
    expect(CHECK_KINDS.filter((k) => k.quotaRecoveryMs).map((k) => k.kind).sort()).toEqual(['load', 'rate-limit']);
  });

  it("rate-limit: the policy's recovery, else two windows and 100 ms; a named policy comes from the profile", () => {
    const base = { id: 'l', kind: 'rate-limit', severity: 'low' as const, request };
    expect(rateLimitKind.quotaRecoveryMs!({ ...base, policy: { limit: 5, window: '2s' } }, context)).toBe(4100);
    expect(rateLimitKind.quotaRecoveryMs!({ ...base, policy: { limit: 5, window: '2s', recovery: '7s' } }, context)).toBe(7000);
    const named = { ...profile, extensions: { rateLimits: { search: { limit: 5, window: '500ms' } } } };
    expect(rateLimitKind.quotaRecoveryMs!({ ...base, policy: 'search' }, { ...context, profile: named })).toBe(1100);
    expect(rateLimitKind.quotaRecoveryMs!({ ...base, policy: 'unknown' }, context)).toBe(0);
  });

  it("load: two of the declared limit's windows, or nothing without a declared limit", () => {
    const base = { id: 'l', kind: 'load', severity: 'low' as const, request, load: { duration: '1s' } };
    expect(loadKind.quotaRecoveryMs!({ ...base, limit: { limit: 50, window: '1s' } }, context)).toBe(2100);
    expect(loadKind.quotaRecoveryMs!(base, context)).toBe(0);
  });
});
