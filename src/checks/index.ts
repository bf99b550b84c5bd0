import { apiKeyTimingKind } from './api-key-timing/api-key-timing.js';
import { apiKeyKind } from './api-key/api-key.js';
import { bflaKind } from './bfla/bfla.js';
import { bolaKind } from './bola/bola.js';
import { corsKind } from './cors/cors.js';
import { headersKind } from './headers/headers.js';
import { httpKind } from './http/http.js';
import { inputKind } from './input/input.js';
import { ipRestrictionKind } from './ip-restriction/ip-restriction.js';
import { loadKind } from './load/load.js';
import { methodsKind } from './methods/methods.js';
import { massAssignmentKind } from './mass-assignment/mass-assignment.js';
import { mtlsKind } from './mtls/mtls.js';
import { rateLimitKind } from './rate-limit/rate-limit.js';
import { signingKind } from './signing/signing.js';
import { tlsKind } from './tls/tls.js';
import type { CheckKind } from './types.js';
import { versioningKind } from './versioning/versioning.js';

/** Every check kind. Adding a kind is one file and one line here. */
export const CHECK_KINDS: CheckKind<any>[] = [
  httpKind,
  mtlsKind,
  tlsKind,
  apiKeyKind,
  apiKeyTimingKind,
  corsKind,
  headersKind,
  inputKind,
  versioningKind,
  signingKind,
  ipRestrictionKind,
  rateLimitKind,
  loadKind,
  methodsKind,
  bolaKind,
  bflaKind,
  massAssignmentKind,
];

export function kindByName(name: string): CheckKind<any> | undefined {
  return CHECK_KINDS.find((k) => k.kind === name);
}
