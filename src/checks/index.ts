import { apiKeyTimingKind } from './api-key-timing/api-key-timing.js';
import { apiKeyKind } from './api-key/api-key.js';
import { httpKind } from './http/http.js';
import { loadKind } from './load/load.js';
import { mtlsKind } from './mtls/mtls.js';
import { tlsKind } from './tls/tls.js';
import type { CheckKind } from './types.js';

/** Every check kind. Adding a kind is one file and one line here. */
export const CHECK_KINDS: CheckKind<any>[] = [httpKind, mtlsKind, tlsKind, apiKeyKind, apiKeyTimingKind, loadKind];

export function kindByName(name: string): CheckKind<any> | undefined {
  return CHECK_KINDS.find((k) => k.kind === name);
}
