import { CORS_FLAWS } from '../cors/flaws.js';
import { HEADERS_FLAWS } from '../headers/flaws.js';
import { IP_RESTRICTION_FLAWS } from '../ip-restriction/flaws.js';
import { KEY_FLAWS } from '../keys/key-flaws.js';
import { LIMITER_FLAWS } from '../limiters/flaws.js';
import { MTLS_FLAWS } from '../mtls/flaws.js';
import { SIGNING_FLAWS } from '../signing/flaws.js';
import { VALIDATION_FLAWS } from '../validation/flaws.js';
import { VERSIONING_FLAWS } from '../versioning/flaws.js';
import { AUTHZ_FLAWS } from './authz-flaws.js';
import { BASIC_FLAWS } from './basic-flaws.js';
import type { Flaw } from './flaw-types.js';

export type { Flaw };

/** Every flaw of every part of the reference server; each area keeps its own list. */
export const FLAWS: Flaw[] = [
  ...BASIC_FLAWS,
  ...MTLS_FLAWS,
  ...KEY_FLAWS,
  ...CORS_FLAWS,
  ...HEADERS_FLAWS,
  ...VALIDATION_FLAWS,
  ...VERSIONING_FLAWS,
  ...SIGNING_FLAWS,
  ...IP_RESTRICTION_FLAWS,
  ...LIMITER_FLAWS,
  ...AUTHZ_FLAWS,
];

export function flawByName(name: string): Flaw | undefined {
  return FLAWS.find((f) => f.name === name);
}
