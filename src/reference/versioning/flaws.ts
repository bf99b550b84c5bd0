import type { Flaw } from '../server/flaw-types.js';

export const VERSIONING_FLAWS: Flaw[] = [
  {
    name: 'versioning-fallback',
    description: 'An unsupported API version (by URL or header) is silently served by the default version.',
    caughtBy: ['versioning.data.unsupported-url', 'versioning.data.unsupported-header'],
  },
];
