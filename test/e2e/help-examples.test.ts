import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

const COMMANDS = ['run', 'validate', 'schema', 'report', 'bench', 'certs', 'serve', 'demo'];
/** Committed files an example may name; fixtures/pki is what `gauntlet certs` writes, so it is not among them. */
const COMMITTED_PATH = /(?:scenarios|fixtures\/targets)\/[\w.-]+\.ya?ml/g;

let server: ServeProcess | undefined;
const out = mkdtempSync(join(tmpdir(), 'gauntlet-help-'));
afterAll(async () => {
  await server?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('--help examples', () => {
  it('name only committed scenarios and profiles that exist', async () => {
    const named = new Set<string>();
    for (const command of COMMANDS) {
      const help = await runCli([command, '--help']);
      for (const match of help.stdout.matchAll(COMMITTED_PATH)) named.add(match[0]);
    }
    expect([...named]).toContain('fixtures/targets/reference.yaml');
    for (const path of named) expect(existsSync(join(ROOT, path)), `${path} is named by an example`).toBe(true);
  });

  it('the run example with fixtures/targets/reference.yaml passes against gauntlet serve', async () => {
    server = await startServe([]);
    const profile = readFileSync(join(ROOT, 'fixtures/targets/reference.yaml'), 'utf8');
    expect(profile).toMatch(/^target: http:\/\/127\.0\.0\.1:8080$/m);
    const validated = await runCli(['validate', 'scenarios/api-basics.yaml', '-p', 'fixtures/targets/reference.yaml']);
    expect(validated.code, validated.stderr).toBe(0);
    // --target points it at the port this test's server took; everything else comes from the committed profile.
    const cli = await runCli(['run', 'scenarios/api-basics.yaml', '-p', 'fixtures/targets/reference.yaml', '--target', server.url, '-r', 'json', '-o', out]);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    expect(run.totals.byStatus.passed).toBe(run.totals.checks);
    expect(run.totals.checks).toBeGreaterThan(0);
  });
});
