import type { ServerOptions as TlsServerOptions } from 'node:https';
import type { CorsOptions } from '../cors/cors-part.js';
import type { SecurityHeadersOptions } from '../headers/security-headers-part.js';
import type { IpRestrictionOptions } from '../ip-restriction/ip-restriction-part.js';
import type { SigningOptions } from '../signing/signing-part.js';
import type { ValidationOptions } from '../validation/validation-part.js';
import type { VersioningOptions } from '../versioning/versioning-part.js';

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
  /** Security response headers on every response. */
  securityHeaders?: SecurityHeadersOptions;
  /** CORS with an exact origin allow-list. */
  cors?: CorsOptions;
  /** API versions by URL (/api/v2/...) and by header. */
  versioning?: VersioningOptions;
  /** Source-address allow-list for routes marked sourceRestricted. */
  ipRestriction?: IpRestrictionOptions;
  /** HMAC request signatures for routes marked signed. */
  signing?: SigningOptions;
  /** JSON body validation for routes that declare a body schema. */
  validation?: ValidationOptions;
}
