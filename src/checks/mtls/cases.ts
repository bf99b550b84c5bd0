import type { ClientRole } from '../../pki/roles.js';

/** One case of the mTLS matrix: the identity role it presents (none for no certificate) and what must happen. */
export interface MtlsCase {
  name: string;
  role?: ClientRole;
  expect: 'accepted' | 'rejected';
  title: string;
}

/** Positive controls first: the protected body they receive tells the negative cases what "served" looks like. */
export const MTLS_CASES: readonly MtlsCase[] = [
  { name: 'valid', role: 'valid', expect: 'accepted', title: 'a valid, allowed client certificate is accepted' },
  { name: 'valid-2', role: 'valid-2', expect: 'accepted', title: 'a second allowed client certificate is accepted' },
  { name: 'no-client-cert', expect: 'rejected', title: 'a request without a client certificate is rejected' },
  { name: 'untrusted', role: 'untrusted', expect: 'rejected', title: 'a client certificate from an untrusted CA is rejected' },
  { name: 'self-signed', role: 'self-signed', expect: 'rejected', title: 'a self-signed client certificate is rejected' },
  { name: 'expired', role: 'expired', expect: 'rejected', title: 'an expired client certificate is rejected' },
  { name: 'not-yet-valid', role: 'not-yet-valid', expect: 'rejected', title: 'a client certificate that is not yet valid is rejected' },
  { name: 'revoked', role: 'revoked', expect: 'rejected', title: 'a revoked client certificate is rejected' },
  { name: 'server-eku-only', role: 'server-eku-only', expect: 'rejected', title: 'a certificate without the clientAuth key usage is rejected' },
  { name: 'wrong-key', role: 'wrong-key', expect: 'rejected', title: 'a certificate presented without its private key is rejected' },
  { name: 'not-allowed', role: 'not-allowed', expect: 'rejected', title: 'a valid certificate whose identity is not allowed is rejected' },
];

export const MTLS_CASE_NAMES = MTLS_CASES.map((c) => c.name);
