import { apiKeyPart } from '../keys/keys-part.js';
import { mtlsPart } from '../mtls/mtls-part.js';
import type { Middleware } from './http-types.js';
import type { ReferenceServerOptions } from './options.js';
import type { Router } from './router.js';

/** What a part may need besides its options: the router (to add its own routes), the flaws, a close hook. */
export interface PartSetup {
  router: Router;
  flaws: ReadonlySet<string>;
  /** Called when the server closes, after in-flight requests drained (stores flush and close here). */
  onClose(close: () => void | Promise<void>): void;
}

/**
 * The protections in front of the routes, outermost first; a part whose options section is absent is left out.
 * Order matters: response headers first (so they are on every response, errors included), then CORS
 * (preflights are answered before authentication), client identity, source address, API keys, rate limit.
 */
export function buildParts(options: ReferenceServerOptions, setup: PartSetup): Middleware[] {
  const parts: (Middleware | undefined)[] = [];
  parts.push(options.mtls ? mtlsPart(options.mtls) : undefined); // client identity
  parts.push(options.keys && apiKeyPart(options.keys, setup)); // API keys and scopes
  return parts.filter((p): p is Middleware => p !== undefined);
}
