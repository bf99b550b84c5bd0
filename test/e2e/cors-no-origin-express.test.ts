import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import cors from 'cors';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { rawRequest } from '../helpers/raw-request.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * The cors no-origin case against Express 5 with the `cors` package, which answers a request without Origin with
 * whatever its options always send. Its message must name those headers, and its verdict must match what a
 * browser would grant (nothing, for a request that is not a CORS request).
 */
const ORIGINS = ['https://app.example.com', 'https://admin.example.com'];

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function corsApp(options: cors.CorsOptions): express.Express {
  const app = express();
  app.use(cors(options));
  app.get('/api/data', (_req, res) => void res.json({ data: [1, 2, 3] }));
  return app;
}

describe('cors no-origin against Express with the cors package', () => {
  let dir: TempDir;
  const servers: Server[] = [];
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    dir.remove();
  });

  async function noOrigin(name: string, app: express.Express, allowed: string[], exitCode = 0): Promise<{ url: string; result: CheckResult }> {
    const { url, server } = await listen(app);
    servers.push(server);
    const scenario = dir.file(
      `${name}.yaml`,
      `name: ${name}\nchecks:\n  - id: c\n    kind: cors\n    severity: medium\n    request: { path: /api/data }\n    allowedOrigins: [${allowed.join(', ')}]\n    cases: [no-origin]\n`,
    );
    const out = join(dir.path, name);
    const cli = await runCli(['run', scenario, '--target', url, '-r', 'json', '-o', out]);
    expect(cli.code, cli.stderr).toBe(exitCode);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { url, result: run.scenarios[0]!.checks.find((c) => c.id === 'c.no-origin')! };
  }

  it('cors({ origin: [...], credentials: true }): Allow-Credentials without Allow-Origin is named, and passes', async () => {
    // curl -si http://127.0.0.1:PORT/api/data   (no Origin)
    //   HTTP/1.1 200 OK / Vary: Origin / Access-Control-Allow-Credentials: true   (and no Access-Control-Allow-Origin)
    // A browser grants nothing without Access-Control-Allow-Origin, whatever Allow-Credentials says.
    const { url, result } = await noOrigin('list-credentials', corsApp({ origin: ORIGINS, credentials: true }), ORIGINS);
    expect(result.status).toBe('passed');
    expect(result.message).toBe('HTTP 200, no Access-Control-Allow-Origin; sent Access-Control-Allow-Credentials: true, which grants nothing without it');
    const seen = await rawRequest(`${url}/api/data`);
    expect(seen.headers['access-control-allow-credentials']).toBe('true');
    expect(seen.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("cors({ origin: 'https://app.example.com' }): one listed origin sent to everyone is a fixed allow-list, not a finding", async () => {
    // curl -si http://127.0.0.1:PORT/api/data   (no Origin)
    //   HTTP/1.1 200 OK / Access-Control-Allow-Origin: https://app.example.com / Vary: Origin
    // curl -si -H 'Origin: https://evil.example' ... answers the same Allow-Origin: only app.example.com may read.
    const { url, result } = await noOrigin('single-origin', corsApp({ origin: ORIGINS[0] }), [ORIGINS[0]!]);
    expect(result).toMatchObject({ status: 'passed', message: 'HTTP 200, the static Access-Control-Allow-Origin: https://app.example.com, a listed origin' });
    expect((await rawRequest(`${url}/api/data`)).headers['access-control-allow-origin']).toBe(ORIGINS[0]);
    expect((await rawRequest(`${url}/api/data`, { headers: { origin: 'https://evil.example' } })).headers['access-control-allow-origin']).toBe(ORIGINS[0]);
  });

  it('the same fixed origin, when the scenario lists another, is an unlisted origin granted: a finding naming the headers', async () => {
    // curl -si http://127.0.0.1:PORT/api/data   (no Origin), with credentials: true added
    //   HTTP/1.1 200 OK / Access-Control-Allow-Origin: https://app.example.com / Vary: Origin / Access-Control-Allow-Credentials: true
    // The scenario says only admin.example.com is meant, so app.example.com is granted (with credentials) unasked.
    const { result } = await noOrigin('single-origin-unlisted', corsApp({ origin: ORIGINS[0], credentials: true }), [ORIGINS[1]!], 1);
    expect(result.status).toBe('failed');
    expect(result.message).toContain('got Access-Control-Allow-Credentials: true, Access-Control-Allow-Origin: https://app.example.com');
  });
});
