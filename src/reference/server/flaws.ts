import { LIMITER_FLAWS } from '../limiters/flaws.js';
import { BASIC_FLAWS } from './basic-flaws.js';
import type { Flaw } from './flaw-types.js';

export type { Flaw };

/** Every flaw of every part of the reference server; each area keeps its own list. */
export const FLAWS: Flaw[] = [...BASIC_FLAWS];

/**
 * Flaws the server implements whose catching checks do not exist yet: accepted by --flaw, listed, but not in
 * FLAWS (whose every entry the demo test runs and requires exactly its caughtBy to fail).
 */
export const PENDING_FLAWS: Flaw[] = [...LIMITER_FLAWS];

export function flawByName(name: string): Flaw | undefined {
  return FLAWS.find((f) => f.name === name) ?? PENDING_FLAWS.find((f) => f.name === name);
}
