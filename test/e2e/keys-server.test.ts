import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/reference/keys/key-format.js';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';

/** The reference server with API keys on, driven over HTTP; its clock is ours, so expiry and grace are exact. */
describe('reference server: API keys', () => {
  let server: ReferenceServer;
  let now = Date.UTC(2030, 0, 1);
  const admin = mintKey();

  interface Call {
    key?: string;
    bearer?: string;
    body?: unknown;
    headers?: Record<string, string>;
  }
  const call = async (method: string, path: string, options: Call = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers['x-api-key'] = options.key;
    if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(server.url + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };
  const create = async (body: Record<string, unknown>) => {
    const answer = await call('POST', '/admin/keys', { key: admin, body });
    expect(answer.status, answer.text).toBe(201);
    return answer.json as { id: string; key: string };
  };

  beforeAll(async () => {
    server = await createReferenceServer({ keys: { dbPath: ':memory:', bootstrapAdminKey: admin, rotationGraceMs: 60_000, now: () => now } });
  });
  afterAll(() => server.close());

  it('refuses missing, malformed, unknown, revoked and expired keys with 401, a challenge and a problem document that never repeats the key', async () => {
    const revoked = await create({ name: 'r', scopes: ['data:read'] });
    await call('POST', `/admin/keys/${revoked.id}/revoke`, { key: admin });
    const expiring = await create({ name: 'e', scopes: ['data:read'], expiresAt: new Date(now + 1000).toISOString() });
    now += 1000;
    const valid = await create({ name: 'v', scopes: ['data:read'] });
    const cases: [string, Call, string | undefined, RegExp][] = [
      ['missing', {}, undefined, /needs?|send an API key/],
      ['empty', { key: '' }, 'invalid_token', /malformed/],
      ['typo', { key: `${valid.key.slice(0, -1)}${valid.key.endsWith('x') ? 'y' : 'x'}` }, 'invalid_token', /malformed/],
      ['SQL', { key: `' OR '1'='1` }, 'invalid_token', /malformed/],
      ['unknown', { key: mintKey() }, 'invalid_token', /not recognised/],
      ['revoked', { key: revoked.key }, 'invalid_token', /revoked/],
      ['expired', { key: expiring.key }, 'invalid_token', /expired/],
      ['two different keys', { key: valid.key, bearer: mintKey() }, 'invalid_request', /two different/],
      ['Basic scheme', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }, 'invalid_request', /Bearer scheme/],
    ];
    for (const [name, options, error, detail] of cases) {
      const answer = await call('GET', '/api/data', options);
      expect(answer.status, name).toBe(401);
      expect(answer.headers.get('content-type'), name).toContain('application/problem+json');
      const challenge = answer.headers.get('www-authenticate')!;
      expect(challenge, name).toMatch(/^Bearer realm="gauntlet"/);
      if (error) expect(challenge, name).toContain(`error="${error}"`);
      else expect(challenge, name).not.toContain('error=');
      expect(answer.json, name).toMatchObject({ status: 401, detail: expect.stringMatching(detail) });
      for (const value of [options.key, options.bearer]) if (value && value.length > 8) expect(answer.text).not.toContain(value);
    }
  });

  it("enforces a key's own rateLimitPerMinute, for that key only, with a 429 problem and Retry-After", async () => {
    const limited = await create({ name: 'metered', scopes: ['data:read'], rateLimitPerMinute: 2 });
    const other = await create({ name: 'unmetered', scopes: ['data:read'] });
    const first = await call('GET', '/api/data', { key: limited.key });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"key";q=2;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"key";r=1;t=60$/);
    expect((await call('GET', '/api/data', { key: limited.key })).status).toBe(200);
    const refused = await call('GET', '/api/data', { key: limited.key });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(55);
    expect(refused.json).toMatchObject({ status: 429, policy: 'key' });
    for (let i = 0; i < 3; i++) expect((await call('GET', '/api/data', { key: other.key })).status).toBe(200);
  });

  it('accepts a key as X-API-Key or Authorization: Bearer, and refuses one in the query string even beside a good header', async () => {
    const { key } = await create({ name: 'reader', scopes: ['data:read'] });
    expect((await call('GET', '/api/data', { key })).status).toBe(200);
    expect((await call('GET', '/api/data', { bearer: key })).status).toBe(200);
    expect((await call('GET', '/api/data', { key, bearer: key })).status).toBe(200);
    for (const param of ['api_key', 'apikey', 'access_token']) {
      const inQuery = await call('GET', `/api/data?${param}=${key}`);
      expect(inQuery.status).toBe(401);
      expect(inQuery.headers.get('www-authenticate')).toContain('error="invalid_request"');
      expect((await call('GET', `/api/data?${param}=${key}`, { key })).status).toBe(401);
    }
  });

  it('answers 403 naming the required, provided and missing scopes when a valid key lacks one', async () => {
    const { key } = await create({ name: 'reader', scopes: ['data:read', 'users:read'] });
    const answer = await call('DELETE', '/api/users/2', { key });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="gauntlet", error="insufficient_scope", error_description="the API key lacks a scope this route needs", scope="users:admin"',
    );
    expect(answer.json).toMatchObject({ required: ['users:admin'], provided: ['data:read', 'users:read'], missing: ['users:admin'] });
    expect(answer.json.detail).toBe('this route needs scope users:admin; the key has data:read users:read');
  });

  it('lets public routes through without a key, and asks for one on unknown routes and wrong methods', async () => {
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/api/nothing-here')).status).toBe(401);
    expect((await call('PATCH', '/api/data')).status).toBe(401);
    const { key } = await create({ name: 'any', scopes: [] });
    expect((await call('GET', '/api/nothing-here', { key })).status).toBe(404);
    expect((await call('PATCH', '/api/data', { key })).status).toBe(405);
  });

  it('creates a key whose plaintext is in that answer only; listings and details never show it or its hash', async () => {
    const created = await call('POST', '/admin/keys', { key: admin, body: { name: 'ci deploy', owner: 'team-a', scopes: ['users:read'], rateLimitPerMinute: 600 } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('location')).toBe(`/admin/keys/${created.json.id}`);
    expect(created.json).toMatchObject({ name: 'ci deploy', owner: 'team-a', scopes: ['users:read'], status: 'active', rateLimitPerMinute: 600, prefix: created.json.key.slice(0, 16) });
    const secretPart = (created.json.key as string).slice(16);
    const list = await call('GET', '/admin/keys', { key: admin });
    const shown = await call('GET', `/admin/keys/${created.json.id}`, { key: admin });
    for (const answer of [list, shown]) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(secretPart);
      expect(answer.text).not.toMatch(/"(hash|key)"/);
    }
    expect(list.json.keys.map((k: { id: string }) => k.id)).toContain(created.json.id);
  });

  it('rotates: the new key works at once, the old one until the grace period ends, and only once', async () => {
    const old = await create({ name: 'svc', scopes: ['data:read'] });
    const rotated = await call('POST', `/admin/keys/${old.id}/rotate`, { key: admin, body: { graceSeconds: 30 } });
    expect(rotated.status).toBe(201);
    expect(rotated.json.previous).toMatchObject({ id: old.id, replacedBy: rotated.json.id, expiresAt: new Date(now + 30_000).toISOString() });
    expect((await call('GET', '/api/data', { key: rotated.json.key })).status).toBe(200);
    now += 29_999;
    expect((await call('GET', '/api/data', { key: old.key })).status).toBe(200);
    now += 1;
    expect((await call('GET', '/api/data', { key: old.key })).json.detail).toMatch(/expired/);
    expect((await call('POST', `/admin/keys/${old.id}/rotate`, { key: admin })).status).toBe(409);
    const defaultGrace = await call('POST', `/admin/keys/${rotated.json.id}/rotate`, { key: admin });
    expect(defaultGrace.json.previous.expiresAt).toBe(new Date(now + 60_000).toISOString());
  });

  it('revokes at once', async () => {
    const { id, key } = await create({ name: 'leaked', scopes: ['data:read'] });
    expect((await call('GET', '/api/data', { key })).status).toBe(200);
    const revoked = await call('POST', `/admin/keys/${id}/revoke`, { key: admin });
    expect(revoked.json).toMatchObject({ status: 'revoked', revokedAt: new Date(now).toISOString() });
    expect((await call('GET', '/api/data', { key })).status).toBe(401);
  });

  it('guards the admin API with keys:admin and says what is wrong with a bad request', async () => {
    const { key } = await create({ name: 'reader', scopes: ['data:read', 'users:read', 'users:write', 'users:admin'] });
    const denied = await call('POST', '/admin/keys', { key, body: { name: 'x', scopes: ['keys:admin'] } });
    expect(denied.status).toBe(403);
    expect(denied.json.required).toEqual(['keys:admin']);
    expect((await call('GET', '/admin/keys')).status).toBe(401);

    const bad = async (body: unknown) => (await call('POST', '/admin/keys', { key: admin, body })).json.detail as string;
    expect(await bad({ scopes: [] })).toMatch(/^name must be/);
    expect(await bad({ name: 'x', scopes: 'users:read' })).toMatch(/^scopes must be/);
    expect(await bad({ name: 'x', scopes: ['Users Read'] })).toMatch(/^scopes must be/);
    expect(await bad({ name: 'x', scopes: [], expiresAt: 'tomorrow' })).toMatch(/ISO 8601/);
    expect(await bad({ name: 'x', scopes: [], expiresAt: new Date(now - 1).toISOString() })).toMatch(/in the past/);
    expect(await bad({ name: 'x', scopes: [], hash: 'abc' })).toMatch(/unknown field\(s\) hash/);
    expect(await bad([1, 2])).toMatch(/JSON object/);
    const text = await fetch(`${server.url}/admin/keys`, { method: 'POST', headers: { 'x-api-key': admin, 'content-type': 'text/plain' }, body: 'name=x' });
    expect(text.status).toBe(415);
    expect((await call('POST', '/admin/keys/key_nope/revoke', { key: admin })).status).toBe(404);
  });
});
