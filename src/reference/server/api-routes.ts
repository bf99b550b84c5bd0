import { addNoteRoutes } from './notes-routes.js';
import type { JsonSchema } from './openapi/types.js';
import { sendJson } from './respond.js';
import type { Router } from './router.js';
import { addUserRoutes } from './users-routes.js';

const MAX_SLOW_MS = 5000;
const MAX_QUERY = 100;
const DATA = [
  { id: 1, value: 'alpha' },
  { id: 2, value: 'beta' },
  { id: 3, value: 'gamma' },
];

const DATA_ITEM: JsonSchema = {
  title: 'DataItem',
  type: 'object',
  required: ['id', 'value'],
  properties: { id: { type: 'integer' }, value: { type: 'string' } },
};
const count: JsonSchema = { type: 'integer', minimum: 0 };

/** The small API every later part protects: health, data, search, users, notes, admin stats. */
export function addApiRoutes(router: Router, flaws: ReadonlySet<string>): void {
  const startedAt = Date.now();

  router
    .add('GET', '/health', ({ res }) => sendJson(res, 200, { status: 'ok' }), {
      public: true,
      operationId: 'health',
      tag: 'health',
      summary: 'Is the server up',
      responses: {
        200: { description: 'The server is up.', schema: { title: 'Health', type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } },
      },
    })
    .add('GET', '/api/data', ({ res }) => sendJson(res, 200, { data: DATA, count: DATA.length }), {
      scopes: ['data:read'],
      operationId: 'getData',
      tag: 'data',
      summary: 'All data items',
      responses: {
        200: {
          description: 'Every item.',
          schema: { title: 'DataList', type: 'object', required: ['data', 'count'], properties: { data: { type: 'array', items: DATA_ITEM }, count } },
        },
      },
    })
    .add(
      'GET',
      '/api/slow',
      async ({ res, url }) => {
        // Simulated work, for latency under load and for proving a graceful shutdown drains requests.
        const ms = Math.min(MAX_SLOW_MS, Math.max(0, Number(url.searchParams.get('ms') ?? 100) || 0));
        await new Promise((resolve) => setTimeout(resolve, ms));
        sendJson(res, 200, { waitedMs: ms });
      },
      {
        scopes: ['data:read'],
        operationId: 'getSlow',
        tag: 'data',
        summary: 'Answer after a delay',
        query: {
          ms: { description: `How long to wait (default 100; outside 0..${MAX_SLOW_MS} it is clamped).`, schema: { type: 'integer', minimum: 0, maximum: MAX_SLOW_MS, default: 100 } },
        },
        responses: {
          200: {
            description: 'Answered after the wait.',
            schema: { title: 'SlowAnswer', type: 'object', required: ['waitedMs'], properties: { waitedMs: { type: 'integer', minimum: 0, maximum: MAX_SLOW_MS } } },
          },
        },
      },
    )
    .add(
      'GET',
      '/api/search',
      ({ res, url }) => {
        // A classic rate-limited endpoint: cheap to answer, costly to let anyone hammer.
        const q = (url.searchParams.get('q') ?? '').toLowerCase().slice(0, MAX_QUERY);
        const hits = DATA.filter((d) => d.value.includes(q));
        sendJson(res, 200, { query: q, hits, count: hits.length });
      },
      {
        scopes: ['data:read'],
        operationId: 'search',
        tag: 'data',
        summary: 'Search the data items',
        query: { q: { description: `Text to find (case-insensitive; the first ${MAX_QUERY} characters count).`, schema: { type: 'string' } } },
        responses: {
          200: {
            description: 'The items whose value contains the text.',
            schema: {
              title: 'SearchResult',
              type: 'object',
              required: ['query', 'hits', 'count'],
              properties: { query: { type: 'string', maxLength: MAX_QUERY }, hits: { type: 'array', items: DATA_ITEM }, count },
            },
          },
        },
      },
    );

  const userCount = addUserRoutes(router, flaws);
  addNoteRoutes(router, flaws);

  // Operators only: restricted to allow-listed source addresses.
  router.add('GET', '/api/admin/stats', ({ res }) => sendJson(res, 200, { users: userCount(), uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }), {
    scopes: ['users:read'],
    sourceRestricted: true,
    operationId: 'getAdminStats',
    tag: 'admin',
    summary: 'Operator statistics',
    responses: {
      200: {
        description: 'How many users there are and how long the server has run.',
        schema: { title: 'AdminStats', type: 'object', required: ['users', 'uptimeSeconds'], properties: { users: count, uptimeSeconds: count } },
      },
    },
  });
}
