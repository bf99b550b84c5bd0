import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { statusSchema, type StatusExpectation } from '../http/spec.js';
import { callerSchema, type CallerSpec } from '../objects/caller.js';
import { objectRequestSchema, type ObjectRequestSpec } from '../objects/object-request.js';

export const BFLA_CASES = ['direct', 'method-override'] as const;
export type BflaCase = (typeof BFLA_CASES)[number];

export const DEFAULT_REFUSED: StatusExpectation = [401, 403, 404, 405];
export const DEFAULT_SUCCESS: StatusExpectation = '2xx';
export const DEFAULT_OVERRIDE_FROM = 'POST';
/** The headers frameworks read a tunnelled method from; the method-override case sends all three. */
export const OVERRIDE_HEADERS = ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'] as const;

export interface BflaSpec extends CheckSpecBase {
  /** The operation only a privileged caller may perform, e.g. DELETE /api/users/{id}. */
  request: ObjectRequestSpec;
  /** The ordinary caller, who lacks its scope (default: the profile's default key). */
  caller?: CallerSpec;
  /** Who creates, reads and cleans up the object (default: the profile key named admin). */
  admin?: CallerSpec;
  create?: ObjectRequestSpec;
  idPath?: string;
  objectId?: string | number;
  /** The admin's read of the object: after a DELETE attempt it must still find it. */
  read?: ObjectRequestSpec;
  cleanup?: ObjectRequestSpec;
  /** The scopes the operation requires; with the profile's keyScopes, a caller holding them all is not tested. */
  scopes?: string[];
  /** The method the caller sends with the override headers (default POST). */
  overrideFrom?: string;
  refusedStatus?: StatusExpectation;
  successStatus?: StatusExpectation;
  cases?: BflaCase[];
}

export const bflaProperties: Record<string, JsonSchema> = {
  request: objectRequestSchema('The operation only a privileged caller may perform (e.g. `DELETE /api/users/{id}`); `{id}` names an object made by create or given by objectId.'),
  caller: callerSchema('The ordinary caller, who lacks the scope the operation needs (default: the profile\'s default key).'),
  admin: callerSchema('Who creates the object, reads it and cleans it up (default: the profile key named admin).'),
  create: objectRequestSchema('The admin creates an object for the operation to act on (one per case). Needs `mutations: allowed`.'),
  idPath: {
    type: 'string',
    default: '$.id',
    description: "With `create`: JSONPath or JSON Pointer to the new object's id in its answer (default `$.id`).",
    examples: ['$.id', '/data/id'],
  },
  objectId: {
    type: ['string', 'integer'],
    description:
      'Instead of `create`: the id of an existing object. The check never changes an object it did not create: with it, only a read-only operation is tried (`direct` case).',
    examples: [7, '{{userId}}'],
  },
  read: objectRequestSchema("The admin's read of the object (e.g. `GET /api/users/{id}`): after a DELETE attempt it must still find it."),
  cleanup: objectRequestSchema('How the admin deletes each object the check created (default: the request, when it is a DELETE).'),
  scopes: {
    type: 'array',
    items: { type: 'string' },
    description: "The scopes the operation requires. When the profile's `keyScopes` says the caller holds them all, the check is skipped.",
    examples: [['users:write']],
  },
  overrideFrom: {
    type: 'string',
    pattern: '^[A-Za-z]+$',
    default: 'POST',
    description: 'The method the caller may use on the path, sent with `X-HTTP-Method-Override` (default `POST`).',
    examples: ['GET', 'POST'],
  },
  refusedStatus: { ...statusSchema, default: DEFAULT_REFUSED, description: 'What the caller must be answered (default 401, 403, 404 or 405).' },
  successStatus: { ...statusSchema, default: DEFAULT_SUCCESS, description: "The operation's success status: the method-override attempt must not get it (default 2xx)." },
  cases: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { enum: [...BFLA_CASES] },
    description: 'Run only these cases (default both).',
    examples: [[BFLA_CASES[0]]],
  },
};
