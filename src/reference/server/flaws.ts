import { KEY_FLAWS } from '../keys/key-flaws.js';
import { MTLS_FLAWS } from '../mtls/flaws.js';
import { BASIC_FLAWS } from './basic-flaws.js';
import type { Flaw } from './flaw-types.js';

export type { Flaw };

/** Every flaw of every part of the reference server; each area keeps its own list. */
export const FLAWS: Flaw[] = [...BASIC_FLAWS, ...MTLS_FLAWS, ...KEY_FLAWS];

export function flawByName(name: string): Flaw | undefined {
  return FLAWS.find((f) => f.name === name);
}
