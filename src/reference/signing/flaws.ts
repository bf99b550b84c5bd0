import type { Flaw } from '../server/flaw-types.js';

export const SIGNING_FLAWS: Flaw[] = [
  {
    name: 'signing-no-timestamp-check',
    description: 'Signed requests are accepted whatever their timestamp: no clock-skew window.',
    caughtBy: ['signing.user-update.stale-timestamp', 'signing.user-update.future-timestamp'],
  },
  {
    name: 'signing-replay',
    description: 'Nonces are not remembered, so a captured signed request can be replayed.',
    caughtBy: ['signing.user-update.replayed-nonce'],
  },
];
