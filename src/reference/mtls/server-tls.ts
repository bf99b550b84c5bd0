import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { MtlsOptions } from './types.js';

/** Flaws that need the handshake to let bad certificates through, so the HTTP layer can (mis)judge them. */
const LENIENT_HANDSHAKE_FLAWS = ['mtls-no-client-cert-check', 'mtls-accept-any-ca', 'mtls-accept-expired'];

/**
 * The HTTPS options of the reference server: from its mTLS section (client certificates requested and verified
 * against the CA chain and CRLs, TLS 1.2 minimum) or its plain `tls` section, then the TLS flaws applied.
 */
export function serverTlsOptions(
  options: { tls?: HttpsServerOptions; mtls?: MtlsOptions },
  flaws: ReadonlySet<string>,
): HttpsServerOptions | undefined {
  let tls = options.mtls ? mtlsServerOptions(options.mtls, flaws) : options.tls;
  if (tls && flaws.has('tls-allow-tls1')) {
    // OpenSSL 3 disables TLS 1.0/1.1 below security level 0; the flaw is a server configured back down to it.
    tls = { ...tls, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' };
  }
  return tls;
}

function mtlsServerOptions(mtls: MtlsOptions, flaws: ReadonlySet<string>): HttpsServerOptions {
  const lenient = mtls.mode === 'optional' || LENIENT_HANDSHAKE_FLAWS.some((f) => flaws.has(f));
  return {
    key: mtls.key,
    cert: mtls.cert,
    ca: mtls.ca,
    crl: flaws.has('mtls-ignore-crl') ? undefined : mtls.crl,
    requestCert: true,
    // Required mode refuses at the handshake; otherwise the mTLS part judges the verification result per request.
    rejectUnauthorized: !lenient,
    minVersion: 'TLSv1.2',
  };
}
