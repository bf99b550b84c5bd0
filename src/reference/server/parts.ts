import { rateLimitPart } from '../limiters/rate-limit-part.js';
import type { Middleware } from './http-types.js';
import type { ReferenceServerOptions } from './options.js';

/**
 * The protections in front of the routes, outermost first; a part whose options section is absent is left out.
 * Order matters: response headers first (so they are on every response, errors included), then CORS
 * (preflights are answered before authentication), client identity, source address, API keys, rate limit.
 */
export function buildParts(options: ReferenceServerOptions): Middleware[] {
  const parts: (Middleware | undefined)[] = [];
  const flaws = new Set(options.flaws ?? []);
  parts.push(options.limiter ? rateLimitPart(options.limiter, flaws) : undefined);
  return parts.filter((p): p is Middleware => p !== undefined);
}
