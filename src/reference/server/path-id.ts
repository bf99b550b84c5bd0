import type { RequestContext } from './http-types.js';
import type { JsonSchema, RouteResponse } from './openapi/types.js';
import { sendProblem } from './respond.js';

/** The schema of an `:id` segment of the API's own resources. */
export const ID_PARAM: JsonSchema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };

export const invalidId = (resource: string): RouteResponse => ({ description: `The ${resource} id is not a positive integer.` });

/** The route's `:id` as a positive integer, or undefined once a 400 was sent. */
export function pathId(ctx: RequestContext, resource: string): number | undefined {
  const id = Number(ctx.params.id);
  if (!Number.isSafeInteger(id) || id < 1) {
    sendProblem(ctx.res, 400, `Invalid ${resource} id`, `the ${resource} id must be a positive integer`);
    return undefined;
  }
  return id;
}
