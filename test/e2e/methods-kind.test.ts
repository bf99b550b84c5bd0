import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();
afterAll(() => dir.remove());

/** GET /things/1 is documented; `extra` answers whatever else the server (wrongly) serves. */
function api(extra: Record<string, number>, allow = true) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
    const status = extra[req.method!];
    if (status !== undefined) return void res.writeHead(status).end();
    res.writeHead(405, allow ? { allow: 'GET, HEAD' } : {}).end();
  };
}

async function audit(name: string, handler: ReturnType<typeof api>, mutations = 'allowed') {
  const server = await startTestServer(handler);
  try {
    const scenario = dir.file(`${name}.yaml`, 'name: m\nchecks:\n  - { id: m, kind: methods, severity: medium, request: { path: /things/1 }, declared: [GET] }\n');
    const profile = dir.file(`${name}.profile.yaml`, `target: ${server.url}\nmutations: ${mutations}\n`);
    const out = join(dir.path, name);
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return { code: cli.code, checks: run.scenarios[0]!.checks, requests: server.requests.map((r) => r.method) };
  } finally {
    await server.close();
  }
}

describe('the methods kind', () => {
  it('passes a path that refuses every undeclared method with 405', async () => {
    const { checks, code, requests } = await audit('correct', api({}));
    expect(checks.map((c) => `${c.case}: ${c.status}`)).toEqual(['post: passed', 'put: passed', 'patch: passed', 'delete: passed', 'trace: passed']);
    expect(requests).toEqual(['POST', 'PUT', 'PATCH', 'DELETE', 'TRACE']);
    expect(checks[0]!.message).toBe('POST was refused with 405');
    expect(code).toBe(0);
  });

  it('sends nothing without mutations: allowed, since a target that wrongly serves DELETE would delete', async () => {
    const { checks, requests } = await audit('forbidden', api({ DELETE: 204 }), 'forbidden');
    expect(checks.map((c) => `${c.case}: ${c.status}`)).toEqual(['post: skipped', 'put: skipped', 'patch: skipped', 'delete: skipped', 'trace: skipped']);
    expect(checks[0]!.message).toContain('mutations: allowed');
    expect(requests).toEqual([]);
  });

  it('finds an undeclared DELETE that works and TRACE served, and names a 405 without Allow', async () => {
    const { checks, code } = await audit('flawed', api({ DELETE: 204, TRACE: 200, PATCH: 500 }, false));
    const byCase = new Map(checks.map((c) => [c.case, c]));
    expect(byCase.get('delete')).toMatchObject({ status: 'failed', message: expect.stringContaining('204: the path serves DELETE, which its documentation does not declare') });
    expect(byCase.get('trace')).toMatchObject({ status: 'failed', message: expect.stringContaining('200: TRACE is served') });
    expect(byCase.get('patch')).toMatchObject({ status: 'failed', message: expect.stringContaining('500: the server failed on a method it does not declare') });
    expect(byCase.get('post')).toMatchObject({ status: 'passed', message: 'POST was refused with 405 (without the Allow header RFC 9110 asks for)' });
    expect(code).toBe(1);
  });
});
