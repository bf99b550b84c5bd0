import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProtections, DEMO_ORIGINS, DEMO_SIGNING_KEY_ID } from '../../src/demo/protections.js';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { ReferenceServerOptions } from '../../src/reference/server/options.js';
import { SecretRegistry } from '../../src/results/secrets.js';
import { signRequest } from '../../src/signing/index.js';
import { rawRequest, type RawResponse } from '../helpers/raw-request.js';

const ORIGIN = DEMO_ORIGINS[0]!;

async function protectedServer(flaws: string[] = []): Promise<{ server: ReferenceServer; secret: string }> {
  const options: ReferenceServerOptions = { flaws };
  const describe = addProtections(options, new SecretRegistry());
  const profile = { extensions: {} as Record<string, unknown> };
  describe(profile as never);
  const server = await createReferenceServer(options);
  return { server, secret: (profile.extensions.signing as { secret: string }).secret };
}

function expectProtectiveHeaders(response: RawResponse, what: string): void {
  expect(response.headers, what).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-credentials': 'true',
  });
  expect(response.headers.vary, what).toMatch(/\bOrigin\b/);
  for (const absent of ['server', 'x-powered-by', 'x-xss-protection']) expect(response.headers[absent], `${what}: ${absent}`).toBeUndefined();
}

describe('the protected reference server', () => {
  let server: ReferenceServer;
  let secret: string;
  let crashing: ReferenceServer;
  beforeAll(async () => {
    ({ server, secret } = await protectedServer());
    ({ server: crashing } = await protectedServer(['input-500-on-malformed']));
  });
  afterAll(async () => {
    await server.close();
    await crashing.close();
  });

  it('sends the security and CORS headers on every response: success, preflight and each error status', async () => {
    const json = { 'content-type': 'application/json', origin: ORIGIN };
    const cases: [number, string, Parameters<typeof rawRequest>[1]][] = [
      [200, '/api/data', { headers: { origin: ORIGIN } }],
      [204, '/api/data', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'PUT' } }],
      [400, '/api/users', { method: 'POST', headers: json, body: '{"name":' }],
      [401, '/api/users/3', { method: 'PUT', headers: json, body: '{"name":"x","email":"x@example.com"}' }],
      [403, '/api/admin/stats', { headers: { origin: ORIGIN }, localAddress: '127.0.0.2' }],
      [404, '/api/nothing-here', { headers: { origin: ORIGIN } }],
      [405, '/api/data', { method: 'PATCH', headers: { origin: ORIGIN } }],
      [413, '/api/users', { method: 'POST', headers: json, body: `{"name":"${'x'.repeat(70_000)}"}` }],
      [415, '/api/users', { method: 'POST', headers: { 'content-type': 'text/plain', origin: ORIGIN }, body: '{}' }],
    ];
    for (const [status, path, options] of cases) {
      const response = await rawRequest(server.url + path, options);
      expect(response.status, `${options?.method ?? 'GET'} ${path}`).toBe(status);
      expectProtectiveHeaders(response, `${status} ${path}`);
    }
    const crash = await rawRequest(`${crashing.url}/api/users`, { method: 'POST', headers: json, body: '{"name":' });
    expect(crash.status).toBe(500);
    expectProtectiveHeaders(crash, '500');
    expect(crash.body).not.toMatch(/\n\s+at /);
  });

  it('gives an unlisted origin no CORS headers, and refuses its preflight', async () => {
    const simple = await rawRequest(`${server.url}/api/data`, { headers: { origin: 'https://evil.example' } });
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await rawRequest(`${server.url}/api/data`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await rawRequest(`${server.url}/api/data`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'PROPFIND', 'access-control-request-headers': 'x-anything' } });
    expect(allowed.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
    expect(allowed.headers['access-control-allow-headers']).not.toContain('x-anything');
    expect(allowed.headers['access-control-max-age']).toBe('600');
  });

  it('answers a schema violation with a 400 naming each field', async () => {
    const response = await rawRequest(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ name: '', email: 'not-an-address', isAdmin: true }),
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(response.body).errors).toEqual([
      { field: '/isAdmin', message: 'is not an allowed field' },
      { field: '/name', message: 'must NOT have fewer than 1 characters' },
      { field: '/email', message: 'must match format "email"' },
    ]);
    const deep = await rawRequest(`${server.url}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(40) + ']'.repeat(40) });
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.body).title).toBe('Body nested too deeply');
  });

  it('resolves versions by URL and header before the source-address restriction looks at the route', async () => {
    const v2 = await rawRequest(`${server.url}/api/v2/admin/stats`);
    expect(v2.status).toBe(200);
    expect(v2.headers['api-version']).toBe('2');
    expect(v2.headers.vary).toMatch(/API-Version/);
    // The versioned spelling of a restricted route is just as restricted.
    expect((await rawRequest(`${server.url}/api/v2/admin/stats`, { localAddress: '127.0.0.2' })).status).toBe(403);
    expect((await rawRequest(`${server.url}/api/admin/stats`, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '127.0.0.1' } })).status).toBe(403);
    expect((await rawRequest(`${server.url}/api/data`, { headers: { 'api-version': '2' } })).headers['api-version']).toBe('2');
    const conflict = await rawRequest(`${server.url}/api/v1/data`, { headers: { 'api-version': '2' } });
    expect(conflict.status).toBe(400);
    expect(JSON.parse(conflict.body).title).toBe('Conflicting API versions');
    expect((await rawRequest(`${server.url}/api/v3/data`)).status).toBe(400);
  });

  it('accepts requests signed with the client helper, on any spelling of the path, exactly once', async () => {
    const body = JSON.stringify({ name: 'Grace Hopper', email: 'grace@example.com' });
    for (const path of ['/api/users/3', '/api/v2/users/3?note=a%20b']) {
      const headers = { ...signRequest({ method: 'PUT', url: path, body }, { keyId: DEMO_SIGNING_KEY_ID, secret }), 'content-type': 'application/json' };
      const first = await rawRequest(server.url + path, { method: 'PUT', headers, body });
      expect(first.status, `${path}: ${first.body}`).toBe(200);
      const replay = await rawRequest(server.url + path, { method: 'PUT', headers, body });
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.body).detail).toContain('replayed');
      expect(replay.headers['www-authenticate']).toContain('HMAC-SHA256');
    }
    const wrongKey = signRequest({ method: 'PUT', url: '/api/users/3', body }, { keyId: DEMO_SIGNING_KEY_ID, secret: 'not-the-secret' });
    expect((await rawRequest(`${server.url}/api/users/3`, { method: 'PUT', headers: { ...wrongKey, 'content-type': 'application/json' }, body })).status).toBe(401);
  });
});
