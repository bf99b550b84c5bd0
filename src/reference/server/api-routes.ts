import { BodyTooLargeError, readBody } from './read-body.js';
import type { RequestContext } from './http-types.js';
import { sendEmpty, sendJson, sendProblem } from './respond.js';
import type { Router } from './router.js';

export interface User {
  id: number;
  name: string;
  email: string;
}

/** The body of POST /api/users and PUT /api/users/:id, enforced by the validation part. */
export const USER_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', format: 'email', maxLength: 254 },
  },
} as const;

const MAX_JSON_BODY = 64 * 1024;
const MAX_SLOW_MS = 5000;
const DATA = [
  { id: 1, value: 'alpha' },
  { id: 2, value: 'beta' },
  { id: 3, value: 'gamma' },
];

/**
 * The body as the validation part parsed and checked it. Without that part (its options section absent) the
 * server is deliberately unprotected: the body is parsed as it comes, and only unparseable JSON is refused.
 */
async function userBody(ctx: RequestContext): Promise<{ name: string; email: string } | undefined> {
  if (ctx.locals.body !== undefined) return ctx.locals.body as { name: string; email: string };
  try {
    const parsed = JSON.parse((await readBody(ctx.req, MAX_JSON_BODY)).toString('utf8')) as Record<string, unknown> | null;
    return { name: String(parsed?.name), email: String(parsed?.email) };
  } catch (error) {
    if (error instanceof BodyTooLargeError) sendProblem(ctx.res, 413, 'Payload too large', error.message);
    else sendProblem(ctx.res, 400, 'Malformed JSON', 'the request body is not valid JSON');
    return undefined;
  }
}

/** The small API every later part protects: data, users to read, create, replace and delete, admin stats. */
export function addApiRoutes(router: Router): void {
  const users = new Map<number, User>([
    [1, { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' }],
    [2, { id: 2, name: 'Alan Turing', email: 'alan@example.com' }],
    [3, { id: 3, name: 'Grace Hopper', email: 'grace@example.com' }],
  ]);
  let nextId = 4;
  const startedAt = Date.now();

  const userId = (ctx: RequestContext): number | undefined => {
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id < 1) {
      sendProblem(ctx.res, 400, 'Invalid user id', 'the user id must be a positive integer');
      return undefined;
    }
    return id;
  };

  router
    .add('GET', '/health', ({ res }) => sendJson(res, 200, { status: 'ok' }), { public: true })
    .add('GET', '/api/data', ({ res }) =>
      sendJson(res, 200, { data: DATA, count: DATA.length }),
      { scopes: ['data:read'] },
    )
    .add(
      'GET',
      '/api/slow',
      async ({ res, url }) => {
        // Simulated work, for latency under load and for proving a graceful shutdown drains requests.
        const ms = Math.min(MAX_SLOW_MS, Math.max(0, Number(url.searchParams.get('ms') ?? 100) || 0));
        await new Promise((resolve) => setTimeout(resolve, ms));
        sendJson(res, 200, { waitedMs: ms });
      },
      { scopes: ['data:read'] },
    )
    .add(
      'GET',
      '/api/search',
      ({ res, url }) => {
        // A classic rate-limited endpoint: cheap to answer, costly to let anyone hammer.
        const q = (url.searchParams.get('q') ?? '').toLowerCase().slice(0, 100);
        const hits = DATA.filter((d) => d.value.includes(q));
        sendJson(res, 200, { query: q, hits, count: hits.length });
      },
      { scopes: ['data:read'] },
    )
    .add('GET', '/api/users/:id', (ctx) => {
      const id = userId(ctx);
      if (id === undefined) return;
      const user = users.get(id);
      if (!user) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      sendJson(ctx.res, 200, user);
    }, { scopes: ['users:read'] })
    .add('POST', '/api/users', async (ctx) => {
      const body = await userBody(ctx);
      if (!body) return;
      const user: User = { id: nextId++, name: body.name, email: body.email };
      users.set(user.id, user);
      sendJson(ctx.res, 201, user, { location: `/api/users/${user.id}` });
    }, { scopes: ['users:write'], body: USER_BODY_SCHEMA })
    // Replacing a user is the sensitive write that needs a signed request.
    .add('PUT', '/api/users/:id', async (ctx) => {
      const id = userId(ctx);
      if (id === undefined) return;
      if (!users.has(id)) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      const body = await userBody(ctx);
      if (!body) return;
      const user: User = { id, name: body.name, email: body.email };
      users.set(id, user);
      sendJson(ctx.res, 200, user);
    }, { scopes: ['users:write'], body: USER_BODY_SCHEMA, signed: true })
    .add('DELETE', '/api/users/:id', (ctx) => {
      const id = userId(ctx);
      if (id === undefined) return;
      if (!users.delete(id)) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      sendEmpty(ctx.res, 204);
    }, { scopes: ['users:delete'] })
    // Operators only: restricted to allow-listed source addresses.
    .add('GET', '/api/admin/stats', ({ res }) =>
      sendJson(res, 200, { users: users.size, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
      { scopes: ['users:read'], sourceRestricted: true },
    );
}
