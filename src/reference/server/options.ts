import type { ServerOptions as TlsServerOptions } from 'node:https';
import type { RateLimitOptions } from '../limiters/rate-limit-part.js';

/**
 * Everything the reference server can be configured with. Each protection adds its own optional section;
 * an absent section means that protection is off.
 */
export interface ReferenceServerOptions {
  host?: string;
  port?: number;
  /** Serve HTTPS with these options (key, cert; for mTLS also ca, requestCert, crl). */
  tls?: TlsServerOptions;
  flaws?: string[];
  /** How long close() waits for in-flight requests before cutting connections. */
  drainMs?: number;
  /** Rate limiting (src/reference/limiters/): the store deciding, headers, failure mode. */
  limiter?: RateLimitOptions;
}
