import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const KEY = 'sk_ci_Hq4vB8nM2xR6tY1wE9uI3oP7';

/** Three checks: a pass, a pass whose answer echoes the key (so redaction is what keeps it out), a failure. */
const SCENARIO = `name: ci output
checks:
  - { id: ci.ok, kind: http, severity: low, request: { path: /ok }, expect: { status: 200 } }
  - { id: ci.echo, kind: http, severity: low, request: { path: /echo, key: main }, expect: { status: 200 } }
  - { id: ci.wrong, kind: http, severity: medium, request: { path: /ok }, expect: { status: 500 } }
`;

const ESC = '\x1b[';

describe('CI output: ndjson, -o -, the one-line summary, FORCE_COLOR', () => {
  let dir: TempDir;
  let server: TestServer;
  let profile: string;
  let scenario: string;
  beforeAll(async () => {
    dir = tempDir();
    server = await startTestServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/echo') res.setHeader('x-echo', String(req.headers['x-api-key']));
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
    profile = dir.file('profile.yaml', `target: ${server.url}\nkeys:\n  main: \${env:GAUNTLET_CI_KEY}\n`);
    scenario = dir.file('ci.yaml', SCENARIO);
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['run', scenario, '-p', profile, ...args], { env: { GAUNTLET_CI_KEY: KEY, ...env } });
  const events = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line));

  it('-r ndjson -o - streams the events to stdout and nothing else; the summary goes to stderr', async () => {
    const cli = await run(['-r', 'ndjson', '-o', '-']);
    expect(cli.code).toBe(1);
    const stream = events(cli.stdout);
    expect(stream.map((e) => e.event)).toEqual(['run-start', 'check', 'check', 'check', 'run-end']);
    expect(stream[0]).toMatchObject({ target: server.url, checks: 3, scenarios: [{ name: 'ci output', checks: 3 }] });
    expect(stream.slice(1, -1).map((e) => [e.result.id, e.result.status]).sort()).toEqual([
      ['ci.echo', 'passed'],
      ['ci.ok', 'passed'],
      ['ci.wrong', 'failed'],
    ]);
    expect(stream.at(-1)).toMatchObject({ totals: { checks: 3, byStatus: { passed: 2, failed: 1 } }, verdict: { exitCode: 1 } });
    expect(cli.stderr).toContain('gauntlet: 2 passed, 1 failed, 0 errored, 0 skipped; FAIL: 1 failed at or above severity info (exit 1)');
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('the ndjson file holds the same redacted results as the JSON report, and no output holds the key', async () => {
    const out = join(dir.path, 'both');
    const cli = await run(['-r', 'ndjson,json', '-o', out, '-v']);
    expect(cli.code).toBe(1);
    // The target really received and echoed the key: its absence below is redaction.
    expect(server.requests.some((r) => r.headers['x-api-key'] === KEY)).toBe(true);
    const stream = events(readFileSync(join(out, 'gauntlet-events.ndjson'), 'utf8'));
    const report: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const byId = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId(stream.filter((e) => e.event === 'check').map((e) => e.result))).toEqual(byId(report.scenarios.flatMap((s) => s.checks)));
    expect(JSON.stringify(report)).toContain('[redacted:');
    const outputs = [cli.stdout, cli.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))];
    for (const output of outputs) expect(output).not.toContain(KEY);
  });

  it('refuses -o - beside a file reporter with exit 2, before anything is sent', async () => {
    const before = server.requests.length;
    const cli = await run(['-r', 'ndjson,junit', '-o', '-']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("--output-dir - sends the ndjson events to stdout; the junit report cannot be written to '-'");
    expect(cli.stdout).toBe('');
    expect(server.requests.length).toBe(before);
  });

  it('with file reporters only, stdout gets one summary line', async () => {
    const out = join(dir.path, 'files');
    const cli = await run(['-r', 'junit,sarif', '-o', out]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe('gauntlet: 2 passed, 1 failed, 0 errored, 0 skipped; FAIL: 1 failed at or above severity info (exit 1)\n');
    expect(cli.stderr).toContain('gauntlet-junit.xml');
  });

  it('FORCE_COLOR colours the console in a pipe, without the live progress line; NO_COLOR or FORCE_COLOR=0 keeps it plain', async () => {
    const forced = await run([], { FORCE_COLOR: '1' });
    expect(forced.code).toBe(1);
    expect(forced.stdout).toContain(`${ESC}31m`);
    expect(forced.stdout).not.toContain('\r');
    const plain = await run([], { NO_COLOR: '1' });
    expect(plain.stdout).not.toContain(ESC);
    const off = await run([], { FORCE_COLOR: '0', NO_COLOR: '' });
    expect(off.stdout).not.toContain(ESC);
    expect(off.stdout).toContain('✗ failed  medium   ci.wrong');
  });
});
