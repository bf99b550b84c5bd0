import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('gauntlet-certs-');
afterAll(() => dir.remove());

describe('gauntlet certs', () => {
  it('writes the set with 0600 keys, reuses it, and regenerates with --force', async () => {
    const out = join(dir.path, 'pki');
    const first = await runCli(['certs', '--out', out, '--hosts', 'localhost,127.0.0.1']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^wrote 31 files to .* in [\d.]+m?s \(no PKI in .* yet\); valid until \d{4}-/);
    const manifest = JSON.parse(readFileSync(join(out, 'pki.json'), 'utf8'));
    for (const [name, entry] of Object.entries(manifest.files as Record<string, { secret: boolean }>)) {
      expect(statSync(join(out, name)).mode & 0o777, name).toBe(entry.secret ? 0o600 : 0o644);
    }
    expect(Object.keys(manifest.identities)).toHaveLength(10);

    chmodSync(join(out, 'client-valid.key'), 0o644);
    const again = await runCli(['certs', '--out', out, '--hosts', '127.0.0.1', '--hosts', 'localhost']);
    expect(again.stdout).toMatch(/^reused the PKI in .*: still valid until/);
    expect(statSync(join(out, 'client-valid.key')).mode & 0o777, 'a reused key is put back to 0600').toBe(0o600);
    expect(JSON.parse(readFileSync(join(out, 'pki.json'), 'utf8')).generatedAt).toBe(manifest.generatedAt);

    const forced = await runCli(['certs', '--out', out, '--hosts', 'localhost,127.0.0.1', '--force']);
    expect(forced.stdout).toMatch(/^wrote 31 files .*\(--force\)/);
    expect(JSON.parse(readFileSync(join(out, 'pki.json'), 'utf8')).identities.valid.fingerprint256).not.toBe(manifest.identities.valid.fingerprint256);

    const validated = await runCli(['validate', join(ROOT, 'scenarios/mtls.yaml'), '-p', join(out, 'profile.yaml')]);
    expect(validated.code, validated.stderr).toBe(0);
  });

  it('exits 2 rather than overwrite files it did not write, and on an empty host list', async () => {
    dir.file('theirs/server.key', 'not ours');
    const refused = await runCli(['certs', '--out', join(dir.path, 'theirs')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error[E_PKI_EXISTS]');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir.path, 'theirs/server.key'), 'utf8')).toBe('not ours');
    expect((await runCli(['certs', '--out', join(dir.path, 'none'), '--hosts', ','])).code).toBe(2);
  });

  it('exits 2 naming each host that is not a host name or IP address, writing nothing', async () => {
    const out = join(dir.path, 'bad-hosts');
    const cli = await runCli(['certs', '--out', out, '--hosts', 'https://localhost:8443,foo bar,[::1],127.0.0.1']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('--hosts: "https://localhost:8443", "foo bar" are not host names or IP addresses');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 naming an --out folder it cannot create, before generating anything', async () => {
    const blocker = dir.file('a-file', 'not a folder');
    const cli = await runCli(['certs', '--out', join(blocker, 'pki')]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`error[E_PKI_OUT]: cannot create the --out folder ${join(blocker, 'pki')}`);
    expect(cli.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('keeps the default output folder out of version control', () => {
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('fixtures/pki/');
  });
});
