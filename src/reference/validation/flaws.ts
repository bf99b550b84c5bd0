import type { Flaw } from '../server/flaw-types.js';

export const VALIDATION_FLAWS: Flaw[] = [
  {
    name: 'input-500-on-malformed',
    description: 'A malformed JSON body makes the parser throw out of the handler: 500 instead of 400.',
    caughtBy: ['input.user-create.malformed-json'],
  },
];
