import { corsPart } from '../cors/cors-part.js';
import { securityHeadersPart } from '../headers/security-headers-part.js';
import { ipRestrictionPart } from '../ip-restriction/ip-restriction-part.js';
import { signingPart } from '../signing/signing-part.js';
import { validationPart } from '../validation/validation-part.js';
import { versioningPart } from '../versioning/versioning-part.js';
import type { Middleware } from './http-types.js';
import type { ReferenceServerOptions } from './options.js';

/**
 * The protections in front of the routes, outermost first; a part whose options section is absent is left out.
 * Order matters: response headers first (so they are on every response, errors included), then CORS
 * (preflights are answered before authentication), versioning (it rewrites /api/v2/x to /api/x, so every later
 * part sees the real route and its metadata), client identity, source address, API keys, rate limit, then the
 * parts that need the body: request signature, body validation.
 */
export function buildParts(options: ReferenceServerOptions): Middleware[] {
  const parts: (Middleware | undefined)[] = [];
  parts.push(options.securityHeaders && securityHeadersPart(options.securityHeaders));
  parts.push(options.cors && corsPart(options.cors));
  parts.push(options.versioning && versioningPart(options.versioning));
  // client identity (mTLS) goes here
  parts.push(options.ipRestriction && ipRestrictionPart(options.ipRestriction));
  // API keys, then rate limits, go here
  parts.push(options.signing && signingPart(options.signing));
  parts.push(options.validation && validationPart(options.validation));
  return parts.filter((p): p is Middleware => p !== undefined);
}
