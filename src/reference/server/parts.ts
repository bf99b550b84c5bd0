import { corsPart } from '../cors/cors-part.js';
import { securityHeadersPart } from '../headers/security-headers-part.js';
import { ipRestrictionDocument } from '../ip-restriction/ip-restriction-doc.js';
import { ipRestrictionPart } from '../ip-restriction/ip-restriction-part.js';
import { keyQuotaPart } from '../keys/key-quota-part.js';
import { authenticationGate } from '../keys/authenticate-part.js';
import { apiKeyDocument } from '../keys/keys-doc.js';
import { apiKeyPart } from '../keys/keys-part.js';
import { mtlsDocument } from '../mtls/mtls-doc.js';
import { mtlsPart } from '../mtls/mtls-part.js';
import { signingDocument } from '../signing/signing-doc.js';
import { signingPart } from '../signing/signing-part.js';
import { validationDocument } from '../validation/validation-doc.js';
import { validationPart } from '../validation/validation-part.js';
import { versioningDocument } from '../versioning/versioning-doc.js';
import { versioningPart } from '../versioning/versioning-part.js';
import { rateLimitDocument } from '../limiters/rate-limit-doc.js';
import { rateLimitPart } from '../limiters/rate-limit-part.js';
import type { Middleware } from './http-types.js';
import type { DocumentContribution } from './openapi/contribution.js';
import type { ReferenceServerOptions } from './options.js';
import type { Router } from './router.js';

/** What a part may need besides its options: the router (to add its own routes), the flaws, a close hook. */
export interface PartSetup {
  router: Router;
  flaws: ReadonlySet<string>;
  /** Called when the server closes, after in-flight requests drained (stores flush and close here). */
  onClose(close: () => void | Promise<void>): void;
  /** Adds what a part that is on says in the OpenAPI document (GET /openapi.json). */
  describe(contribution: DocumentContribution): void;
}

/**
 * The protections in front of the routes, outermost first; a part whose options section is absent is left out.
 * Order matters: response headers first (so they are on every response, errors included), then CORS
 * (preflights are answered before authentication), versioning (it rewrites /api/v2/x to /api/x, so every later
 * part sees the real route and its metadata), client identity, source address, API keys (and a key's own limit), rate limit (which also counts failed
 * authentications, per address, before the gate answers them), then the parts that need the body: request signature, body validation.
 * Each part that changes what a route answers or demands describes that in the OpenAPI document.
 */
export function buildParts(options: ReferenceServerOptions, setup: PartSetup): Middleware[] {
  describeParts(options, setup);
  const parts: (Middleware | undefined)[] = [];
  parts.push(options.securityHeaders && securityHeadersPart(options.securityHeaders));
  parts.push(options.cors && corsPart(options.cors));
  parts.push(options.versioning && versioningPart(options.versioning));
  parts.push(options.mtls ? mtlsPart(options.mtls) : undefined); // client identity
  parts.push(options.ipRestriction && ipRestrictionPart(options.ipRestriction));
  parts.push(options.keys && apiKeyPart(options.keys, setup)); // API keys and scopes
  parts.push(options.keys && keyQuotaPart(setup)); // a key's own limit (rateLimitPerMinute)
  parts.push(options.limiter ? rateLimitPart(options.limiter, setup.flaws) : undefined); // after authentication: keyed on the caller
  parts.push(options.keys && authenticationGate); // a refused authentication is answered here, once it was counted
  parts.push(options.signing && signingPart(options.signing));
  parts.push(options.validation && validationPart(options.validation));
  return parts.filter((p): p is Middleware => p !== undefined);
}

/** The document contributions of the parts that are on, in the order of the parts (security requirements list them so). */
function describeParts(options: ReferenceServerOptions, setup: PartSetup): void {
  const contributions: (DocumentContribution | undefined)[] = [
    options.versioning && versioningDocument(options.versioning),
    options.mtls && mtlsDocument(options.mtls.mode),
    options.ipRestriction && ipRestrictionDocument(options.ipRestriction),
    options.keys && apiKeyDocument(),
    options.limiter && rateLimitDocument(options.limiter),
    options.signing && signingDocument(options.signing),
    options.validation && validationDocument(),
  ];
  for (const contribution of contributions) if (contribution) setup.describe(contribution);
}
