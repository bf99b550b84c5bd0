import type { DocumentContribution } from '../server/openapi/contribution.js';
import type { IpRestrictionOptions } from './ip-restriction-part.js';

/** The source-address allow-list in the OpenAPI document: its refusal on the routes it restricts. */
export function ipRestrictionDocument(options: IpRestrictionOptions): DocumentContribution {
  return {
    operation(draft) {
      if (!draft.route.meta.sourceRestricted) return;
      draft.respond(options.status ?? 403, { description: 'The source address is not on the allow-list.' });
      draft.note('Only allow-listed source addresses may call it.');
    },
  };
}
