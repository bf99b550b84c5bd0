import { API_KEY_REMEDIATIONS, API_KEY_TIMING_REMEDIATIONS, SIGNING_REMEDIATIONS } from './authentication.js';
import { BFLA_REMEDIATIONS, BOLA_REMEDIATIONS, IP_RESTRICTION_REMEDIATIONS, MASS_ASSIGNMENT_REMEDIATIONS, METHODS_REMEDIATIONS } from './authorization.js';
import { CORS_REMEDIATIONS, HEADERS_REMEDIATIONS } from './browser-facing.js';
import { MTLS_REMEDIATIONS, TLS_REMEDIATIONS } from './certificates.js';
import { HTTP_REMEDIATIONS, INPUT_REMEDIATIONS, VERSIONING_REMEDIATIONS } from './requests.js';
import { LOAD_REMEDIATIONS, RATE_LIMIT_REMEDIATIONS } from './resources.js';
import type { KindRemediation } from './types.js';

/**
 * What to change, for every kind and every case of every kind, keyed like KIND_FILINGS. A new kind or case adds
 * its line here too (a unit test fails until it does).
 */
export const KIND_REMEDIATIONS: Readonly<Record<string, KindRemediation>> = {
  http: HTTP_REMEDIATIONS,
  'api-key': API_KEY_REMEDIATIONS,
  'api-key-timing': API_KEY_TIMING_REMEDIATIONS,
  mtls: MTLS_REMEDIATIONS,
  tls: TLS_REMEDIATIONS,
  cors: CORS_REMEDIATIONS,
  headers: HEADERS_REMEDIATIONS,
  input: INPUT_REMEDIATIONS,
  versioning: VERSIONING_REMEDIATIONS,
  signing: SIGNING_REMEDIATIONS,
  'ip-restriction': IP_RESTRICTION_REMEDIATIONS,
  'rate-limit': RATE_LIMIT_REMEDIATIONS,
  load: LOAD_REMEDIATIONS,
  bola: BOLA_REMEDIATIONS,
  bfla: BFLA_REMEDIATIONS,
  'mass-assignment': MASS_ASSIGNMENT_REMEDIATIONS,
  methods: METHODS_REMEDIATIONS,
};
