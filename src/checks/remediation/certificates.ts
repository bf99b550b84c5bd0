import type { CheckRemediation } from '../../results/model.js';
import type { TlsProbeName } from '../tls/spec.js';
import { fix, type KindRemediation } from './types.js';

const DEMAND_CERTIFICATE = fix('Require a client certificate on the TLS handshake (not merely ask for one), and refuse the connection without it.', {
  nginx: 'ssl_verify_client on; (not optional or optional_no_ca)',
  Express: "https.createServer({ requestCert: true, rejectUnauthorized: true, ca: clientCa }, app)",
  Kong: 'mtls-auth plugin on the route (Kong Enterprise), with the client CA in config.ca_certificates',
  'AWS API Gateway': 'a custom domain with mutual TLS (truststoreUri in S3) and disableExecuteApiEndpoint: true',
});

const TRUST_ONLY_CLIENT_CA = fix('Trust only the CA that issues your client certificates for client authentication: not the system bundle, and never a self-signed certificate.', {
  nginx: 'ssl_client_certificate /etc/nginx/client-ca.pem; holding only the client CA, and ssl_verify_depth 2;',
  Express: "ca: [clientCa] in the https options, with rejectUnauthorized: true (never accept req.socket.authorized === false)",
  'AWS API Gateway': 'the mutual TLS truststore holds the client CA only',
});

const CHECK_VALIDITY = fix("Verify each client certificate's validity period: an expired or not-yet-valid certificate fails the handshake.", {
  nginx: 'ssl_verify_client on; verifies the dates (do not map $ssl_client_verify failures to success)',
  Express: "rejectUnauthorized: true; do not serve when req.socket.authorizationError is CERT_HAS_EXPIRED or CERT_NOT_YET_VALID",
  'AWS API Gateway': 'mutual TLS checks the dates itself; a Lambda authorizer must not override it',
});

export const MTLS_REMEDIATIONS: KindRemediation = {
  check: DEMAND_CERTIFICATE,
  cases: {
    valid: fix("A valid certificate from the trusted CA must be served: check that the server's client CA bundle holds the issuing CA (and intermediates), and that the identity is on the allow-list."),
    'valid-2': fix("Every allowed identity must be served: check the allow-list and the CA bundle against the profile's second identity."),
    'no-client-cert': DEMAND_CERTIFICATE,
    untrusted: TRUST_ONLY_CLIENT_CA,
    'self-signed': TRUST_ONLY_CLIENT_CA,
    expired: CHECK_VALIDITY,
    'not-yet-valid': CHECK_VALIDITY,
    revoked: fix("Load the client CA's certificate revocation list and refresh it before it expires, so a revoked certificate is refused.", {
      nginx: 'ssl_crl /etc/nginx/client-ca.crl; (reload nginx when the CRL is renewed)',
      Express: 'crl: [clientCaCrl] in the https options, refreshed with server.setSecureContext()',
      'AWS API Gateway': 'mutual TLS does not read CRLs: check the serial number in a Lambda authorizer',
    }),
    'server-eku-only': fix('Refuse certificates that are not issued for client authentication: the extended key usage must include clientAuth (1.3.6.1.5.5.7.3.2).', {
      nginx: 'ssl_verify_client on; checks the purpose: do not issue server-only certificates from the client CA',
      Express: "refuse when req.socket.getPeerCertificate().ext_key_usage lacks '1.3.6.1.5.5.7.3.2'",
    }),
    'wrong-key': fix('Authenticate clients by the TLS handshake itself, which proves the private key. A certificate forwarded in a header is trusted only from your own TLS terminator, which must overwrite that header on every request.', {
      nginx: 'proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert; (set, never passed through from the client)',
      Kong: 'strip client-supplied certificate headers with request-transformer config.remove.headers',
    }),
    'not-allowed': fix("After verifying the certificate, check its identity (subject or SAN) against the allow-list and refuse others with 403.", {
      nginx: 'map $ssl_client_s_dn $client_allowed { default 0; "CN=orders-service" 1; } and if ($client_allowed = 0) { return 403; }',
      Express: "compare req.socket.getPeerCertificate().subject.CN with the allow-list; res.sendStatus(403) otherwise",
      'AWS API Gateway': 'a Lambda authorizer reading $context.identity.clientCert.subjectDN',
    }),
  },
};

const TLS_VERSIONS = fix('Serve TLS 1.2 and TLS 1.3 only.', {
  nginx: 'ssl_protocols TLSv1.2 TLSv1.3;',
  Express: "minVersion: 'TLSv1.2' in the https options",
  Kong: 'ssl_protocols = TLSv1.2 TLSv1.3 in kong.conf',
  'AWS API Gateway': 'custom domain securityPolicy: TLS_1_2',
});

export const TLS_REMEDIATIONS: KindRemediation = {
  check: TLS_VERSIONS,
  cases: {
    chain: fix('Serve the whole certificate chain (leaf and intermediates) issued for the host name clients use.', {
      nginx: 'ssl_certificate /etc/ssl/fullchain.pem; (leaf first, then intermediates)',
      Express: 'cert: the full chain PEM, not only the leaf',
      Kong: 'upload the chain with the certificate (POST /certificates with cert holding leaf and intermediates)',
      'AWS API Gateway': 'an ACM certificate for the custom domain (ACM serves the chain)',
    }),
    expiry: fix('Renew the server certificate before it expires, automatically (ACME, ACM), and alert well ahead of expiry.'),
    'key-size': fix('Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 key.'),
    signature: fix('Reissue the certificate signed with SHA-256 or stronger (no SHA-1 or MD5 anywhere in the chain).'),
    'legacy-versions': TLS_VERSIONS,
    'modern-versions': TLS_VERSIONS,
    'client-certificate': DEMAND_CERTIFICATE,
  } satisfies Record<TlsProbeName, CheckRemediation>,
};
