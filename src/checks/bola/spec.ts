import type { Severity } from '../../results/model.js';
import { severitiesSchema } from '../cases.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { statusSchema, type StatusExpectation } from '../http/spec.js';
import { callerSchema, type CallerSpec } from '../objects/caller.js';
import { objectRequestSchema, type ObjectRequestSpec } from '../objects/object-request.js';

/** What the intruder tries on the owner's object, in the order they run (delete last: it may end the object). */
export const BOLA_CASES = ['read', 'update', 'delete'] as const;
export type BolaCase = (typeof BOLA_CASES)[number];

export const DEFAULT_REFUSED: StatusExpectation = [403, 404];

export interface BolaSpec extends CheckSpecBase {
  /** The object's owner (default: the profile's default key). */
  owner?: CallerSpec;
  /** Another owner, who must be refused the owner's object. */
  intruder: CallerSpec;
  /** The owner creates the object with this request; without it, `objectId` names an existing object. */
  create?: ObjectRequestSpec;
  /** Where the new object's id is in the create's answer (default $.id). */
  idPath?: string;
  /** The id of an existing object of the owner, instead of create (then only the read case runs). */
  objectId?: string | number;
  /** The owner's read of the object: the control before each case, and the proof after an update or delete. */
  read: ObjectRequestSpec;
  update?: ObjectRequestSpec;
  delete?: ObjectRequestSpec;
  /** How the owner deletes what the check created (default: the delete request). */
  cleanup?: ObjectRequestSpec;
  /** What counts as the intruder refused (default 403 or 404). */
  refusedStatus?: StatusExpectation;
  severities?: Partial<Record<BolaCase, Severity>>;
}

export const bolaProperties: Record<string, JsonSchema> = {
  owner: callerSchema("The object's owner (default: the profile's default key)."),
  intruder: callerSchema('A caller of another owner, who must be refused the object (e.g. other-owner).'),
  create: objectRequestSchema('The owner creates the object to test with (e.g. `POST /api/notes` with a JSON body). Needs `mutations: allowed`.'),
  idPath: {
    type: 'string',
    default: '$.id',
    description: "With `create`: JSONPath or JSON Pointer to the new object's id in its answer (default `$.id`).",
    examples: ['$.id', '/data/id'],
  },
  objectId: {
    type: ['string', 'integer'],
    description:
      'Instead of `create`: the id of an existing object of the owner (a literal or `{{var}}`). The check never changes an object it did not create: only the read case runs.',
    examples: [42, '{{noteId}}'],
  },
  read: objectRequestSchema("The owner's read of its object, with `{id}` in the path (e.g. `GET /api/notes/{id}`); the intruder's read case sends it too."),
  update: objectRequestSchema('An update of the object (e.g. `PATCH /api/notes/{id}` with a JSON body): the intruder must be refused, and the object stay unchanged.'),
  delete: objectRequestSchema('A delete of the object (e.g. `DELETE /api/notes/{id}`): the intruder must be refused, and the object stay.'),
  cleanup: objectRequestSchema('How the owner deletes the object the check created at the end (default: the delete request).'),
  refusedStatus: { ...statusSchema, default: DEFAULT_REFUSED, description: 'What the intruder must be answered (default 403 or 404).' },
  severities: severitiesSchema(BOLA_CASES),
};
