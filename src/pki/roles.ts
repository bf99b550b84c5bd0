/**
 * The client certificates of the test PKI, by role. Scenarios and profiles name identities by these roles, so
 * the `mtls` check kind and `gauntlet certs` agree on them. Every negative role except `not-allowed` carries the
 * SAME identity as `valid` (subject and SAN URI): each case then differs from the positive control in exactly one
 * property, and a server can only pass it by checking that property (not by its allow-list).
 */
export const CLIENT_ROLES = [
  'valid',
  'valid-2',
  'not-allowed',
  'expired',
  'not-yet-valid',
  'revoked',
  'untrusted',
  'self-signed',
  'server-eku-only',
  'wrong-key',
] as const;

export type ClientRole = (typeof CLIENT_ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<ClientRole, string> = {
  valid: 'allowed identity, valid chain (the positive control)',
  'valid-2': 'a second allowed identity, matched by its SAN URI',
  'not-allowed': 'valid chain, identity not on the allow-list',
  expired: 'identity of valid; notAfter in the past',
  'not-yet-valid': 'identity of valid; notBefore in the future',
  revoked: 'identity of valid; serial listed in the intermediate CA CRL',
  untrusted: 'identity of valid; issued by an unrelated CA',
  'self-signed': 'identity of valid; self-signed',
  'server-eku-only': 'identity of valid; extKeyUsage serverAuth without clientAuth',
  'wrong-key': 'the certificate of valid with a private key that does not belong to it',
};

export const PKI_TRUST_DOMAIN = 'gauntlet.test';

export function clientCommonName(role: 'valid' | 'valid-2' | 'not-allowed'): string {
  return `client-${role}`;
}

export function clientUri(role: 'valid' | 'valid-2' | 'not-allowed'): string {
  return `spiffe://${PKI_TRUST_DOMAIN}/client/${role}`;
}
