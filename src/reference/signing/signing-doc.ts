import { DEFAULT_SIGNATURE_HEADERS } from '../../signing/canonical.js';
import type { DocumentContribution } from '../server/openapi/contribution.js';
import type { SigningOptions } from './signing-part.js';

/**
 * Request signatures in the OpenAPI document. OpenAPI has no scheme for an HMAC over the request, so the signed
 * routes say it in words, with the answers the signing part gives.
 */
export function signingDocument(options: SigningOptions): DocumentContribution {
  const names = Object.values(options.headers ?? DEFAULT_SIGNATURE_HEADERS).join(', ');
  return {
    operation(draft) {
      if (!draft.route.meta.signed) return;
      draft.note(`The request must be signed (HMAC-SHA256 over method, path, query, body, timestamp and nonce) in ${names}.`);
      draft.respond(401, {
        description: 'The request signature is missing, invalid, stale or replayed.',
        headers: { 'WWW-Authenticate': { description: 'The HMAC-SHA256 challenge.', schema: { type: 'string' }, required: true } },
      });
      draft.respond(413, { description: 'The body is larger than the server hashes.' });
      draft.respond(503, {
        description: 'Too many recent nonces to remember another: retry shortly.',
        headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 }, required: true } },
      });
    },
  };
}
