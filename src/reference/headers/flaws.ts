import type { Flaw } from '../server/flaw-types.js';

export const HEADERS_FLAWS: Flaw[] = [
  {
    name: 'headers-missing-hsts',
    description: 'HTTPS responses carry no Strict-Transport-Security header.',
    caughtBy: ['headers.api.hsts'],
    observableOver: 'https',
  },
  {
    name: 'headers-weak-hsts',
    description: 'HSTS max-age is one day, far below the six months browsers and scanners expect.',
    caughtBy: ['headers.api.hsts-max-age'],
    observableOver: 'https',
  },
  {
    name: 'headers-server-version',
    description: 'Every response names the server software and its version in the Server header.',
    caughtBy: ['headers.api.no-version-leak'],
  },
  {
    name: 'headers-only-on-success',
    description: 'Security headers are sent on successful responses only; errors go out without them.',
    caughtBy: ['headers.api.not-found', 'headers.api.unauthorized', 'headers.limited.rate-limited'],
  },
];
