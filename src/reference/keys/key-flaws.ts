import type { Flaw } from '../server/flaw-types.js';

/**
 * Ways the API-key part can be wrong, each with the built-in checks that catch it. Ignoring expiry also
 * keeps a rotated key alive past its grace period (rotation ends the old key by setting its expiry), and
 * ignoring revocation also fails the lifecycle's revocation probe: those pairs are one mistake seen twice.
 */
export const KEY_FLAWS: Flaw[] = [
  {
    name: 'keys-scope-ignored',
    description: 'A valid key is accepted on a route whatever its scopes (under-scoped -> 200).',
    caughtBy: ['keys.matrix.under-scoped'],
    caughtByOpenApi: ['*.keys.under-scoped', '*.bfla.direct'],
  },
  {
    name: 'keys-scope-401',
    description: 'A valid key without the route\'s scope gets 401 (as if unknown) instead of 403.',
    caughtBy: ['keys.matrix.under-scoped'],
    caughtByOpenApi: ['*.keys.under-scoped'],
  },
  {
    name: 'keys-revocation-ignored',
    description: 'Revoking a key records the time but the key keeps working.',
    caughtBy: ['keys.matrix.revoked', 'keys.matrix.revocation'],
    caughtByOpenApi: ['*.keys.revoked'],
  },
  {
    name: 'keys-expiry-ignored',
    description: 'Expiry times are recorded but never checked: expired keys, and rotated keys past their grace, keep working.',
    caughtBy: ['keys.matrix.expired', 'keys.matrix.rotation'],
    caughtByOpenApi: ['*.keys.expired'],
  },
  {
    name: 'keys-query-accepted',
    description: 'A key in the query string (?api_key=) is accepted, so keys end up in URLs and logs.',
    caughtBy: ['keys.matrix.query'],
    caughtByOpenApi: ['*.keys.query'],
  },
  {
    name: 'keys-echo',
    description: 'A refused key is echoed back in the 401 problem document.',
    caughtBy: ['keys.matrix.echo'],
    caughtByOpenApi: ['*.keys.echo'],
  },
  {
    name: 'keys-timing-leak',
    description: 'Keys are found by their non-secret prefix and then checked with a slow hash, so guesses sharing a real prefix answer measurably later.',
    caughtBy: ['keys.timing'],
  },
];
