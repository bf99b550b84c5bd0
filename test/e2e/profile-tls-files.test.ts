import { chmodSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { startTestServer, type TestServer } from '../helpers/servers.js';

describe('a profile whose certificate or key cannot be used', () => {
  let pki: TestPki;
  let target: TestServer;
  let scenario: string;

  beforeAll(async () => {
    pki = await testPki();
    target = await startTestServer((_req, res) => res.end('{}'));
    scenario = pki.dir.file(
      'scenario.yaml',
      `name: s
checks:
  - { id: s.plain, kind: http, severity: low, request: { path: /x }, expect: { status: 200 } }
  - { id: s.mtls, kind: mtls, severity: high, path: /x }
`,
    );
  });
  afterAll(async () => {
    await target.close();
    pki.dir.remove();
  });

  const profileWith = (name: string, identity: string, ca = 'ca.crt') =>
    pki.dir.file(name, `target: ${target.url}\ntls:\n  ca: ${ca}\n  identities:\n    valid: ${identity}\ndefaults: { identity: valid }\n`);

  const run = (profile: string) => runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', pki.dir.path]);

  it.each([
    ['a missing certificate', '{ cert: nope.crt, key: client-valid.key }', 'nope.crt', 'E_MISSING_FILE', 5],
    ['a missing key', '{ cert: client-valid.crt, key: gone/client.key }', 'gone/client.key', 'E_MISSING_FILE', 5],
    ['a certificate that is not one', '{ cert: scenario.yaml, key: client-valid.key }', 'scenario.yaml', 'E_BAD_CERT', 5],
    ['a certificate given as the key', '{ cert: client-valid.crt, key: client-valid.crt }', 'client-valid.crt', 'E_BAD_KEY', 5],
  ])('%s: exit 2 naming the path and its line, nothing sent', async (_what, identity, file, code, line) => {
    const profile = profileWith(`profile-${code}-${file.replace(/\W/g, '')}.yaml`, identity);
    const cli = await run(profile);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stderr).toContain(pki.path(file));
    expect(cli.stderr).toMatch(new RegExp(`profile-[^:]+\\.yaml:${line}:\\d+: error\\[${code}\\]`));
    expect(cli.stderr).toContain('nothing was sent');
    expect(target.requests).toHaveLength(0);
    expect(cli.stderr).not.toContain(pki.read('client-valid.key').split('\n')[1]);
  });

  it('an unreadable key: exit 2 naming the path', async () => {
    // A folder where the key should be cannot be read even by root; a mode-000 file only when not root.
    mkdirSync(pki.path('folder.key'));
    const profile = profileWith('unreadable.yaml', '{ cert: client-valid.crt, key: folder.key }');
    const cli = await run(profile);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`cannot read ${pki.path('folder.key')}: not a regular file: a folder`);
    if (process.getuid?.() !== 0) {
      pki.dir.file('locked.key', pki.read('client-valid.key'));
      chmodSync(pki.path('locked.key'), 0o000);
      const locked = await run(profileWith('locked.yaml', '{ cert: client-valid.crt, key: locked.key }'));
      expect(locked.code).toBe(2);
      expect(locked.stderr).toContain(`cannot read ${pki.path('locked.key')}: EACCES`);
    }
    expect(target.requests).toHaveLength(0);
  });

  it('a missing CA bundle: exit 2 naming the path', async () => {
    const cli = await run(profileWith('no-ca.yaml', '{ cert: client-valid.crt, key: client-valid.key }', 'missing-ca.crt'));
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/no-ca\.yaml:3:\d+: error\[E_MISSING_FILE\]/);
    expect(cli.stderr).toContain(pki.path('missing-ca.crt'));
    expect(target.requests).toHaveLength(0);
  });

  it('loads the profile gauntlet certs wrote, with every identity usable', async () => {
    const cli = await runCli(['validate', scenario, '-p', pki.path('profile.yaml')]);
    expect(cli.code, cli.stderr).toBe(0);
  });
});
