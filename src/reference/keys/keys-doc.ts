import type { DocumentContribution } from '../server/openapi/contribution.js';

const CHALLENGE = { 'WWW-Authenticate': { description: 'An RFC 6750 Bearer challenge saying what is wrong.', schema: { type: 'string' }, required: true } };

/**
 * The API-key part in the OpenAPI document: an apiKey scheme in X-API-Key, and on every route that is not public
 * a requirement naming the scopes the key needs (OpenAPI 3.1 allows role names for apiKey schemes; x-scopes
 * repeats them for tools that read only oauth2 scopes), its 401 and, where scopes are needed, its 403.
 */
export function apiKeyDocument(): DocumentContribution {
  return {
    securitySchemes: {
      apiKey: {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'An API key, also accepted as Authorization: Bearer, refused in the query string. Each operation lists the scopes the key needs.',
      },
    },
    operation(draft) {
      const meta = draft.route.meta;
      if (meta.public) return;
      const scopes = meta.scopes ?? [];
      draft.require('apiKey', scopes);
      draft.extensions['x-scopes'] = scopes;
      draft.respond(401, { description: 'No API key, or one that is malformed, unknown, revoked or expired.', headers: CHALLENGE });
      if (scopes.length) draft.respond(403, { description: `The API key lacks a scope this route needs (${scopes.join(', ')}).`, headers: CHALLENGE });
    },
  };
}
