import type { Flaw } from '../server/flaw-types.js';

/**
 * The rate limiter's named flaws, with the built-in checks (scenarios/rate-limit.yaml, scenarios/load.yaml) that
 * catch them against the demo: a rate-limit probe each, and the flooded load check where the admitted rate shows it.
 */
export const LIMITER_FLAWS: Flaw[] = [
  {
    name: 'limit-per-worker',
    description: 'Under --workers N the memory store keeps one count per worker, so N workers admit N x the limit.',
    // The demo hands each connection to the next emulated worker: a caller's parallel connections spread over all.
    caughtBy: ['limits.search.discovery', 'limits.search.concurrency', 'load.limited'],
    inconclusive: [
      'limits.search.retry-after',
      'limits.search.boundary',
      'limits.search.refill',
      'limits.search.isolation',
      'limits.search.refused-counted',
      'limits.search.fingerprint',
      'limits.search.guessed-keys',
      'limits.search.key-placement',
      'limits.search.forwarded-for',
    ],
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
    name: 'limit-guesses-unlimited',
    description: 'A failed authentication is refused before the limiter sees it, so guessing keys is never limited.',
    caughtBy: ['limits.search.guessed-keys'],
  },
  {
    name: 'limit-keyed-on-placement',
    description: 'The bucket is keyed on where the key was sent as well as the key: X-API-Key and Bearer each get a quota.',
    caughtBy: ['limits.search.key-placement'],
  },
  {
    name: 'limit-trusts-forwarded-for',
    description: 'The bucket is keyed on the X-Forwarded-For address whenever one is sent, so a forged one resets the quota.',
    caughtBy: ['limits.search.forwarded-for'],
  },
  {
    name: 'limit-counts-rejected-forever',
    description: 'Refused requests are counted too, so a client that keeps retrying is never admitted again.',
    caughtBy: ['limits.search.refused-counted', 'load.limited'],
    // A polling client is locked out for good, so the boundary probe never sees the quota come back.
    inconclusive: ['limits.search.boundary'],
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
