import type { Flaw } from './flaw-types.js';

export const BASIC_FLAWS: Flaw[] = [
  {
    name: 'errors-leak-stack',
    description: 'Unknown routes answer with a stack trace and server file paths in the error body.',
    caughtBy: ['basics.not-found-problem'],
  },
];
