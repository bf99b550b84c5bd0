import type { Flaw } from '../server/flaw-types.js';

/**
 * The rate limiter's named flaws, with the built-in checks (scenarios/rate-limit.yaml, scenarios/load.yaml) that
 * catch them against the demo: a rate-limit probe each, and the flooded load check where the admitted rate shows it.
 */
export const LIMITER_FLAWS: Flaw[] = [
  {
    name: 'limit-per-worker',
    description: 'Under --workers N the memory store keeps one count per worker, so N workers admit N x the limit.',
    caughtBy: ['limits.search.concurrency', 'load.limited'],
  },
  {
    name: 'limit-no-retry-after',
    description: '429 responses carry no Retry-After header.',
    caughtBy: ['limits.search.retry-after'],
  },
  {
    name: 'limit-headers-lie',
    description: 'RateLimit and X-RateLimit-Remaining always report the full limit: remaining is never decremented.',
    caughtBy: ['limits.search.header-truth'],
  },
  {
    name: 'limit-fixed-window',
    description: 'A clock-aligned fixed window decides whatever algorithm was configured: 2N pass across a boundary.',
    caughtBy: ['limits.search.boundary', 'limits.search.fingerprint', 'load.limited'],
  },
  {
    name: 'limit-counts-rejected-forever',
    description: 'Refused requests are counted too, so a client that keeps retrying is never admitted again.',
    caughtBy: ['limits.search.refused-counted', 'load.limited'],
  },
];

/** How a limiter is built when the server runs with these flaws. */
export function limiterFlawEffects(flaws: ReadonlySet<string>): { forceFixedWindow: boolean; countRefused: boolean; forceMemoryStore: boolean } {
  return {
    forceFixedWindow: flaws.has('limit-fixed-window'),
    countRefused: flaws.has('limit-counts-rejected-forever'),
    forceMemoryStore: flaws.has('limit-per-worker'),
  };
}
