import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/** A careless API: parses whatever arrives, crashes with a stack trace on bad JSON, resets big uploads. */
function carelessServer(): Promise<TestServer> {
  return startTestServer((req, res) => {
    if (Number(req.headers['content-length']) > 4096) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 7, ...body }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).stack);
      }
    });
  });
}

describe('input kind against a careless API', () => {
  let server: TestServer;
  let dir: TempDir;
  let checks: Map<string, CheckResult>;
  beforeAll(async () => {
    server = await carelessServer();
    dir = tempDir();
    const scenario = dir.file(
      'input.yaml',
      `name: input
checks:
  - id: in.users
    kind: input
    severity: high
    request: { path: /users }
    validBody: { name: Ada, email: ada@example.com }
    bodyLimit: 4096
    nestingDepth: 1000
`,
    );
    await runCli(['run', scenario, '--target', server.url, '-r', 'json', '-o', dir.path]);
    const run: RunResult = JSON.parse(readFileSync(join(dir.path, 'gauntlet-report.json'), 'utf8'));
    checks = new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const failedAssertions = (id: string) => checks.get(id)!.assertions!.filter((a) => !a.passed).map((a) => `${a.name}: ${a.actual}`);

  it('fails malformed JSON answered with a 500 and a stack trace, naming both', () => {
    expect(checks.get('in.users.malformed-json')).toMatchObject({ status: 'failed', message: 'status: expected 4xx, got 500 (+2 more)' });
    expect(failedAssertions('in.users.malformed-json')).toEqual(['status: 500', 'no server error: 500', 'no stack trace in the body: a JavaScript stack frame']);
    expect(checks.get('in.users.deep-nesting')).toMatchObject({ status: 'failed' });
  });

  it('fails what it accepts without looking: text/plain, privilege fields, wrong types', () => {
    expect(failedAssertions('in.users.wrong-content-type')).toEqual(['status: 201']);
    expect(failedAssertions('in.users.unexpected-fields')).toEqual(['status: 201']);
    expect(failedAssertions('in.users.invalid-fields')).toEqual(['status: 201']);
  });

  it('passes the positive control, and counts a connection cut during an oversized upload as a refusal', () => {
    expect(checks.get('in.users.valid-body')).toMatchObject({ status: 'passed' });
    expect(checks.get('in.users.oversized-body')).toMatchObject({ status: 'passed', message: expect.stringContaining('closed the connection') });
  });
});

describe('input kind against a server that resets every request', () => {
  let server: TestServer;
  let dir: TempDir;
  afterAll(async () => {
    await server?.close();
    dir?.remove();
  });

  it('does not count a cut oversized upload as a refusal when the valid body is cut too', async () => {
    server = await startTestServer((req) => req.socket.resetAndDestroy());
    dir = tempDir();
    const scenario = dir.file('input.yaml', 'name: input\nchecks:\n  - { id: in, kind: input, severity: high, request: { path: /users }, validBody: { name: Ada }, bodyLimit: 4096, cases: [oversized-body, valid-body] }\n');
    await runCli(['run', scenario, '--target', server.url, '-r', 'json', '-o', dir.path]);
    const run: RunResult = JSON.parse(readFileSync(join(dir.path, 'gauntlet-report.json'), 'utf8'));
    const checks = new Map(run.scenarios[0]!.checks.map((c) => [c.id, c]));
    expect(checks.get('in.valid-body')).toMatchObject({ status: 'errored' });
    expect(checks.get('in.oversized-body')).toMatchObject({ status: 'errored', message: expect.stringContaining('the valid-body control got no HTTP answer') });
  });
});
