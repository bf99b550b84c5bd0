import type { Flaw } from './flaw-types.js';

/**
 * Authorization across identities and properties (OWASP API1, API5, API3). No built-in scenario holds two owners'
 * keys or reads the OpenAPI document, so the demo's checks do not see these: the audit generated from
 * /openapi.json (gauntlet init --openapi) does, under the check ids in caughtByOpenApi.
 */
export const AUTHZ_FLAWS: Flaw[] = [
  {
    name: 'bola',
    description: "Notes are read, changed and deleted by id without checking their owner: any valid key reaches any owner's note.",
    caughtBy: [],
    caughtByOpenApi: ['notes.get-note.bola.read', 'notes.get-note.bola.update', 'notes.get-note.bola.delete'],
  },
  {
    name: 'bfla',
    description: 'DELETE /api/users/{id} forgets its scope check: a key without users:admin deletes users.',
    caughtBy: [],
    // The key matrix sees it too: the ordinary key is the operation's under-scoped one.
    caughtByOpenApi: ['users.delete-user.bfla.direct', 'users.delete-user.keys.under-scoped'],
  },
  {
    name: 'mass-assignment',
    description: "Creating or replacing a user stores the role the client sent: the validation treats readOnly as an annotation and the handler copies the body.",
    caughtBy: [],
    caughtByOpenApi: ['users.create-user.mass-assignment.create', 'users.create-user.mass-assignment.update'],
  },
];
