import type { DocumentContribution } from '../server/openapi/contribution.js';
import type { ResponseHeader } from '../server/openapi/types.js';
import { HEADER_STYLES, policyHeader, type HeaderStyle } from './headers.js';
import type { RateLimitOptions } from './rate-limit-part.js';

const text = { type: 'string' };
const seconds = { type: 'integer', minimum: 0 };

const STYLE_HEADERS: Record<HeaderStyle, Record<string, ResponseHeader>> = {
  draft: {
    RateLimit: { description: 'What is left of the deciding quota: "policy";r=remaining;t=seconds until it is whole again.', schema: text, required: true },
    'RateLimit-Policy': { description: 'The quotas: "policy";q=requests;w=window in seconds.', schema: text, required: true },
  },
  legacy: {
    'X-RateLimit-Limit': { description: 'Requests allowed in the window.', schema: seconds, required: true },
    'X-RateLimit-Remaining': { description: 'Requests left in the window.', schema: seconds, required: true },
    'X-RateLimit-Reset': { description: 'When the window is whole again (Unix time, seconds).', schema: seconds, required: true },
  },
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before a retry is admitted.', schema: { type: 'integer', minimum: 1 }, required: true } };

/**
 * The rate limiter in the OpenAPI document: on every route it covers (not public, under one of its paths), the
 * rate-limit headers it sends on success and its 429 with Retry-After; a 503 when it fails closed.
 */
export function rateLimitDocument(options: RateLimitOptions): DocumentContribution {
  const headers: Record<string, ResponseHeader> = Object.assign({}, ...(options.headers ?? HEADER_STYLES).map((style) => STYLE_HEADERS[style]));
  // The policy never changes between answers: its value is the example, so a reader of the document knows the limit.
  if (headers['RateLimit-Policy']) headers['RateLimit-Policy'] = { ...headers['RateLimit-Policy'], example: policyHeader(options.limiter.policies) };
  return {
    operation(draft) {
      const { meta, pattern } = draft.route;
      if (meta.public || (options.paths && !options.paths.some((prefix) => pattern.startsWith(prefix)))) return;
      draft.headersOnSuccess(headers);
      draft.respond(429, { description: 'The rate limit is reached: retry after the time given.', headers: { ...headers, ...RETRY_AFTER } });
      if (options.failureMode === 'closed') draft.respond(503, { description: 'The rate limiter cannot decide right now.', headers: RETRY_AFTER });
    },
  };
}
