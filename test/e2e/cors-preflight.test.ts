import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

describe('cors preflights are sent as a browser sends them', () => {
  let server: TestServer;
  let dir: TempDir;
  beforeAll(async () => {
    server = await startTestServer((_req, res) => res.writeHead(204).end());
    dir = tempDir();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it("without the profile's headers or key, while the actual requests carry them", async () => {
    const profile = dir.file('p.yaml', `target: ${server.url}\nheaders:\n  Authorization: \${env:CORS_TOKEN}\n  X-Tenant: acme\n`);
    const scenario = dir.file('c.yaml', 'name: c\nchecks:\n  - { id: c, kind: cors, severity: medium, request: { path: /api/data }, allowedOrigins: [https://app.example.com] }\n');
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', dir.path], { env: { CORS_TOKEN: 'Bearer cors-token-123456' } });
    const preflights = server.requests.filter((r) => r.method === 'OPTIONS');
    const actual = server.requests.filter((r) => r.method === 'GET');
    expect(preflights.length).toBeGreaterThan(5);
    expect(actual.length).toBeGreaterThan(5);
    for (const r of preflights) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-tenant']).toBeUndefined();
      expect(r.headers['access-control-request-method']).toBeDefined();
    }
    for (const r of actual) expect(r.headers['x-tenant']).toBe('acme');
  });
});
