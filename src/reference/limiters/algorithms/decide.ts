import type { Algorithm, Decision, Policy, Verdict } from './types.js';

const newVerdict = (): Verdict => ({ allowed: false, remaining: 0, resetMs: 0, retryAfterMs: 0, delayMs: 0 });
/** Scratch verdicts, one per policy, reused across calls: deciding allocates only the returned Decision. */
const scratch: Verdict[] = [newVerdict()];

/**
 * Decides one request against every policy of a limiter, atomically: the request is recorded in all policies
 * when all admit it, and in none when any refuses it, unless `countRefused` (then a refused request is recorded
 * in all of them too, as a limiter that counts attempts does). `state` holds the key's state from `base`.
 */
export function decide(
  algorithm: Algorithm,
  policies: readonly Policy[],
  state: Float64Array,
  base: number,
  now: number,
  cost: number,
  countRefused: boolean,
): Decision {
  const n = policies.length;
  if (n === 1) return decideOne(algorithm, policies[0]!, state, base, now, cost, countRefused);
  while (scratch.length < n) scratch.push(newVerdict());
  let allowed = true;
  for (let i = 0; i < n; i++) {
    const p = policies[i]!;
    algorithm.evaluate(state, base + p.offset, p, now, cost, scratch[i]!);
    if (!scratch[i]!.allowed) allowed = false;
  }
  if (allowed || countRefused) {
    for (let i = 0; i < n; i++) algorithm.record(state, base + policies[i]!.offset, policies[i]!, now, cost);
  }
  // The deciding policy: when refused, the refusal with the longest wait; when admitted, the least remaining.
  let chosen = 0;
  let delayMs = 0;
  for (let i = 0; i < n; i++) {
    const v = scratch[i]!;
    const best = scratch[chosen]!;
    if (allowed) {
      if (v.remaining < best.remaining) chosen = i;
      if (v.delayMs > delayMs) delayMs = v.delayMs;
    } else if (!v.allowed && (best.allowed || v.retryAfterMs > best.retryAfterMs)) {
      chosen = i;
    }
  }
  const v = scratch[chosen]!;
  return {
    allowed,
    limit: policies[chosen]!.limit,
    remaining: v.remaining,
    resetMs: v.resetMs,
    retryAfterMs: allowed ? 0 : v.retryAfterMs,
    delayMs,
    policy: policies[chosen]!.name,
  };
}

/** The common case, one policy: the same rules without the bookkeeping across policies. */
export function decideOne(algorithm: Algorithm, p: Policy, state: Float64Array, base: number, now: number, cost: number, countRefused: boolean): Decision {
  const v = scratch[0]!;
  algorithm.evaluate(state, base + p.offset, p, now, cost, v);
  if (v.allowed || countRefused) algorithm.record(state, base + p.offset, p, now, cost);
  return {
    allowed: v.allowed,
    limit: p.limit,
    remaining: v.remaining,
    resetMs: v.resetMs,
    retryAfterMs: v.allowed ? 0 : v.retryAfterMs,
    delayMs: v.allowed ? v.delayMs : 0,
    policy: p.name,
  };
}
