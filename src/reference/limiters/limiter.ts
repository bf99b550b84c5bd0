import type { AlgorithmName, Decision, Policy } from './algorithms/types.js';

/**
 * A limiter: one algorithm, one or more policies checked together, per-key state held by a store. The memory
 * store answers synchronously; the Redis store returns a promise (one round trip per decision).
 */
export interface Limiter {
  readonly algorithm: AlgorithmName;
  readonly policies: readonly Policy[];
  /** Whether refused requests are recorded too (see README: countRefused). */
  readonly countRefused: boolean;
  consume(key: string, cost?: number): Decision | Promise<Decision>;
  /** Releases connections (Redis); the memory store has nothing to release. */
  close(): Promise<void>;
}

export type StoreName = 'memory' | 'redis';
export const STORE_NAMES: readonly StoreName[] = ['memory', 'redis'];
