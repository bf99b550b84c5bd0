import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

/**
 * `scenarios/target.yaml` next to the scenarios, as users keep it: run and validate recognise it as a profile.
 * Before, every command on the folder failed with 8 scenario errors about it.
 */
const KEY = 'sk_profile_in_folder_0123456789';

describe('a target profile kept in the scenario folder', () => {
  let dir: TempDir;
  let server: TestServer;
  let folder: string;
  let profile: string;
  beforeAll(async () => {
    server = await startTestServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    dir = tempDir();
    dir.file('scenarios/users.yaml', 'name: users\nchecks:\n  - { id: users.list, kind: http, severity: low, request: { path: /api/users }, expect: { status: 200 } }\n');
    profile = dir.file('scenarios/target.yaml', `target: ${server.url}\nkeys:\n  valid: \${env:FOLDER_KEY}\ndefaults: { key: valid }\nheaders: { x-tenant: acme }\n`);
    folder = join(dir.path, 'scenarios');
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('run -p with that profile: runs the scenarios with it, and notes the profile was not read as a scenario', async () => {
    const cli = await runCli(['run', folder, '-p', profile], { env: { FOLDER_KEY: KEY } });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/target\.yaml:1:1: note\[N_PROFILE_SKIPPED\]: .*target\.yaml is the target profile given with -p; not read as a scenario/);
    expect(cli.stderr).not.toContain('error[');
    expect(server.requests.map((r) => [r.url, r.headers['x-tenant'], r.headers['x-api-key']])).toEqual([['/api/users', 'acme', KEY]]);
    expect(cli.stdout + cli.stderr).not.toContain(KEY);
  });

  it('run without -p: one error naming the profile and -p, and nothing sent', async () => {
    const before = server.requests.length;
    const cli = await runCli(['run', folder, '--target', server.url]);
    expect(cli.code).toBe(2);
    expect(cli.stderr.match(/error\[/g)).toHaveLength(1);
    expect(cli.stderr).toMatch(/target\.yaml:1:1: error\[E_PROFILE_AS_SCENARIO\]: .*target\.yaml is a target profile \(target, keys, defaults, \.\.\.; no checks:\), not a scenario, and this run was given no profile/);
    expect(cli.stderr).toMatch(/hint: pass it with -p .*target\.yaml/);
    expect(server.requests.length).toBe(before);
  });

  it('validate without -p: the scenarios are valid, the profile is noted with a suggestion to use -p', async () => {
    const cli = await runCli(['validate', folder]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toBe('ok: 1 scenario(s), 1 check(s) valid\n');
    expect(cli.stderr).toMatch(/target\.yaml:1:1: note\[N_PROFILE_SKIPPED\]: .*target\.yaml is a target profile \(target, keys, defaults, \.\.\.; no checks:\), not a scenario: skipped/);
    expect(cli.stderr).toMatch(/hint: pass -p .*target\.yaml to check identity and key names against it/);
  });

  it('validate with the profile itself as the only path: an error, since no scenario was checked', async () => {
    const cli = await runCli(['validate', profile]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('error[E_NO_SCENARIOS]');
  });
});
