import { describe, expect, it } from 'vitest';
import { decide } from '../../src/reference/limiters/algorithms/decide.js';
import { LimiterModel } from '../../src/reference/limiters/algorithms/model.js';
import { compilePolicies, PolicyError, stateStride } from '../../src/reference/limiters/algorithms/policy.js';
import { algorithmByName } from '../../src/reference/limiters/algorithms/registry.js';
import type { AlgorithmName, Policy, PolicySpec } from '../../src/reference/limiters/algorithms/types.js';
import { seededRandom } from '../../src/bench/random.js';
import { ALL_ALGORITHMS } from '../helpers/limiter-cases.js';

/** Replays a seeded bursty trace through the pure algorithm, calling `inspect` with a copy of the state before each request. */
function replay(
  algorithm: AlgorithmName,
  specs: PolicySpec[],
  seed: number,
  inspect: (before: Float64Array, now: number, cost: number, policies: Policy[]) => void,
): void {
  const model = algorithmByName(algorithm);
  const policies = compilePolicies(model, specs);
  const state = new Float64Array(stateStride(policies));
  const random = seededRandom(seed);
  let now = 1_000_000;
  for (let i = 0; i < 400; i++) {
    now += random() < 0.1 ? random() * 1500 : random() * 40;
    const cost = random() < 0.15 ? 2 : 1;
    inspect(state.slice(), now, cost, policies);
    decide(model, policies, state, 0, now, cost, false);
  }
}

const SPECS: PolicySpec[][] = [[{ limit: 6, windowMs: 1000 }], [{ name: 'a', limit: 4, windowMs: 400 }, { name: 'b', limit: 15, windowMs: 5000 }]];

describe('pure limiter algorithms: what a Decision says is true', () => {
  for (const algorithm of ALL_ALGORITHMS) {
    it(`${algorithm}: a retry after retryAfterMs is admitted, and not one millisecond earlier`, () => {
      const model = algorithmByName(algorithm);
      let refusals = 0;
      for (const [seed, specs] of SPECS.entries()) {
        replay(algorithm, specs, seed + 1, (before, now, cost, policies) => {
          const d = decide(model, policies, before.slice(), 0, now, cost, false);
          if (d.allowed || !Number.isFinite(d.retryAfterMs)) return;
          refusals++;
          expect(decide(model, policies, before.slice(), 0, now + d.retryAfterMs, cost, false).allowed, `retry at +${d.retryAfterMs}`).toBe(true);
          if (d.retryAfterMs >= 1) expect(decide(model, policies, before.slice(), 0, now + d.retryAfterMs - 1, cost, false).allowed).toBe(false);
        });
      }
      expect(refusals).toBeGreaterThan(20);
    });

    it(`${algorithm}: a refusal names a refusing policy and a wait, whether or not refused requests count`, () => {
      const model = algorithmByName(algorithm);
      for (const countRefused of [false, true]) {
        const policies = compilePolicies(model, SPECS[1]!);
        const state = new Float64Array(stateStride(policies));
        const random = seededRandom(5);
        let now = 0;
        for (let i = 0; i < 400; i++) {
          now += random() * 30;
          const d = decide(model, policies, state, 0, now, 1, countRefused);
          if (d.allowed) expect(d.retryAfterMs).toBe(0);
          else expect(d.retryAfterMs, `t=${now} countRefused=${countRefused}`).toBeGreaterThan(0);
        }
      }
    });

    it(`${algorithm}: remaining is exactly how many more unit requests are admitted at that instant`, () => {
      const model = algorithmByName(algorithm);
      for (const [seed, specs] of SPECS.entries()) {
        replay(algorithm, specs, seed + 10, (before, now, cost, policies) => {
          const state = before.slice();
          const d = decide(model, policies, state, 0, now, cost, false);
          if (!d.allowed) return;
          for (let i = 0; i < d.remaining; i++) expect(decide(model, policies, state, 0, now, 1, false).allowed).toBe(true);
          expect(decide(model, policies, state, 0, now, 1, false).allowed).toBe(false);
        });
      }
    });

    it(`${algorithm}: after resetMs without requests the key is as good as new`, () => {
      const model = algorithmByName(algorithm);
      replay(algorithm, SPECS[0]!, 99, (before, now, cost, policies) => {
        const state = before.slice();
        const d = decide(model, policies, state, 0, now, cost, false);
        const later = now + d.resetMs;
        const fresh = decide(model, policies, new Float64Array(state.length), 0, later, 1, false);
        expect(decide(model, policies, state, 0, later, 1, false)).toEqual(fresh);
      });
    });

    it(`${algorithm}: never more than twice the limit in any window, and the limit over a long run`, () => {
      const model = algorithmByName(algorithm);
      const policies = compilePolicies(model, [{ limit: 10, windowMs: 1000 }]);
      const state = new Float64Array(stateStride(policies));
      const admitted: number[] = [];
      for (let now = 0; now < 20_000; now += 7) if (decide(model, policies, state, 0, now, 1, false).allowed) admitted.push(now + 0);
      let worst = 0;
      for (let i = 0, j = 0; i < admitted.length; i++) {
        while (admitted[i]! - admitted[j]! >= 1000) j++;
        worst = Math.max(worst, i - j + 1);
      }
      expect(worst).toBeLessThanOrEqual(20);
      // 20 s at 10/s plus at most one burst; the sliding counter may admit one fewer per window under a steady
      // overload (the previous window's weight only reaches zero at the end of the current one).
      expect(admitted.length).toBeGreaterThanOrEqual(algorithm === 'sliding-counter' ? 180 : 199);
      expect(admitted.length).toBeLessThanOrEqual(211);
    });
  }
});

describe('LimiterModel', () => {
  it('replays a trace synchronously with a fake clock, per key', () => {
    let now = 0;
    const model = new LimiterModel({ algorithm: 'fixed-window', policies: [{ limit: 2, windowMs: 100 }], clock: () => now });
    expect([model.consume('a').allowed, model.consume('a').allowed, model.consume('a').allowed, model.consume('b').allowed]).toEqual([true, true, false, true]);
    now = 100;
    expect(model.consume('a').allowed).toBe(true);
    expect(model.consumeAt(150, 'a').remaining).toBe(0);
  });

  it('refuses bad policies and costs with a message naming the problem', () => {
    const make = (policies: PolicySpec[]) => () => new LimiterModel({ algorithm: 'gcra', policies });
    expect(make([])).toThrow(/at least one policy/);
    expect(make([{ limit: 0, windowMs: 1000 }])).toThrow(/policy 'default': limit must be a whole number of at least 1; got 0/);
    expect(make([{ limit: 1.5, windowMs: 1000 }])).toThrow(PolicyError);
    expect(make([{ limit: 5, windowMs: -1 }])).toThrow(/windowMs must be a positive number/);
    expect(make([{ name: 'x', limit: 5, windowMs: 1 }, { name: 'x', limit: 5, windowMs: 2 }])).toThrow(/names must be unique/);
    expect(make([{ name: 'bad"name', limit: 5, windowMs: 1 }])).toThrow(/without quotes/);
    expect(() => new LimiterModel({ algorithm: 'nope' as AlgorithmName, policies: [{ limit: 1, windowMs: 1 }] })).toThrow(/unknown limiter algorithm 'nope'/);
    expect(() => new LimiterModel({ algorithm: 'gcra', policies: [{ limit: 1, windowMs: 1 }] }).consume('k', 0)).toThrow(/cost must be a whole number/);
  });
});
