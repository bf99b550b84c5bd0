import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { MINIMAL_API_KEY, startMinimalApi, type MinimalApi } from '../helpers/minimal-api.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * A new user's first audit of a plain-HTTP API they wrote, following the README's "Audit your own API" steps: init
 * --target, confirm the routes in the profile and export the key, run. No check may error or fail because the
 * built-in scenarios do not fit their API; what does not fit is skipped, saying what to add.
 */
describe('a first audit of your own API, as the README walks it', () => {
  let dir: TempDir;
  let api: MinimalApi;
  beforeAll(async () => {
    dir = tempDir();
    api = await startMinimalApi();
  });
  afterAll(async () => {
    await api.close();
    dir.remove();
  });

  it('init --target probes the API and writes a profile saying what it saw, and the scenarios that fit', async () => {
    const init = await runCli(['init', '--target', api.url, '--out', join(dir.path, 'audit')], { cwd: dir.path });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote audit/profile.yaml and 10 starter scenario(s) in audit/scenarios');
    expect(init.stdout).toContain('The target is plain HTTP');
    const profile = readFileSync(join(dir.path, 'audit', 'profile.yaml'), 'utf8');
    expect(profile).toContain('#   GET /api      401 application/json; charset=utf-8, WWW-Authenticate: ApiKey realm="items"');
    expect(profile).toContain('  valid: ${env:GAUNTLET_KEY_VALID}');
    expect(profile).toContain('defaults: { key: { name: valid, in: header, header: X-API-Key } }   # change the header to the one your API reads');
    expect(profile).toMatch(/^ {2}readPath: \/health /m);
    expect(profile).toMatch(/^ {2}protectedPath: \/api /m);
  });

  it('runs with exit 0 once the routes are confirmed and the key exported: nothing errored, nothing failed for not fitting', async () => {
    // The user's edit, as the profile's comments ask: the protected route is /api/items (GET /api is no route).
    const profilePath = join(dir.path, 'audit', 'profile.yaml');
    writeFileSync(profilePath, readFileSync(profilePath, 'utf8').replace(/^ {2}protectedPath: \/api .*$/m, '  protectedPath: /api/items'));
    const out = join(dir.path, 'reports');
    const run = await runCli(['run', 'audit/scenarios', '-p', 'audit/profile.yaml', '-r', 'console,json,html', '-o', out], { cwd: dir.path, env: { GAUNTLET_KEY_VALID: MINIMAL_API_KEY }, timeoutMs: 180_000 });
    const report: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const checks = report.scenarios.flatMap((s) => s.checks);
    expect(checks.filter((c) => c.status === 'failed' || c.status === 'errored').map((c) => `${c.id} ${c.status}: ${c.message}`)).toEqual([]);
    expect(run.code, run.stdout).toBe(0);
    // It checked something real: the key matrix, headers, CORS, not-found and load all ran.
    const passedKinds = new Set(checks.filter((c) => c.status === 'passed').map((c) => c.kind));
    for (const kind of ['api-key', 'headers', 'cors', 'http', 'methods', 'load']) expect(passedKinds, kind).toContain(kind);
    // What did not fit says what to add, without -v.
    expect(run.stdout).toMatch(/not run: it needs rateLimits\.search, vars\.limitedPath in the target profile/);
  }, 240_000);

  it('without a scenarios/ folder, run uses the built-in scenarios; a run that checks nothing is exit 2 unless --allow-empty', async () => {
    const empty = join(dir.path, 'empty');
    const bare = await runCli(['run', '--target', api.url, '-o', join(empty, 'reports')], { cwd: dir.path });
    expect(bare.stderr).toContain('no scenarios/ folder here: running the built-in scenarios');
    expect(bare.stdout).toContain('not run: it needs keys.valid, vars.protectedPath in the target profile');
    expect(bare.code, bare.stdout).toBe(0);
    // Only checks that need what a bare --target does not say: nothing is checked, which is not a pass.
    const nothing = await runCli(['run', '--target', api.url, '--only', 'keys.*', '-o', join(empty, 'reports')], { cwd: dir.path });
    expect(nothing.code).toBe(2);
    expect(nothing.stdout).toMatch(/nothing was checked: all \d+ selected checks were skipped/);
    const allowed = await runCli(['run', '--target', api.url, '--only', 'keys.*', '--allow-empty', '-o', join(empty, 'reports')], { cwd: dir.path });
    expect(allowed.code).toBe(0);
  });
});
