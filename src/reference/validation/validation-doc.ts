import type { DocumentContribution } from '../server/openapi/contribution.js';

/** Body validation in the OpenAPI document: what it refuses on every route that declares a body schema. */
export function validationDocument(): DocumentContribution {
  return {
    operation(draft) {
      if (!draft.route.meta.body) return;
      draft.respond(400, { description: 'A field is invalid, unexpected or read-only, or the body nests too deeply.' });
      draft.respond(415, { description: 'The body is not application/json in UTF-8.' });
    },
  };
}
