import type { Algorithm, Policy, PolicySpec } from './types.js';

export class PolicyError extends Error {
  override name = 'PolicyError';
}

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/**
 * Validates a limiter's policies and lays out each one's state for the algorithm. Limits, bursts and queues are
 * whole numbers (requests or cost units); windows are positive milliseconds. Names are unique.
 */
export function compilePolicies(algorithm: Algorithm, specs: readonly PolicySpec[]): Policy[] {
  if (specs.length === 0) throw new PolicyError('a limiter needs at least one policy (a limit and a window)');
  const policies: Policy[] = [];
  const names = new Set<string>();
  let offset = 0;
  specs.forEach((spec, index) => {
    const name = spec.name ?? (index === 0 ? 'default' : `policy-${index + 1}`);
    const where = `policy '${name}'`;
    if (!name || /["\\\x00-\x1f\x7f]/.test(name)) throw new PolicyError(`${where}: a name is printable text without quotes or backslashes`);
    if (names.has(name)) throw new PolicyError(`${where}: two policies have this name; names must be unique`);
    names.add(name);
    if (!isWhole(spec.limit) || spec.limit < 1) throw new PolicyError(`${where}: limit must be a whole number of at least 1; got ${spec.limit}`);
    if (typeof spec.windowMs !== 'number' || !Number.isFinite(spec.windowMs) || spec.windowMs <= 0) {
      throw new PolicyError(`${where}: windowMs must be a positive number of milliseconds; got ${spec.windowMs}`);
    }
    const capacity = spec.burst ?? spec.limit;
    if (!isWhole(capacity) || capacity < 1) throw new PolicyError(`${where}: burst must be a whole number of at least 1; got ${spec.burst}`);
    const queue = spec.queue ?? spec.limit - 1;
    if (!isWhole(queue) || queue < 0) throw new PolicyError(`${where}: queue must be a whole number of at least 0; got ${spec.queue}`);
    const base = {
      name,
      limit: spec.limit,
      windowMs: spec.windowMs,
      capacity,
      queue,
      intervalMs: spec.windowMs / spec.limit,
      ratePerMs: spec.limit / spec.windowMs,
    };
    const size = algorithm.stateSize(base);
    policies.push({ ...base, offset, size });
    offset += size;
  });
  return policies;
}

/** Float64 slots of state per key for these policies. */
export function stateStride(policies: readonly Policy[]): number {
  return policies.reduce((sum, p) => sum + p.size, 0);
}

/** A cost is a whole number of units, at least 1. */
export function checkCost(cost: number): void {
  if (!isWhole(cost) || cost < 1) throw new PolicyError(`cost must be a whole number of at least 1; got ${cost}`);
}
