import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
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

  it('fails a reflected origin seen on the actual request even when the preflight got no answer', async () => {
    const reflecting = await startTestServer((req, res) => {
      if (req.method === 'OPTIONS') return void req.socket.destroy();
      res.writeHead(200, { 'access-control-allow-origin': req.headers.origin ?? '', 'access-control-allow-credentials': 'true', vary: 'Origin' }).end('{}');
    });
    try {
      const scenario = dir.file('r.yaml', 'name: r\nchecks:\n  - { id: r, kind: cors, severity: medium, request: { path: /api/data }, allowedOrigins: [https://app.example.com] }\n');
      const out = join(dir.path, 'reflect');
      await runCli(['run', scenario, '--target', reflecting.url, '-r', 'json', '-o', out]);
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      const arbitrary = run.scenarios[0]!.checks.find((c) => c.id === 'r.arbitrary-origin')!;
      expect(arbitrary).toMatchObject({ status: 'failed', severity: 'high' });
      expect(arbitrary.evidence.notes?.join(' ') ?? '').toContain('some sends got no HTTP answer');
    } finally {
      await reflecting.close();
    }
  });
});
