import { decide } from './decide.js';
import { checkCost, compilePolicies, stateStride } from './policy.js';
import { algorithmByName } from './registry.js';
import type { Algorithm, AlgorithmName, Clock, Decision, Policy, PolicySpec } from './types.js';

export interface LimiterModelOptions {
  algorithm: AlgorithmName | Algorithm;
  policies: PolicySpec[];
  /** Defaults to Date.now; a replay passes a fake clock (or uses consumeAt). */
  clock?: Clock;
  /** Record refused requests too (default false: a refused request consumes nothing). */
  countRefused?: boolean;
}

/**
 * A limiter as a plain synchronous model: the algorithm over a Map of per-key state, with no bound, no expiry
 * and no I/O. For replaying a trace of request times (the rate-limit fingerprint) and for reasoning in tests;
 * servers use a store (memory or Redis), which adds bounded memory and expiry.
 */
export class LimiterModel {
  readonly algorithm: Algorithm;
  readonly policies: readonly Policy[];
  private readonly stride: number;
  private readonly clock: Clock;
  private readonly countRefused: boolean;
  private readonly states = new Map<string, Float64Array>();

  constructor(options: LimiterModelOptions) {
    this.algorithm = typeof options.algorithm === 'string' ? algorithmByName(options.algorithm) : options.algorithm;
    this.policies = compilePolicies(this.algorithm, options.policies);
    this.stride = stateStride(this.policies);
    this.clock = options.clock ?? Date.now;
    this.countRefused = options.countRefused ?? false;
  }

  consume(key: string, cost = 1): Decision {
    return this.consumeAt(this.clock(), key, cost);
  }

  /** Decides a request arriving at `now` (milliseconds on any consistent scale). */
  consumeAt(now: number, key: string, cost = 1): Decision {
    checkCost(cost);
    let state = this.states.get(key);
    if (!state) {
      state = new Float64Array(this.stride);
      this.states.set(key, state);
    }
    return decide(this.algorithm, this.policies, state, 0, now, cost, this.countRefused);
  }

  /** Forgets one key, or every key. */
  reset(key?: string): void {
    if (key === undefined) this.states.clear();
    else this.states.delete(key);
  }
}
