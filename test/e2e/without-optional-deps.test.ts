import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** gauntlet as it runs where npm left out better-sqlite3 (its native build failed) and ioredis. */
const WITHOUT = { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, 'test/fixtures/without-optional-deps/register.mjs')).href}` };

const SCENARIO = `name: health
checks:
  - id: health.ok
    kind: http
    severity: high
    request: { path: /health }
    expect: { status: 200, json: { $.status: ok } }
`;

describe('without better-sqlite3 and ioredis', () => {
  let dir: TempDir;
  let api: Server;
  let target: string;

  beforeAll(async () => {
    dir = tempDir();
    dir.file('scenarios/health.yaml', SCENARIO);
    api = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => api?.close(resolve));
    dir?.remove();
  });

  it('validates scenarios', async () => {
    const cli = await runCli(['validate', join(dir.path, 'scenarios')], { env: WITHOUT });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('1 check(s) valid');
  });

  it('runs checks against an API, then renders the saved report again', async () => {
    const out = join(dir.path, 'reports');
    const run = await runCli(['run', join(dir.path, 'scenarios'), '--target', target, '-r', 'console,json', '-o', out], { env: WITHOUT });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 passed, 0 failed');
    const checks = (JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8')) as RunResult).scenarios.flatMap((s) => s.checks);
    expect(checks.map((c) => [c.id, c.status])).toEqual([['health.ok', 'passed']]);

    const again = join(dir.path, 'again');
    const report = await runCli(['report', join(out, 'gauntlet-report.json'), '-r', 'junit', '-o', again], { env: WITHOUT });
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(join(again, 'gauntlet-junit.xml'))).toBe(true);
  });

  it('plans an audit from an OpenAPI document', async () => {
    const document = { openapi: '3.0.3', info: { title: 'health', version: '1' }, servers: [{ url: target }], paths: { '/health': { get: { responses: { '200': { description: 'up' } } } } } };
    const audit = join(dir.path, 'audit');
    const cli = await runCli(['init', '--openapi', dir.file('openapi.json', JSON.stringify(document)), '--out', audit], { env: WITHOUT });
    expect(cli.code, cli.stderr).toBe(0);
    expect(existsSync(join(audit, 'profile.yaml'))).toBe(true);
  });

  it('prints the schema', async () => {
    const cli = await runCli(['schema', '--profile'], { env: WITHOUT });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).title).toBe('gauntlet target profile');
  });

  it('says what serve --keys-db is missing, before making any key file', async () => {
    const db = join(dir.path, 'keys.db');
    const cli = await runCli(['serve', '--keys-db', db, '--port', '0'], { env: WITHOUT });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("error[E_MISSING_DEPENDENCY]: the reference server's API key store (serve --keys-db, demo) needs the package better-sqlite3, which is not installed: install it with 'npm install better-sqlite3'");
    expect(existsSync(`${db}.pepper`)).toBe(false);
  });

  it('says what serve --store redis is missing', async () => {
    const cli = await runCli(['serve', '--port', '0', '--limiter', 'gcra', '--limit', '5', '--window', '1s', '--store', 'redis', '--redis-url', 'redis://127.0.0.1:9'], { env: WITHOUT });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("needs the package ioredis, which is not installed: install it with 'npm install ioredis'");
  });
});
