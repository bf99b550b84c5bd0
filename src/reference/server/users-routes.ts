import { ID_PARAM, invalidId, pathId } from './path-id.js';
import { jsonBodyOf } from './json-body.js';
import type { JsonSchema } from './openapi/types.js';
import { sendEmpty, sendJson, sendProblem } from './respond.js';
import type { Router } from './router.js';

const ROLES = ['member', 'admin'];
const DEFAULT_ROLE = 'member';

interface User {
  id: number;
  name: string;
  email: string;
  /** Set by the server, never by the client (mass-assignment is the flaw that lets a client set it). */
  role: string;
}

const ROLE: JsonSchema = { type: 'string', enum: ROLES, readOnly: true, description: 'Set by the server (member); a request may not set it.' };

/**
 * The body of POST /api/users and PUT /api/users/:id, enforced by the validation part. `role` is listed the way a
 * model shared by requests and responses lists it, marked readOnly: the validation part refuses read-only fields
 * in a request (with the mass-assignment flaw it lets them through, as a validator that treats readOnly as a mere
 * annotation does).
 */
const USER_BODY_SCHEMA: JsonSchema = {
  title: 'UserInput',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', format: 'email', maxLength: 254 },
    role: ROLE,
  },
  examples: [{ name: 'Katherine Johnson', email: 'katherine@example.com' }],
};

const USER_SCHEMA: JsonSchema = {
  title: 'User',
  type: 'object',
  required: ['id', 'name', 'email', 'role'],
  properties: {
    id: { ...ID_PARAM, readOnly: true },
    name: { type: 'string' },
    email: { type: 'string', format: 'email' },
    role: ROLE,
  },
};

const NOT_FOUND = { description: 'No user has this id.' };
const LOCATION = { Location: { description: 'The path of the new user.', schema: { type: 'string' }, required: true } };

/**
 * Users to read, create, replace and delete. Deleting is an admin function (scope users:admin); the bfla flaw
 * forgets that check. The mass-assignment flaw stores a `role` the client sent. Returns how many users there are.
 */
export function addUserRoutes(router: Router, flaws: ReadonlySet<string>): () => number {
  const users = new Map<number, User>(
    [
      { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' },
      { id: 2, name: 'Alan Turing', email: 'alan@example.com' },
      { id: 3, name: 'Grace Hopper', email: 'grace@example.com' },
    ].map((u) => [u.id, { ...u, role: DEFAULT_ROLE }]),
  );
  let nextId = 4;
  const massAssignment = flaws.has('mass-assignment');
  /** What the client may set; with mass-assignment also the role it sent, as `Object.assign(user, body)` would. */
  const fromBody = (body: Record<string, unknown>, role: string) => ({
    name: String(body.name),
    email: String(body.email),
    role: massAssignment && body.role !== undefined ? String(body.role) : role,
  });
  const params = { id: ID_PARAM };

  router
    .add('GET', '/api/users/:id', (ctx) => {
      const id = pathId(ctx, 'user');
      if (id === undefined) return;
      const user = users.get(id);
      if (!user) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      sendJson(ctx.res, 200, user);
    }, {
      scopes: ['users:read'],
      operationId: 'getUser',
      tag: 'users',
      shared: true,
      summary: 'Read a user',
      params,
      responses: { 200: { description: 'The user.', schema: USER_SCHEMA }, 400: invalidId('user'), 404: NOT_FOUND },
    })
    .add('POST', '/api/users', async (ctx) => {
      const body = await jsonBodyOf(ctx);
      if (!body) return;
      const user: User = { id: nextId++, ...fromBody(body, DEFAULT_ROLE) };
      users.set(user.id, user);
      sendJson(ctx.res, 201, user, { location: `/api/users/${user.id}` });
    }, {
      scopes: ['users:write'],
      body: USER_BODY_SCHEMA,
      operationId: 'createUser',
      tag: 'users',
      summary: 'Create a user (role member)',
      responses: { 201: { description: 'The new user.', schema: USER_SCHEMA, headers: LOCATION } },
    })
    // Replacing a user is the sensitive write that needs a signed request.
    .add('PUT', '/api/users/:id', async (ctx) => {
      const id = pathId(ctx, 'user');
      if (id === undefined) return;
      const known = users.get(id);
      if (!known) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      const body = await jsonBodyOf(ctx);
      if (!body) return;
      const user: User = { id, ...fromBody(body, known.role) };
      users.set(id, user);
      sendJson(ctx.res, 200, user);
    }, {
      scopes: ['users:write'],
      body: USER_BODY_SCHEMA,
      signed: true,
      operationId: 'replaceUser',
      tag: 'users',
      shared: true,
      summary: "Replace a user's name and email (the role stays)",
      params,
      responses: { 200: { description: 'The user as stored now.', schema: USER_SCHEMA }, 400: invalidId('user'), 404: NOT_FOUND },
    })
    .add('DELETE', '/api/users/:id', (ctx) => {
      const id = pathId(ctx, 'user');
      if (id === undefined) return;
      if (!users.delete(id)) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      sendEmpty(ctx.res, 204);
    }, {
      scopes: ['users:admin'],
      scopeCheckSkippedUnder: 'bfla',
      operationId: 'deleteUser',
      tag: 'users',
      summary: 'Delete a user (admin only)',
      params,
      responses: { 204: { description: 'Deleted.' }, 400: invalidId('user'), 404: NOT_FOUND },
    });
  return () => users.size;
}
