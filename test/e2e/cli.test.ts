import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaText, SCHEMA_FILES } from '../../src/commands/schema.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('CLI', () => {
  it('prints its version', async () => {
    const cli = await runCli(['--version']);
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it.each(['run', 'validate', 'schema', 'report', 'bench', 'certs', 'serve', 'demo'])('has --help with examples for %s', async (command) => {
    const cli = await runCli([command, '--help']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Examples:');
    expect(cli.stdout).toContain(`gauntlet ${command}`);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['run', '--no-such-option'])).code).toBe(2);
  });

  it('refuses a target or replica URL with credentials in it, without printing them', async () => {
    const password = 'Sup3rS3cretPw';
    const scenario = join(ROOT, 'test/fixtures/scenarios/every-expectation.yaml');
    const direct = await runCli(['run', scenario, '--target', `http://admin:${password}@127.0.0.1:9`]);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('--target: the target URL holds a user name or password');
    const dir = tempDir();
    try {
      const profile = dir.file('p.yaml', `target: http://127.0.0.1:9\nreplicas:\n  - http://u:${password}@127.0.0.1:10\n`);
      const replica = await runCli(['validate', scenario, '-p', profile]);
      expect(replica.code).toBe(2);
      expect(replica.stderr).toMatch(/p\.yaml:3:\d+: error\[E_URL_CREDENTIALS\]: a replica URL holds a user name or password/);
      for (const cli of [direct, replica]) expect(cli.stdout + cli.stderr).not.toContain(password);
    } finally {
      dir.remove();
    }
  });

  it('refuses timeouts of 0 or longer than a timer can wait, on the command line, in a profile and in a scenario', async () => {
    const scenario = join(ROOT, 'test/fixtures/scenarios/every-expectation.yaml');
    const long = await runCli(['run', scenario, '--target', 'http://127.0.0.1:9', '--timeout', '30d']);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--timeout: a timeout of "30d" is longer than a timer can wait');
    const dir = tempDir();
    try {
      const profile = dir.file('p.yaml', 'target: http://127.0.0.1:9\ntimeouts:\n  request: 0\n');
      const zero = await runCli(['validate', scenario, '-p', profile]);
      expect(zero.code).toBe(2);
      expect(zero.stderr).toMatch(/p\.yaml:3:\d+: error\[E_BAD_TIMEOUT\]: a timeout of 0 would end every request at once/);
      const checks = dir.file('s.yaml', 'name: s\nchecks:\n  - { id: s, kind: http, severity: low, request: { path: /, timeout: 0ms }, expect: { status: 200 } }\n');
      const inScenario = await runCli(['validate', checks]);
      expect(inScenario.code).toBe(2);
      expect(inScenario.stderr).toMatch(/s\.yaml:3:\d+: error\[E_BAD_TIMEOUT\]: a timeout of "0ms" would end every request at once/);
    } finally {
      dir.remove();
    }
  });

  it('keeps the committed JSON Schemas identical to what the kinds define', async () => {
    for (const which of ['scenario', 'profile', 'baseline'] as const) {
      const committed = readFileSync(join(ROOT, 'schemas', SCHEMA_FILES[which]), 'utf8');
      expect(committed, `run 'npm run schema' to refresh schemas/${SCHEMA_FILES[which]}`).toBe(schemaText(which));
    }
    const printed = await runCli(['schema']);
    expect(JSON.parse(printed.stdout).$id).toContain('scenario.schema.json');
  });

  it('serves the reference target, prints its URL, and drains on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('serve printed no URL')), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(chunk.toString());
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
    });
    const response = await fetch(`${url}/api/data`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });
});
