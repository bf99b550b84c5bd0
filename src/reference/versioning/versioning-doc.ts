import type { DocumentContribution } from '../server/openapi/contribution.js';
import type { VersioningOptions } from './versioning-part.js';

/**
 * API versions in the OpenAPI document: on every /api route, the version header it reads and answers with, and its
 * 400 for a version it does not serve. (The /api/vN/... spelling of each path is the same operation.)
 */
export function versioningDocument(options: VersioningOptions): DocumentContribution {
  const header = options.header ?? 'API-Version';
  const schema = { type: 'string', enum: options.versions, default: options.defaultVersion ?? options.versions[0] };
  return {
    operation(draft) {
      const pattern = draft.route.pattern;
      if (pattern !== '/api' && !pattern.startsWith('/api/')) return;
      draft.parameter({ name: header, in: 'header', required: false, description: 'The API version to use (also /api/v{N}/... in the path).', schema });
      draft.headersOnSuccess({ [header]: { description: 'The API version that answered.', schema, required: true } });
      draft.respond(400, { description: 'The API version is not served, or the path and header disagree.' });
    },
  };
}
