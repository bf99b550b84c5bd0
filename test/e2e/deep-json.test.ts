import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const DEPTH = 100_000;
const DEEP_OBJECTS = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
const DEEP_ARRAYS = `${'['.repeat(DEPTH)}1${']'.repeat(DEPTH)}`;

/** One expectation per check, so each check's status is that expectation's. */
const SCENARIO = `name: deep
checks:
  - { id: obj.exists, kind: http, severity: low, request: { path: /objects }, expect: { json: { $.a: { exists: true } } } }
  - { id: obj.equals, kind: http, severity: low, request: { path: /objects }, expect: { json: { $.a: { equals: 1 } } } }
  - { id: obj.matches, kind: http, severity: low, request: { path: /objects }, expect: { json: { $.a: { matches: "x" } } } }
  - { id: obj.contains, kind: http, severity: low, request: { path: /objects }, expect: { json: { $.a: { contains: "a" } } } }
  - { id: arr.exists, kind: http, severity: low, request: { path: /arrays }, expect: { json: { "$[0]": { exists: true } } } }
  - { id: arr.equals, kind: http, severity: low, request: { path: /arrays }, expect: { json: { "$[0]": { equals: [1] } } } }
  - { id: arr.matches, kind: http, severity: low, request: { path: /arrays }, expect: { json: { "$[0]": { matches: "^\\\\[\\\\[" } } } }
  - { id: obj.capture, kind: http, severity: low, request: { path: /objects }, capture: { deep: $.a } , expect: { status: 200 } }
  - { id: obj.reuse, kind: http, severity: low, request: { path: /objects }, expect: { json: { $.a: { equals: "{{deep}}" } } } }
`;

const EXPECTED: Record<string, CheckResult['status']> = {
  'obj.exists': 'passed',
  'obj.equals': 'failed',
  'obj.matches': 'failed',
  'obj.contains': 'passed',
  'arr.exists': 'passed',
  'arr.equals': 'failed',
  'arr.matches': 'passed',
  // Too deep to keep as a variable: the capture fails, and the check that needs it is not run.
  'obj.capture': 'failed',
  'obj.reuse': 'skipped',
};

/** A stack frame (`at fn (file:///…/dist/x.js:1:2)`, `at node:internal/…`), or one of gauntlet's own files. */
const STACK_TRACE = /\bat [^\n]*\((?:file:|node:|\/)[^\n]*\)|\bat (?:file:|node:)|\.js:\d+:\d+|dist\/|RangeError|internal error/;

describe('a target answering 100 000-deep JSON', () => {
  let dir: TempDir;
  let server: TestServer;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/arrays' ? DEEP_ARRAYS : DEEP_OBJECTS);
    });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('ends every expectation passed or failed, shows the value depth-bounded, and puts no stack trace in any report', async () => {
    const scenario = dir.file('deep.yaml', SCENARIO);
    const out = join(dir.path, 'out');
    const cli = await runCli(['run', scenario, '--target', server.url, '-r', 'console,json,html,junit,sarif', '-o', out, '--verbose'], { timeoutMs: 60_000 });
    expect(cli.code, cli.stderr).toBe(1);

    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const checks = run.scenarios.flatMap((s) => s.checks);
    expect(Object.fromEntries(checks.map((c) => [c.id, c.status]))).toEqual(EXPECTED);
    const exists = checks.find((c) => c.id === 'obj.exists')!.assertions![0]!;
    expect(exists.actual).toMatch(/^\{"a":\{"a":\{"a":.*…$/);
    const capture = checks.find((c) => c.id === 'obj.capture')!;
    expect(capture.message).toMatch(/capture deep: expected a value at \$\.a at most 64 levels deep, got nested deeper than 64 levels: \{"a":/);

    const files = readdirSync(out);
    expect(files.sort()).toEqual(['gauntlet-junit.xml', 'gauntlet-report.html', 'gauntlet-report.json', 'gauntlet.sarif']);
    for (const [name, text] of [['stdout', cli.stdout], ['stderr', cli.stderr], ...files.map((f) => [f, readFileSync(join(out, f), 'utf8')])]) {
      expect(text, name).not.toMatch(STACK_TRACE);
    }
  });
});
