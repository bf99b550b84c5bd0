import { describe, expect, it } from 'vitest';
import { statusClassifier } from '../../src/checks/rate-limit/observation.js';
import { parseRate, policyModel, policyProblem } from '../../src/checks/rate-limit/policy.js';

describe('rate-limit policies as gateways write them', () => {
  it('reads rates the way nginx, AWS and people write them', () => {
    expect(parseRate('5r/s')).toBeCloseTo(5 / 1000);
    expect(parseRate('30r/m')).toBeCloseTo(30 / 60_000);
    expect(parseRate('100/2s')).toBeCloseTo(100 / 2000);
    expect(parseRate('10 / minute')).toBeCloseTo(10 / 60_000);
    expect(parseRate(50)).toBeCloseTo(50 / 1000);
    for (const bad of ['fast', '5r', '/s', '0/s', '5r/fortnight', -1, 0]) expect(parseRate(bad), String(bad)).toBeUndefined();
  });

  it('models a rate and a burst as the burst per the time the rate takes to refill it', () => {
    // nginx `rate=5r/s burst=10 nodelay` admits 11 at once and one more every 200 ms.
    expect(policyModel({ rate: '5r/s', burst: 11 })).toMatchObject({ limit: 11, windowMs: 2200 });
    // An AWS usage plan throttle: rateLimit 50 per second, burstLimit 100.
    expect(policyModel({ rate: 50, burst: 100 })).toMatchObject({ limit: 100, windowMs: 2000 });
    expect(policyModel({ limit: 10, window: '2s' })).toMatchObject({ limit: 10, windowMs: 2000, described: '10 per 2s' });
  });

  it('says what is wrong with a policy that is neither form, or both', () => {
    expect(policyProblem({ limit: 10, window: '1s', rate: '5r/s', burst: 10 })).toMatch(/either limit and window, or rate and burst, not both/);
    expect(policyProblem({})).toMatch(/give limit and window .* or rate and burst/);
    expect(policyProblem({ rate: 'quick', burst: 5 })).toMatch(/rate 'quick' is not a rate such as 5r\/s/);
    expect(policyProblem({ rate: '5r/s' })).toMatch(/rate and burst go together/);
    expect(policyProblem({ limit: 10, window: 0 })).toMatch(/window '0' must be longer than 0/);
    expect(policyProblem({ limit: 10, window: '1s' })).toBeUndefined();
  });
});

describe('what an answer counts as', () => {
  it('admits 2xx only, unless admittedStatus says otherwise; a redirect is neither admitted nor refused', () => {
    const classify = statusClassifier([429]);
    expect([200, 204, 299, 307, 301, 401, 429, 503, 0].map(classify)).toEqual(['admitted', 'admitted', 'admitted', 'other', 'other', 'other', 'refused', 'other', 'other']);
    const withRedirects = statusClassifier([429, 503], ['2xx', 302]);
    expect([200, 302, 307, 503].map(withRedirects)).toEqual(['admitted', 'admitted', 'other', 'refused']);
  });
});
