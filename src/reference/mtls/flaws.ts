import type { Flaw } from '../server/flaw-types.js';

/**
 * The mTLS and TLS flaws. Each is narrow on purpose, so that exactly the cases named here fail:
 * - accept-any-ca ignores an unknown issuer (OpenSSL's "unable to get issuer" family, as nginx's
 *   `optional_no_ca` does), but a self-signed leaf still fails (no CRL can exist for it), so the self-signed case
 *   keeps passing;
 * - no-client-cert-check serves a connection without a certificate (the server still asks for one), which the
 *   matrix sees as a served request and the handshake probe sees as an optional certificate: two witnesses.
 */
export const MTLS_FLAWS: Flaw[] = [
  {
    name: 'mtls-no-client-cert-check',
    description: 'Requests without a client certificate are served (the server asks for one but does not insist).',
    caughtBy: ['mtls.client-certs.no-client-cert', 'mtls.handshake.client-certificate'],
  },
  {
    name: 'mtls-accept-any-ca',
    description: 'Client certificates issued by an unknown CA are accepted.',
    caughtBy: ['mtls.client-certs.untrusted'],
  },
  {
    name: 'mtls-ignore-crl',
    description: 'The CRLs are not loaded, so a revoked client certificate is accepted.',
    caughtBy: ['mtls.client-certs.revoked'],
  },
  {
    name: 'mtls-accept-expired',
    description: 'An expired client certificate is accepted.',
    caughtBy: ['mtls.client-certs.expired'],
  },
  {
    name: 'mtls-ignore-allowlist',
    description: 'Any verified client certificate is served, whether or not its identity is on the allow-list.',
    caughtBy: ['mtls.client-certs.not-allowed'],
  },
  {
    name: 'tls-allow-tls1',
    description: 'The server accepts TLS 1.0 and TLS 1.1 (minVersion TLSv1, OpenSSL security level 0).',
    caughtBy: ['tls.server.legacy-versions'],
  },
];
