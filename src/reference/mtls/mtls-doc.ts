import type { DocumentContribution } from '../server/openapi/contribution.js';
import type { MtlsMode } from './types.js';

/**
 * Client certificates in the OpenAPI document: a mutualTLS scheme, required (with whatever else the route needs)
 * on every route it guards: all of them in `required` mode, where the handshake refuses a client without a
 * certificate, the routes that are not public in `optional` mode.
 */
export function mtlsDocument(mode: MtlsMode): DocumentContribution {
  return {
    securitySchemes: {
      mutualTLS: { type: 'mutualTLS', description: `A client certificate from the server's CA, its identity on the allow-list (mode ${mode}).` },
    },
    operation(draft) {
      const guarded = !draft.route.meta.public;
      if (guarded || mode === 'required') draft.require('mutualTLS');
      if (guarded) {
        const absent = mode === 'optional' ? 'No verified client certificate, or one' : 'A client certificate';
        draft.respond(403, { description: `${absent} whose identity is not on the allow-list.` });
      }
      if (mode === 'optional') draft.respond(400, { description: 'The client certificate sent does not verify.' });
    },
  };
}
