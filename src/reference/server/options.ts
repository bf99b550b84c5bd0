import type { ServerOptions as TlsServerOptions } from 'node:https';
import type { KeyScheme } from '../keys/key-format.js';
import type { MtlsOptions } from '../mtls/types.js';
import type { CorsOptions } from '../cors/cors-part.js';
import type { SecurityHeadersOptions } from '../headers/security-headers-part.js';
import type { IpRestrictionOptions } from '../ip-restriction/ip-restriction-part.js';
import type { SigningOptions } from '../signing/signing-part.js';
import type { ValidationOptions } from '../validation/validation-part.js';
import type { VersioningOptions } from '../versioning/versioning-part.js';
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
  /** Serve HTTPS with client certificates (replaces `tls`): CA chain, CRLs, mode, identity allow-list. */
  mtls?: MtlsOptions;
  flaws?: string[];
  /** How long close() waits for in-flight requests before cutting connections. */
  drainMs?: number;
  /** Rate limiting (src/reference/limiters/): the store deciding, headers, failure mode. */
  limiter?: RateLimitOptions;
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
  /** API keys on every non-public route, with scopes, and the admin API under /admin/keys. */
  keys?: ApiKeyOptions;
}

/** The API-key section: the key store (SQLite), its pepper, rotation, and how the first admin gets a key. */
export interface ApiKeyOptions {
  /** SQLite file of the key store; `:memory:` keeps keys only for the life of the server. */
  dbPath: string;
  /**
   * Server-side secret mixed into every stored hash (at least 16 bytes), kept outside the database. Required
   * for a file; for `:memory:` a random one is made.
   */
  pepper?: Buffer;
  /** How long a rotated key keeps working (default 24 h); a rotate request may ask for a shorter grace. */
  rotationGraceMs?: number;
  /** A key (in the key format) stored with scope keys:admin if it is not stored yet: how the first admin gets in. */
  bootstrapAdminKey?: string;
  /** Labels of minted keys (default `gk` and `live`: gk_live_...). */
  scheme?: KeyScheme;
  /** How often the batched lastUsedAt times are written (default 5 s; also on close). */
  lastUsedFlushMs?: number;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
}
