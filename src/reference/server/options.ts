import type { ServerOptions as TlsServerOptions } from 'node:https';
import type { MtlsOptions } from '../mtls/types.js';

/**
 * Everything the reference server can be configured with. Each protection adds its own optional section;
 * an absent section means that protection is off.
 */
export interface ReferenceServerOptions {
  host?: string;
  port?: number;
  /** Serve HTTPS with these options (key, cert; for mTLS also ca, requestCert, crl). */
  tls?: TlsServerOptions;
  /** Serve HTTPS with client certificates (replaces `tls`): CA chain, CRLs, mode, identity allow-list. */
  mtls?: MtlsOptions;
  flaws?: string[];
  /** How long close() waits for in-flight requests before cutting connections. */
  drainMs?: number;
}
