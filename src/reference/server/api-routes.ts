import { BodyTooLargeError, readBody } from './read-body.js';
import type { RequestContext } from './http-types.js';
import { sendEmpty, sendJson, sendProblem } from './respond.js';
import type { Router } from './router.js';

export interface User {
  id: number;
  name: string;
  email: string;
}

const MAX_JSON_BODY = 64 * 1024;
const MAX_SLOW_MS = 5000;

/** The small API every later part protects: data, and users to read, create and delete. */
export function addApiRoutes(router: Router): void {
  const users = new Map<number, User>([
    [1, { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' }],
    [2, { id: 2, name: 'Alan Turing', email: 'alan@example.com' }],
    [3, { id: 3, name: 'Grace Hopper', email: 'grace@example.com' }],
  ]);
  let nextId = 4;

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
      sendJson(res, 200, { data: [{ id: 1, value: 'alpha' }, { id: 2, value: 'beta' }, { id: 3, value: 'gamma' }], count: 3 }),
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
    .add('GET', '/api/users/:id', (ctx) => {
      const id = userId(ctx);
      if (id === undefined) return;
      const user = users.get(id);
      if (!user) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      sendJson(ctx.res, 200, user);
    }, { scopes: ['users:read'] })
    .add('POST', '/api/users', async (ctx) => {
      const type = ctx.req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) return sendProblem(ctx.res, 415, 'Unsupported media type', 'send application/json');
      let raw: Buffer;
      try {
        raw = await readBody(ctx.req, MAX_JSON_BODY);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendProblem(ctx.res, 413, 'Payload too large', error.message);
        throw error;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendProblem(ctx.res, 400, 'Malformed JSON', 'the request body is not valid JSON');
      }
      const { name, email } = (body ?? {}) as Record<string, unknown>;
      if (typeof name !== 'string' || !name || typeof email !== 'string' || !email.includes('@')) {
        return sendProblem(ctx.res, 400, 'Invalid user', 'name (a string) and email (an address) are required');
      }
      const user: User = { id: nextId++, name, email };
      users.set(user.id, user);
      sendJson(ctx.res, 201, user, { location: `/api/users/${user.id}` });
    }, { scopes: ['users:write'] })
    .add('DELETE', '/api/users/:id', (ctx) => {
      const id = userId(ctx);
      if (id === undefined) return;
      if (!users.delete(id)) return sendProblem(ctx.res, 404, 'User not found', `no user with id ${id}`);
      sendEmpty(ctx.res, 204);
    }, { scopes: ['users:delete'] });
}
