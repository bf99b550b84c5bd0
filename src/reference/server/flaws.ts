/**
 * Named flaws the reference server can run with. Each names the built-in checks expected to catch it, and
 * only those: `gauntlet demo --flaw NAME` must fail exactly that set, which proves both the flaw and the checks.
 */
export interface Flaw {
  name: string;
  description: string;
  /** Check ids (as in results, including a case suffix) that must fail with this flaw on. */
  caughtBy: string[];
}

export const FLAWS: Flaw[] = [
  {
    name: 'errors-leak-stack',
    description: 'Unknown routes answer with a stack trace and server file paths in the error body.',
    caughtBy: ['basics.not-found-problem'],
  },
];

export function flawByName(name: string): Flaw | undefined {
  return FLAWS.find((f) => f.name === name);
}
