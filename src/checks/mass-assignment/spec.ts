import type { Severity } from '../../results/model.js';
import type { JsonSchema } from '../../scenario/schema.js';
import type { CheckSpecBase } from '../../scenario/types.js';
import { severitiesSchema } from '../cases.js';
import { statusSchema, type StatusExpectation } from '../http/spec.js';
import { callerSchema, type CallerSpec } from '../objects/caller.js';
import { objectRequestSchema, type ObjectRequestSpec } from '../objects/object-request.js';

export const MASS_ASSIGNMENT_CASES = ['create', 'update', 'undeclared-properties'] as const;
export type MassAssignmentCase = (typeof MASS_ASSIGNMENT_CASES)[number];

/** Excessive data exposure is reported, but weighs less than a privilege a client could grant itself. */
export const DEFAULT_CASE_SEVERITIES: Partial<Record<MassAssignmentCase, Severity>> = { 'undeclared-properties': 'low' };
export const DEFAULT_REFUSED: StatusExpectation = '4xx';

export interface MassAssignmentSpec extends CheckSpecBase {
  caller?: CallerSpec;
  /** A valid create (JSON object body): sent as is to make the object to compare with, then with the injected properties. */
  create: ObjectRequestSpec;
  idPath?: string;
  /** An update of the object (PUT or PATCH on {id}); its JSON body, if any, gets the injected properties too. */
  update?: ObjectRequestSpec;
  /** The read that shows what was stored (GET on {id}). */
  read: ObjectRequestSpec;
  /** Properties the client must not set, with the values it tries (e.g. role: admin). */
  inject: Record<string, unknown>;
  /** The properties the read's answer declares (its schema); others are reported. */
  declared?: string[];
  /** How the caller deletes what the check created (default DELETE on the read's path). */
  cleanup?: ObjectRequestSpec;
  refusedStatus?: StatusExpectation;
  severities?: Partial<Record<MassAssignmentCase, Severity>>;
}

export const massAssignmentProperties: Record<string, JsonSchema> = {
  caller: callerSchema("Who creates, updates, reads and deletes the objects (default: the profile's default key)."),
  create: objectRequestSchema('A valid create with a JSON object body (e.g. `POST /api/users`): sent as is to make an object to compare with, then with the injected properties merged in.'),
  idPath: {
    type: 'string',
    default: '$.id',
    description: "JSONPath or JSON Pointer to the new object's id in the create's answer (default `$.id`).",
    examples: ['$.id', '/data/id'],
  },
  update: objectRequestSchema('An update of the object (e.g. `PATCH /api/users/{id}`): sent with the injected properties merged into its JSON body.'),
  read: objectRequestSchema('The read that shows what was stored (e.g. `GET /api/users/{id}`).'),
  inject: {
    type: 'object',
    minProperties: 1,
    description: 'Properties the client must not set, with the values it tries (e.g. `{ role: admin }`): `readOnly` properties of the schema.',
    examples: [{ role: 'admin', isAdmin: true, createdAt: '2000-01-01T00:00:00Z' }],
  },
  declared: {
    type: 'array',
    items: { type: 'string' },
    uniqueItems: true,
    description: "The properties the read's answer declares (its response schema): any other it returns is reported (`undeclared-properties`).",
    examples: [['id', 'name', 'email', 'role']],
  },
  cleanup: objectRequestSchema('How the caller deletes each object the check created (default DELETE on the read path).'),
  refusedStatus: { ...statusSchema, default: DEFAULT_REFUSED, description: 'What counts as refusing the injected properties (default 4xx).' },
  severities: severitiesSchema(MASS_ASSIGNMENT_CASES),
};
