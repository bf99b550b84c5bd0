import type { Flaw } from '../server/flaw-types.js';

/**
 * The rate limiter's named flaws. They are implemented (and shown by this area's tests), but not yet in the
 * server's FLAWS registry: the registry names the checks that catch each flaw, and the rate-limit checks are
 * issue 6's. Issue 6 registers them (filling caughtBy) when it adds those checks; until then the server accepts
 * them through PENDING_FLAWS.
 */
export const LIMITER_FLAWS: Flaw[] = [
  {
    name: 'limit-per-worker',
    description: 'Under --workers N the memory store keeps one count per worker, so N workers admit N x the limit.',
    caughtBy: [],
  },
  {
    name: 'limit-no-retry-after',
    description: '429 responses carry no Retry-After header.',
    caughtBy: [],
  },
  {
    name: 'limit-headers-lie',
    description: 'RateLimit and X-RateLimit-Remaining always report the full limit: remaining is never decremented.',
    caughtBy: [],
  },
  {
    name: 'limit-fixed-window',
    description: 'A clock-aligned fixed window decides whatever algorithm was configured: 2N pass across a boundary.',
    caughtBy: [],
  },
  {
    name: 'limit-counts-rejected-forever',
    description: 'Refused requests are counted too, so a client that keeps retrying is never admitted again.',
    caughtBy: [],
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
