import type { Flaw } from '../server/flaw-types.js';

export const IP_RESTRICTION_FLAWS: Flaw[] = [
  {
    name: 'ip-restriction-ignored',
    description: 'The source-address allow-list is not enforced: the admin route answers any address.',
    caughtBy: ['ip-restriction.admin-stats.outside-source', 'ip-restriction.admin-stats.spoofed-forwarded-for'],
  },
];
