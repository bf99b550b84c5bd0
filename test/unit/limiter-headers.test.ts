import { parseList } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { compilePolicies } from '../../src/reference/limiters/algorithms/policy.js';
import { algorithmByName } from '../../src/reference/limiters/algorithms/registry.js';
import type { Decision } from '../../src/reference/limiters/algorithms/types.js';
import { decisionHeaders, policyHeader, retryAfterSeconds, secondsUp } from '../../src/reference/limiters/headers.js';

const decision = (extra: Partial<Decision>): Decision => ({ allowed: true, limit: 100, remaining: 57, resetMs: 22_400, retryAfterMs: 0, delayMs: 0, policy: 'burst', ...extra });

describe('rate-limit headers', () => {
  it('writes draft-11 RateLimit-Policy and RateLimit as RFC 9651 lists of named policies', () => {
    const policies = compilePolicies(algorithmByName('gcra'), [
      { name: 'burst', limit: 100, windowMs: 60_000 },
      { name: 'daily', limit: 1000, windowMs: 86_400_000 },
    ]);
    const field = policyHeader(policies);
    expect(field).toBe('"burst";q=100;w=60, "daily";q=1000;w=86400');
    const headers = decisionHeaders(decision({}), field, { styles: ['draft'] });
    expect(headers).toEqual({ 'ratelimit-policy': field, ratelimit: '"burst";r=57;t=23' });
    const [[name, params]] = parseList(headers.ratelimit!) as [[string, Map<string, number>]];
    expect([name, params.get('r'), params.get('t')]).toEqual(['burst', 57, 23]);
  });

  it('writes the legacy X-RateLimit-* with Reset as a Unix time rounded up', () => {
    const headers = decisionHeaders(decision({ resetMs: 1500 }), '', { styles: ['legacy'], now: 1_000_000_200 });
    expect(headers).toEqual({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '57', 'x-ratelimit-reset': '1000002' });
  });

  it('limit-headers-lie reports the whole limit as remaining', () => {
    const headers = decisionHeaders(decision({ remaining: 3 }), '"burst";q=100', { styles: ['draft', 'legacy'], lie: true });
    expect(headers.ratelimit).toBe('"burst";r=100;t=23');
    expect(headers['x-ratelimit-remaining']).toBe('100');
  });

  it('rounds Retry-After up to whole seconds, at least 1, so a retry then is never early', () => {
    expect(retryAfterSeconds(decision({ allowed: false, retryAfterMs: 1 }))).toBe(1);
    expect(retryAfterSeconds(decision({ allowed: false, retryAfterMs: 1000 }))).toBe(1);
    expect(retryAfterSeconds(decision({ allowed: false, retryAfterMs: 1001 }))).toBe(2);
    expect(retryAfterSeconds(decision({ allowed: false, retryAfterMs: 59_999.5 }))).toBe(60);
    expect(retryAfterSeconds(decision({ allowed: false, retryAfterMs: Infinity }))).toBeUndefined();
    expect([secondsUp(0), secondsUp(999), secondsUp(2000)]).toEqual([0, 1, 2]);
  });
});

describe('URL redaction', () => {
  it('drops credentials from URLs and command lines', async () => {
    const { redactArgs, redactUrl } = await import('../../src/util/redact-url.js');
    expect(redactUrl('redis://user:secret@127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
    expect(redactUrl('redis://:secret@host:1')).toBe('redis://host:1');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactArgs(['bench', '--redis-url', 'rediss://a:b@h:1', '--redis-url=redis://x:y@h:2'])).toEqual(['bench', '--redis-url', 'rediss://h:1', '--redis-url=redis://h:2']);
  });
});
