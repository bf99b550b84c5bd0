import type { BolaCase } from '../bola/spec.js';
import type { BflaCase } from '../bfla/spec.js';
import type { MassAssignmentCase } from '../mass-assignment/spec.js';
import type { ApiKeyCase } from '../api-key/spec.js';
import type { CorsCase } from '../cors/spec.js';
import type { HeadersCase } from '../headers/spec.js';
import type { InputCase } from '../input/spec.js';
import type { IpRestrictionCase } from '../ip-restriction/spec.js';
import type { Probe } from '../rate-limit/spec.js';
import type { SigningCase } from '../signing/spec.js';
import type { TlsProbeName } from '../tls/spec.js';
import type { VersioningCase } from '../versioning/spec.js';
import type { OwaspId } from './owasp.js';

/** Where a finding is filed: its OWASP API Security Top 10 (2023) category and its CWE id. */
export interface Filing {
  owasp: OwaspId;
  cwe: number;
}

/**
 * How one kind's results are filed: `cases` per case name (every case the kind can report), `check` for a result
 * that has no case (a check skipped as a whole, or a kind that reports one result). A kind that files nothing
 * (`http`: what it checks is up to the scenario) has an empty entry; its checks are filed by `owasp:` and `cwe:`.
 */
export interface KindFiling {
  check?: Filing;
  cases?: Readonly<Record<string, Filing>>;
}

const file = (owasp: OwaspId, cwe: number): Filing => ({ owasp, cwe });

const AUTHENTICATION = file('API2', 287);
const RESOURCES = file('API4', 770);
const CORS = file('API8', 942);
const CERTIFICATE = file('API2', 295);
const SIGNATURE = file('API2', 347);
const REPLAY = file('API2', 294);
const INVENTORY = file('API9', 1059);

/**
 * Every kind, and every case of every kind. A new kind adds one entry here (a test fails until it does, and
 * until each case it can report has its own line).
 */
export const KIND_FILINGS: Readonly<Record<string, KindFiling>> = {
  http: {},

  'api-key': {
    check: AUTHENTICATION,
    cases: {
      missing: file('API2', 306),
      malformed: file('API2', 20),
      unknown: AUTHENTICATION,
      revoked: AUTHENTICATION,
      expired: file('API2', 324),
      'under-scoped': file('API5', 285),
      valid: AUTHENTICATION,
      query: file('API2', 598),
      // RFC 9110 requires the challenge; its absence is a misconfiguration, not a way in.
      'www-authenticate': file('API8', 684),
      echo: file('API8', 200),
      'no-stack-trace': file('API8', 209),
      // Fails when the key listing shows keys in plaintext.
      create: file('API2', 522),
      rotation: file('API2', 324),
      revocation: AUTHENTICATION,
    } satisfies Record<ApiKeyCase, Filing>,
  },

  'api-key-timing': { check: file('API2', 208) },

  mtls: {
    check: CERTIFICATE,
    cases: {
      valid: CERTIFICATE,
      'valid-2': CERTIFICATE,
      'no-client-cert': file('API2', 306),
      untrusted: CERTIFICATE,
      'self-signed': CERTIFICATE,
      expired: file('API2', 298),
      'not-yet-valid': file('API2', 298),
      revoked: file('API2', 299),
      'server-eku-only': CERTIFICATE,
      'wrong-key': CERTIFICATE,
      'not-allowed': file('API2', 285),
    },
  },

  tls: {
    check: file('API8', 295),
    cases: {
      chain: file('API8', 295),
      expiry: file('API8', 324),
      'key-size': file('API8', 326),
      signature: file('API8', 327),
      'legacy-versions': file('API8', 327),
      'modern-versions': file('API8', 326),
      'client-certificate': CERTIFICATE,
    } satisfies Record<TlsProbeName, Filing>,
  },

  cors: {
    check: CORS,
    cases: {
      'allowed-origin': CORS,
      'no-origin': CORS,
      'arbitrary-origin': CORS,
      'null-origin': CORS,
      'prefix-origin': CORS,
      'suffix-origin': CORS,
      'substring-origin': CORS,
      'unescaped-dot-origin': CORS,
      'subdomain-origin': CORS,
      'http-downgrade': CORS,
      'special-characters': CORS,
      'third-party-hosting': CORS,
      wildcard: CORS,
      'wildcard-credentials': CORS,
      'preflight-method-reflection': CORS,
      'preflight-header-reflection': CORS,
      'vary-origin': CORS,
    } satisfies Record<CorsCase, Filing>,
  },

  headers: {
    check: file('API8', 693),
    cases: {
      success: file('API8', 693),
      unauthorized: file('API8', 693),
      'not-found': file('API8', 693),
      'rate-limited': file('API8', 693),
      hsts: file('API8', 319),
      'hsts-max-age': file('API8', 319),
      'no-version-leak': file('API8', 497),
    } satisfies Record<HeadersCase, Filing>,
  },

  input: {
    check: file('API8', 20),
    cases: {
      'valid-body': file('API8', 20),
      'malformed-json': file('API8', 20),
      'oversized-body': RESOURCES,
      'wrong-content-type': file('API8', 20),
      'deep-nesting': file('API4', 674),
      // Privilege fields (isAdmin, role) a client should not set: mass assignment.
      'unexpected-fields': file('API3', 915),
      'invalid-fields': file('API8', 20),
    } satisfies Record<InputCase, Filing>,
  },

  versioning: {
    check: INVENTORY,
    cases: {
      url: INVENTORY,
      header: INVENTORY,
      default: INVENTORY,
      'unsupported-url': INVENTORY,
      'unsupported-header': INVENTORY,
    } satisfies Record<VersioningCase, Filing>,
  },

  signing: {
    check: SIGNATURE,
    cases: {
      valid: SIGNATURE,
      unsigned: SIGNATURE,
      'tampered-body': SIGNATURE,
      'tampered-path': SIGNATURE,
      'tampered-query': SIGNATURE,
      'stale-timestamp': REPLAY,
      'future-timestamp': REPLAY,
      'replayed-nonce': REPLAY,
    } satisfies Record<SigningCase, Filing>,
  },

  'ip-restriction': {
    check: file('API5', 285),
    cases: {
      'allowed-source': file('API5', 285),
      'outside-source': file('API5', 285),
      'spoofed-forwarded-for': file('API5', 290),
    } satisfies Record<IpRestrictionCase, Filing>,
  },

  'rate-limit': {
    check: RESOURCES,
    cases: {
      discovery: RESOURCES,
      'retry-after': RESOURCES,
      'header-truth': RESOURCES,
      boundary: RESOURCES,
      refill: RESOURCES,
      // One client starving another, or a retrying client locked out: a denial of service, not a missing limit.
      isolation: file('API4', 400),
      'refused-counted': file('API4', 400),
      concurrency: RESOURCES,
      replicas: RESOURCES,
      fingerprint: RESOURCES,
      'guessed-keys': file('API2', 307),
      'key-placement': RESOURCES,
      'forwarded-for': file('API4', 348),
    } satisfies Record<Probe, Filing>,
  },

  load: { check: file('API4', 400) },

  // Another owner's object read, changed or deleted.
  bola: { check: file('API1', 639), cases: { read: file('API1', 639), update: file('API1', 639), delete: file('API1', 639) } satisfies Record<BolaCase, Filing> },

  // An admin function served to an ordinary caller, directly or tunnelled through a method-override header.
  bfla: { check: file('API5', 285), cases: { direct: file('API5', 285), 'method-override': file('API5', 285) } satisfies Record<BflaCase, Filing> },

  // Properties the client must not set stored anyway; properties a response should not carry returned anyway.
  'mass-assignment': {
    check: file('API3', 915),
    cases: { create: file('API3', 915), update: file('API3', 915), 'undeclared-properties': file('API3', 213) } satisfies Record<MassAssignmentCase, Filing>,
  },

  // A method the documentation does not declare is a function nobody inventoried; TRACE echoes requests back.
  methods: {
    check: file('API9', 749),
    cases: { get: file('API9', 749), post: file('API9', 749), put: file('API9', 749), patch: file('API9', 749), delete: file('API9', 749), trace: file('API8', 749) },
  },
};
