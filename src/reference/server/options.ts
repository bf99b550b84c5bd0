import type { ServerOptions as TlsServerOptions } from 'node:https';
import type { KeyScheme } from '../keys/key-format.js';
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
