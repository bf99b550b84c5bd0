/**
 * `required`: the TLS handshake itself refuses a client without a valid certificate (nginx `ssl_verify_client on`
 * refuses at the HTTP layer instead; both are rejections). `optional`: the server asks for a certificate, serves
 * public routes without one, and protected routes refuse requests that lack a verified certificate.
 */
export type MtlsMode = 'required' | 'optional';

/** One allowed client identity: matched by subject CN or by a SAN URI, mapped to a principal name. */
export interface AllowEntry {
  principal: string;
  commonName?: string;
  uri?: string;
}

export interface MtlsOptions {
  mode: MtlsMode;
  /** Server key and certificate chain (PEM). */
  key: string;
  cert: string;
  /** CAs trusted to issue client certificates (root and intermediate). */
  ca: string[];
  /** One CRL per CA in `ca`: once any is given, every CA of a chain must have one. */
  crl: string[];
  allow: AllowEntry[];
}

/** What the server learned about the client certificate of a connection. */
export interface ClientCertificate {
  commonName?: string;
  uris: string[];
  subject: string;
  issuer: string;
  fingerprint256: string;
  serialNumber: string;
}
