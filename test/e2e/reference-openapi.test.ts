import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/reference/keys/key-format.js';
import { createLimiterStore } from '../../src/reference/limiters/create-store.js';
import type { Limiter } from '../../src/reference/limiters/limiter.js';
import { mtlsOptionsFromPki } from '../../src/reference/mtls/material.js';
import { createReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../../src/reference/server/create-server.js';
import { openApiPath } from '../../src/reference/server/openapi/build-document.js';
import { operationsOf, resolve, schemaValidator, undeclaredProperties, type Json, type OpenApiDocument, type Operation } from '../helpers/openapi.js';
import { openApiProblems } from '../helpers/openapi-structure.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { rawRequest } from '../helpers/raw-request.js';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** A reference server with API keys (and what else `options` says), a bootstrap admin key, and a way to call it. */
async function keyServer(options: ReferenceServerOptions = {}) {
  const admin = mintKey();
  const server = await createReferenceServer({ ...options, keys: { dbPath: ':memory:', bootstrapAdminKey: admin } });
  const call = async (method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key !== undefined) headers['x-api-key'] = init.key;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(server.url + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };
  const mint = async (scopes: string[], owner = 'alice') => {
    const made = await call('POST', '/admin/keys', { key: admin, body: { name: `${owner} ${scopes.join(' ')}`, owner, scopes } });
    expect(made.status, made.text).toBe(201);
    return made.json.key as string;
  };
  const document = async () => (await call('GET', '/openapi.json')).json as OpenApiDocument;
  return { server, admin, call, mint, document };
}

type KeyServer = Awaited<ReturnType<typeof keyServer>>;

async function limiter(limit: number): Promise<Limiter> {
  return (await createLimiterStore({ algorithm: 'sliding-log', policies: [{ name: 'api', limit, windowMs: 60_000 }] })).limiter;
}

/** Which documented response an answer is, failing when its status is not documented. */
function documentedResponse(op: Operation, answer: Answer): Json {
  const response = op.op.responses[String(answer.status)];
  expect(response, `${op.op.operationId} answered ${answer.status}, which it does not document: ${answer.text.slice(0, 300)}`).toBeDefined();
  return response!;
}

/** The answer matches its documented response: media type, schema, no undeclared property, every required header. */
function expectAsDocumented(doc: OpenApiDocument, op: Operation, answer: Answer): void {
  const id = `${op.op.operationId} ${answer.status}`;
  const response = documentedResponse(op, answer);
  const content = response.content as Record<string, { schema: Json }> | undefined;
  if (!content) expect(answer.text, id).toBe('');
  else {
    const [media, { schema }] = Object.entries(content)[0]!;
    expect(answer.headers.get('content-type'), id).toContain(media);
    const validate = schemaValidator(doc)(schema);
    expect(validate(answer.json) ? [] : validate.errors, id).toEqual([]);
    expect(undeclaredProperties(doc, schema, answer.json), `${id}: properties the schema does not declare`).toEqual([]);
  }
  for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, { required?: boolean }>)) {
    if (header.required) expect(answer.headers.get(name), `${id}: header ${name}`).not.toBeNull();
  }
}

/** A request body from the schema's first example. */
function exampleBody(doc: OpenApiDocument, op: Operation): unknown {
  const schema = (op.op.requestBody as { content: Record<string, { schema: Json }> } | undefined)?.content['application/json']?.schema;
  return schema && (resolve(doc, schema).examples as unknown[] | undefined)?.[0];
}

function fillPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(String(params[name]));
  });
}

interface Exercise {
  params?: () => Record<string, string | number>;
  query?: string;
  after?: (answer: Answer) => void;
}

/**
 * Calls every documented operation once, in an order where each finds what it needs (a created user, note or key),
 * each with a key holding exactly the scopes the operation documents, and checks each answer against the document.
 * The list must name every operation of the document, so a new route cannot go unexercised.
 */
async function exerciseEveryOperation(target: KeyServer): Promise<void> {
  const doc = await target.document();
  const ids: { user?: number; note?: number; key?: string; rotated?: string } = {};
  const id = (name: keyof typeof ids) => () => ({ id: ids[name]! });
  const exercises: [string, Exercise][] = [
    ['health', {}],
    ['getOpenApiDocument', {}],
    ['whoami', {}],
    ['getData', {}],
    ['getSlow', { query: '?ms=0' }],
    ['search', { query: '?q=al' }],
    ['createUser', { after: (a) => (ids.user = a.json.id) }],
    ['getUser', { params: id('user') }],
    ['replaceUser', { params: id('user') }],
    ['getAdminStats', {}],
    ['deleteUser', { params: id('user') }],
    ['createNote', { after: (a) => (ids.note = a.json.id) }],
    ['listNotes', {}],
    ['getNote', { params: id('note') }],
    ['updateNote', { params: id('note') }],
    ['deleteNote', { params: id('note') }],
    ['createKey', { after: (a) => (ids.key = a.json.id) }],
    ['listKeys', {}],
    ['getKey', { params: id('key') }],
    ['rotateKey', { params: id('key'), after: (a) => (ids.rotated = a.json.id) }],
    ['revokeKey', { params: id('rotated') }],
  ];
  const operations = new Map(operationsOf(doc).map((o) => [o.op.operationId, o]));
  expect(exercises.map(([name]) => name).sort()).toEqual([...operations.keys()].sort());

  const keys = new Map<string, string>();
  for (const [operationId, exercise] of exercises) {
    const op = operations.get(operationId)!;
    const scopes = op.op['x-scopes'] as string[] | undefined;
    let key: string | undefined;
    if (scopes) {
      const wanted = scopes.join(' ');
      if (!keys.has(wanted)) keys.set(wanted, await target.mint(scopes));
      key = keys.get(wanted);
    }
    const answer = await target.call(op.method, fillPath(op.path, exercise.params?.() ?? {}) + (exercise.query ?? ''), { key, body: exampleBody(doc, op) });
    expect(answer.status, `${operationId}: ${answer.text.slice(0, 300)}`).toBeLessThan(300);
    expectAsDocumented(doc, op, answer);
    exercise.after?.(answer);
  }
}

describe('GET /openapi.json on the reference server', () => {
  let target: KeyServer;
  let doc: OpenApiDocument;
  let limit: Limiter;
  beforeAll(async () => {
    limit = await limiter(100_000);
    target = await keyServer({ limiter: { limiter: limit } });
    doc = await target.document();
  });
  afterAll(async () => {
    await target.server.close();
    await limit.close();
  });

  it('is a valid OpenAPI 3.1 document, public, for the server the request reached', async () => {
    expect(openApiProblems(doc)).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: target.server.url }]);
    const port = new URL(target.server.url).port;
    const viaLocalhost = await rawRequest(`${target.server.url}/openapi.json`, { headers: { host: `localhost:${port}` } });
    expect(viaLocalhost.headers['content-type']).toContain('application/json');
    expect(JSON.parse(viaLocalhost.body).servers).toEqual([{ url: `http://localhost:${port}` }]);
    // A Host header that is not a plain host:port never reaches the document.
    const odd = await rawRequest(`${target.server.url}/openapi.json`, { headers: { host: 'evil.example/<script>' } });
    expect(JSON.parse(odd.body).servers).toEqual([{ url: target.server.url }]);
  });

  it('lists every route of the router with its method, and nothing else', () => {
    const routes = target.server.routes().map((r) => `${r.method} ${openApiPath(r.pattern)}`).sort();
    const documented = operationsOf(doc).map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(routes);
    expect(routes).toEqual(expect.arrayContaining(['GET /openapi.json', 'DELETE /api/notes/{id}', 'POST /admin/keys/{id}/rotate']));
  });

  it('states each operation, its tag, the scopes it needs and the statuses it answers', () => {
    const shape = Object.fromEntries(
      operationsOf(doc).map(({ method, path, op }) => [op.operationId, `${method} ${path} [${op.tags}] ${op['x-scopes'] ?? 'public'} ${Object.keys(op.responses)}`]),
    );
    expect(shape).toEqual({
      health: 'GET /health [health] public 200',
      getOpenApiDocument: 'GET /openapi.json [health] public 200',
      whoami: 'GET /whoami [health]  200,401,429',
      getData: 'GET /api/data [data] data:read 200,401,403,429',
      getSlow: 'GET /api/slow [data] data:read 200,401,403,429',
      search: 'GET /api/search [data] data:read 200,401,403,429',
      getUser: 'GET /api/users/{id} [users] users:read 200,400,401,403,404,429',
      createUser: 'POST /api/users [users] users:write 201,400,401,403,413,429',
      replaceUser: 'PUT /api/users/{id} [users] users:write 200,400,401,403,404,413,429',
      deleteUser: 'DELETE /api/users/{id} [users] users:admin 204,400,401,403,404,429',
      listNotes: 'GET /api/notes [notes] notes:read 200,401,403,429',
      createNote: 'POST /api/notes [notes] notes:write 201,400,401,403,413,429',
      getNote: 'GET /api/notes/{id} [notes] notes:read 200,400,401,403,404,429',
      updateNote: 'PATCH /api/notes/{id} [notes] notes:write 200,400,401,403,404,413,429',
      deleteNote: 'DELETE /api/notes/{id} [notes] notes:write 204,400,401,403,404,429',
      getAdminStats: 'GET /api/admin/stats [admin] users:read 200,401,403,429',
      createKey: 'POST /admin/keys [keys] keys:admin 201,400,401,403,413,415,429',
      listKeys: 'GET /admin/keys [keys] keys:admin 200,401,403,429',
      getKey: 'GET /admin/keys/{id} [keys] keys:admin 200,401,403,404,429',
      rotateKey: 'POST /admin/keys/{id}/rotate [keys] keys:admin 201,400,401,403,404,409,413,415,429',
      revokeKey: 'POST /admin/keys/{id}/revoke [keys] keys:admin 200,401,403,404,429',
    });
    expect(doc.components?.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }) });
    for (const { op } of operationsOf(doc)) {
      const scopes = op['x-scopes'] as string[] | undefined;
      expect(op.security, op.operationId).toEqual(scopes ? [{ apiKey: scopes }] : []);
    }
  });

  it('marks what the server sets readOnly, and takes as request bodies what the server enforces', () => {
    const schemas = doc.components!.schemas!;
    const readOnly = (name: string) => Object.entries(schemas[name]!.properties as Record<string, Json>).filter(([, p]) => p.readOnly).map(([n]) => n);
    expect(readOnly('User')).toEqual(['id', 'role']);
    expect(readOnly('Note')).toEqual(['id', 'owner', 'createdAt']);
    expect(schemas.UserInput).toMatchObject({ additionalProperties: false, required: ['name', 'email'], properties: { role: { readOnly: true } } });
    expect(schemas.NoteInput).toMatchObject({ additionalProperties: false, required: ['title', 'body'], properties: { title: { minLength: 1, maxLength: 200 }, body: { maxLength: 10_000 } } });
    expect(Object.keys(schemas.NotePatch!.properties as Json)).toEqual(['title', 'body']);
  });

  it('answers every documented operation, with a key holding just its documented scopes, as the document says', async () => {
    await exerciseEveryOperation(target);
  });

  it('refuses every protected operation without a key (401) and with a key lacking its scopes (403), as documented', async () => {
    const noScope = await target.mint([]);
    for (const op of operationsOf(doc)) {
      const scopes = op.op['x-scopes'] as string[] | undefined;
      if (!scopes) continue;
      const path = fillPath(op.path, { id: op.path.startsWith('/admin/keys') ? 'key_none' : 1 });
      const body = exampleBody(doc, op);
      const anonymous = await target.call(op.method, path, { body });
      expect(anonymous.status, op.op.operationId).toBe(401);
      expectAsDocumented(doc, op, anonymous);
      if (!scopes.length) continue;
      const underScoped = await target.call(op.method, path, { key: noScope, body });
      expect(underScoped.status, op.op.operationId).toBe(403);
      expectAsDocumented(doc, op, underScoped);
    }
  });

  it('does not list 405: a method a path does not declare is answered 405 with Allow naming the declared ones', async () => {
    const key = await target.mint([]);
    for (const [path, item] of Object.entries(doc.paths)) {
      const declared = Object.keys(item).map((m) => m.toUpperCase());
      const other = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((m) => !declared.includes(m))!;
      const answer = await target.call(other, fillPath(path, { id: path.startsWith('/admin/keys') ? 'key_none' : 1 }), { key });
      expect(answer.status, `${other} ${path}`).toBe(405);
      expect(answer.headers.get('allow')!.split(', ').sort(), path).toEqual(declared.sort());
      for (const op of operationsOf(doc).filter((o) => o.path === path)) expect(Object.keys(op.op.responses)).not.toContain('405');
    }
  });

  it('is the same document with the authorization flaws on: it describes the intended API', async () => {
    const flawed = await keyServer({ flaws: ['bola', 'bfla', 'mass-assignment'], limiter: { limiter: limit } });
    try {
      const { servers: _, ...flawedDoc } = await flawed.document();
      const { servers: __, ...correctDoc } = doc;
      expect(flawedDoc).toEqual(correctDoc);
    } finally {
      await flawed.server.close();
    }
  });
});

describe('the document follows the parts that are on', () => {
  it('without API keys: no security scheme, no 401 or 403, every operation anonymous', async () => {
    const server = await createReferenceServer();
    try {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
      expect(openApiProblems(doc)).toEqual([]);
      expect(doc.components?.securitySchemes).toBeUndefined();
      expect(doc.paths['/admin/keys']).toBeUndefined();
      for (const { op } of operationsOf(doc)) {
        expect(op.security, op.operationId).toEqual([]);
        expect(op['x-scopes']).toBeUndefined();
        expect(Object.keys(op.responses), op.operationId).not.toEqual(expect.arrayContaining(['401']));
        expect(Object.keys(op.responses), op.operationId).not.toEqual(expect.arrayContaining(['403']));
        expect(Object.keys(op.responses), op.operationId).not.toEqual(expect.arrayContaining(['429']));
      }
    } finally {
      await server.close();
    }
  });

  it('with body validation too: every operation still answers as documented, and 415 is listed where bodies are checked', async () => {
    const target = await keyServer({ validation: {} });
    try {
      const doc = await target.document();
      expect(openApiProblems(doc)).toEqual([]);
      for (const id of ['createUser', 'replaceUser', 'createNote', 'updateNote']) {
        expect(Object.keys(operationsOf(doc).find((o) => o.op.operationId === id)!.op.responses)).toContain('415');
      }
      await exerciseEveryOperation(target);
    } finally {
      await target.server.close();
    }
  });

  it('with a limiter on some paths: 429 and the rate-limit headers on those routes only, and a real 429 carries them', async () => {
    const limit = await limiter(2);
    const target = await keyServer({ limiter: { limiter: limit, paths: ['/api/search'] } });
    try {
      const doc = await target.document();
      const ops = new Map(operationsOf(doc).map((o) => [o.op.operationId, o]));
      const search = ops.get('search')!;
      expect(Object.keys(search.op.responses)).toContain('429');
      expect(Object.keys(ops.get('getData')!.op.responses)).not.toContain('429');
      expect(Object.keys((search.op.responses['200'] as Json).headers as Json)).toEqual(['RateLimit', 'RateLimit-Policy', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']);
      expect(Object.keys((search.op.responses['429'] as Json).headers as Json)).toEqual([
        'RateLimit',
        'RateLimit-Policy',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
        'Retry-After',
      ]);
      const key = await target.mint(['data:read']);
      for (const expected of [200, 200, 429]) {
        const answer = await target.call('GET', '/api/search?q=a', { key });
        expect(answer.status).toBe(expected);
        expectAsDocumented(doc, search, answer);
      }
    } finally {
      await target.server.close();
      await limit.close();
    }
  });

  it('with only the draft headers: the legacy X-RateLimit-* headers are not documented', async () => {
    const limit = await limiter(10);
    const target = await keyServer({ limiter: { limiter: limit, headers: ['draft'] } });
    try {
      const getData = operationsOf(await target.document()).find((o) => o.op.operationId === 'getData')!;
      expect(Object.keys((getData.op.responses['429'] as Json).headers as Json)).toEqual(['RateLimit', 'RateLimit-Policy', 'Retry-After']);
    } finally {
      await target.server.close();
      await limit.close();
    }
  });
});

describe('the document with client certificates', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(() => pki.dir.remove());

  const getDocument = (url: string, identity?: string) =>
    new Promise<OpenApiDocument>((resolve, reject) => {
      const req = request(`${url}/openapi.json`, {
        ca: pki.read('ca.crt'),
        cert: identity && pki.read(`client-${identity}.crt`),
        key: identity && pki.read(`client-${identity}.key`),
        agent: false,
        timeout: 5000,
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode}: ${body}`))));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });

  it('required mode: mutualTLS on every operation, public ones included, and with keys in the same requirement', async () => {
    const admin = mintKey();
    const server = await createReferenceServer({ mtls: mtlsOptionsFromPki(pki.dir.path, 'required'), keys: { dbPath: ':memory:', bootstrapAdminKey: admin } });
    try {
      const doc = await getDocument(server.url, 'valid');
      expect(openApiProblems(doc)).toEqual([]);
      expect(doc.servers).toEqual([{ url: server.url }]);
      expect(doc.components?.securitySchemes).toEqual({ mutualTLS: expect.objectContaining({ type: 'mutualTLS' }), apiKey: expect.objectContaining({ type: 'apiKey' }) });
      for (const { op } of operationsOf(doc)) {
        const scopes = op['x-scopes'] as string[] | undefined;
        expect(op.security, op.operationId).toEqual([scopes ? { mutualTLS: [], apiKey: scopes } : { mutualTLS: [] }]);
      }
    } finally {
      await server.close();
    }
  });

  it('optional mode: the public operations need no certificate, and the document is served without one', async () => {
    const server = await createReferenceServer({ mtls: mtlsOptionsFromPki(pki.dir.path, 'optional') });
    try {
      const doc = await getDocument(server.url);
      expect(openApiProblems(doc)).toEqual([]);
      for (const { op } of operationsOf(doc)) {
        const isPublic = ['health', 'getOpenApiDocument'].includes(op.operationId);
        expect(op.security, op.operationId).toEqual(isPublic ? [] : [{ mutualTLS: [] }]);
        if (!isPublic) expect(Object.keys(op.responses), op.operationId).toContain('403');
      }
    } finally {
      await server.close();
    }
  });
});

describe('ownership and the authorization flaws', () => {
  const withServer = async (flaws: string[], run: (target: KeyServer) => Promise<void>, options: ReferenceServerOptions = {}) => {
    const target = await keyServer({ ...options, flaws });
    try {
      await run(target);
    } finally {
      await target.server.close();
    }
  };
  const NOTE_SCOPES = ['notes:read', 'notes:write'];

  it("answers another owner's note 404 on read, change and delete, exactly as a missing one, and lists only your own", () =>
    withServer([], async ({ call, mint }) => {
      const alice = await mint(NOTE_SCOPES, 'alice');
      const bob = await mint(NOTE_SCOPES, 'bob');
      const created = await call('POST', '/api/notes', { key: alice, body: { title: 'plans', body: 'secret' } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ title: 'plans', body: 'secret', owner: 'alice' });
      expect(created.headers.get('location')).toBe(`/api/notes/${created.json.id}`);
      const id = created.json.id as number;

      const missing = await call('GET', `/api/notes/${id + 1000}`, { key: bob });
      for (const [method, body] of [['GET'], ['PATCH', { title: 'mine now' }], ['DELETE']] as const) {
        const answer = await call(method, `/api/notes/${id}`, { key: bob, body });
        expect(answer.status, method).toBe(404);
        expect(answer.json.title).toBe(missing.json.title);
        expect(answer.json.detail).toBe(missing.json.detail.replace(String(id + 1000), String(id)));
      }
      expect((await call('GET', '/api/notes', { key: bob })).json).toEqual({ notes: [], count: 0 });
      expect((await call('GET', `/api/notes/${id}`, { key: alice })).json).toMatchObject({ title: 'plans', owner: 'alice' });
      expect((await call('GET', '/api/notes', { key: alice })).json).toMatchObject({ count: 1, notes: [{ id }] });
    }));

  it("with bola, any valid key reads, changes and deletes another owner's note", () =>
    withServer(['bola'], async ({ call, mint }) => {
      const alice = await mint(NOTE_SCOPES, 'alice');
      const bob = await mint(NOTE_SCOPES, 'bob');
      const { id } = (await call('POST', '/api/notes', { key: alice, body: { title: 'plans', body: 'secret' } })).json;
      expect((await call('GET', `/api/notes/${id}`, { key: bob })).json).toMatchObject({ body: 'secret', owner: 'alice' });
      expect((await call('PATCH', `/api/notes/${id}`, { key: bob, body: { title: 'mine now' } })).json).toMatchObject({ title: 'mine now', owner: 'alice' });
      expect((await call('DELETE', `/api/notes/${id}`, { key: bob })).status).toBe(204);
      expect((await call('GET', `/api/notes/${id}`, { key: alice })).status).toBe(404);
    }));

  it('without API keys, every note belongs to one anonymous owner', async () => {
    const server = await createReferenceServer();
    try {
      const created = await fetch(`${server.url}/api/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 't', body: '' }) });
      expect(created.status).toBe(201);
      const note = (await created.json()) as { id: number; owner: string };
      expect(note.owner).toBe('anonymous');
      expect((await fetch(`${server.url}/api/notes/${note.id}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses to delete a user without users:admin (403), and deletes with it', () =>
    withServer([], async ({ call, mint }) => {
      const writer = await mint(['users:read', 'users:write']);
      const refused = await call('DELETE', '/api/users/2', { key: writer });
      expect(refused.status).toBe(403);
      expect(refused.json.missing).toEqual(['users:admin']);
      expect((await call('GET', '/api/users/2', { key: writer })).status).toBe(200);
      expect((await call('DELETE', '/api/users/2', { key: await mint(['users:admin']) })).status).toBe(204);
    }));

  it('with bfla, a key without users:admin deletes a user, though a key is still required', () =>
    withServer(['bfla'], async ({ call, mint }) => {
      const writer = await mint(['users:read', 'users:write']);
      expect((await call('DELETE', '/api/users/2')).status).toBe(401);
      expect((await call('DELETE', '/api/users/2', { key: writer })).status).toBe(204);
      expect((await call('GET', '/api/users/2', { key: writer })).status).toBe(404);
      // Only that route forgot its check.
      expect((await call('GET', '/api/data', { key: writer })).status).toBe(403);
    }));

  const roleStory = async ({ call, mint }: KeyServer) => {
    const key = await mint(['users:read', 'users:write']);
    const created = await call('POST', '/api/users', { key, body: { name: 'Mallory', email: 'mallory@example.com', role: 'admin' } });
    const replaced = await call('PUT', '/api/users/1', { key, body: { name: 'Ada', email: 'ada@example.com', role: 'admin' } });
    const stored = async (id: number | undefined) => (id === undefined ? undefined : (await call('GET', `/api/users/${id}`, { key })).json.role);
    return { created, replaced, createdRole: await stored(created.json.id), replacedRole: await stored(1) };
  };

  it('gives new users the role member, and ignores a role sent without body validation', () =>
    withServer([], async (target) => {
      const { created, createdRole, replacedRole } = await roleStory(target);
      expect(created.status).toBe(201);
      expect(created.json.role).toBe('member');
      expect([createdRole, replacedRole]).toEqual(['member', 'member']);
    }));

  it('refuses a role sent with body validation on (400 naming /role)', () =>
    withServer([], async (target) => {
      const { created, replaced, replacedRole } = await roleStory(target);
      for (const answer of [created, replaced]) {
        expect(answer.status).toBe(400);
        expect(answer.json.errors).toEqual([{ field: '/role', message: 'is read-only: the server sets it' }]);
      }
      expect(replacedRole).toBe('member');
    }, { validation: {} }));

  it.each([[{}], [{ validation: {} }]])('with mass-assignment, a role sent in POST and PUT is stored (%j)', (options: ReferenceServerOptions) =>
    withServer(['mass-assignment'], async (target) => {
      const { created, replaced, createdRole, replacedRole } = await roleStory(target);
      expect([created.status, replaced.status]).toEqual([201, 200]);
      expect([createdRole, replacedRole]).toEqual(['admin', 'admin']);
    }, options));
});
