import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_FILE_BYTES } from '../../src/scenario/input-file.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const SCENARIO = 'name: s\nchecks:\n  - { id: s.a, kind: http, severity: low, request: { path: /a }, expect: { status: 200 } }\n';
const FIFO_REFUSED = 'not a regular file: a FIFO (named pipe)';
/** Long enough for a slow machine to load a scenario, far shorter than forever. */
const HANG_LIMIT_MS = 20_000;

describe.skipIf(process.platform === 'win32')('scenario, profile and secret files that are FIFOs', () => {
  let dir: TempDir;
  let scenario: string;
  const fifo = (name: string) => {
    const path = join(dir.path, name);
    execFileSync('mkfifo', [path]);
    return path;
  };
  const cli = (args: string[]) => runCli(args, { cwd: dir.path, timeoutMs: HANG_LIMIT_MS });

  beforeAll(() => {
    dir = tempDir();
    scenario = dir.file('scenario.yaml', SCENARIO);
  });
  afterAll(() => dir.remove());

  it('a FIFO named as the scenario: validate and run refuse it with exit 2 instead of waiting for a writer', async () => {
    const path = fifo('scenario-fifo.yaml');
    for (const args of [['validate', path], ['run', path, '--target', 'http://127.0.0.1:9']]) {
      const result = await cli(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`error[E_NOT_A_FILE]: cannot read ${path}: ${FIFO_REFUSED}`);
    }
  });

  it('a FIFO given as the profile (-p) is refused with exit 2', async () => {
    const path = fifo('profile-fifo.yaml');
    const result = await cli(['validate', scenario, '-p', path]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error[E_NOT_A_FILE]: cannot read target profile ${path}: ${FIFO_REFUSED}`);
  });

  it('a FIFO named by ${file:...}, { file: ... } or tls.ca in a profile is refused, located at its line', async () => {
    fifo('key-fifo');
    const profile = dir.file(
      'profile-naming-fifos.yaml',
      'target: http://127.0.0.1:9\nkeys:\n  a: ${file:key-fifo}\n  b: { file: key-fifo }\ntls: { ca: key-fifo }\n',
    );
    const result = await cli(['validate', scenario, '-p', profile]);
    expect(result.code, result.stderr).toBe(2);
    for (const line of [3, 4, 5]) expect(result.stderr).toMatch(new RegExp(`profile-naming-fifos\\.yaml:${line}:\\d+: error\\[E_NOT_A_FILE\\]: cannot read \\S+key-fifo: not a regular file`));
  });

  it('a FIFO found inside a scenario folder is still skipped', async () => {
    const folder = tempDir();
    try {
      folder.file('a.yaml', SCENARIO);
      execFileSync('mkfifo', [join(folder.path, 'b.yaml')]);
      const result = await runCli(['validate', folder.path], { timeoutMs: HANG_LIMIT_MS });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('ok: 1 scenario(s), 1 check(s) valid');
    } finally {
      folder.remove();
    }
  });
});

describe('files over the size limit', () => {
  let dir: TempDir;
  beforeAll(() => (dir = tempDir()));
  afterAll(() => dir.remove());

  const oversized = (name: string, bytes: number) => {
    const path = dir.file(name, SCENARIO);
    truncateSync(path, bytes);
    return path;
  };

  it('a 50 MB scenario is refused before it is read: exit 2, quickly, in little memory', async () => {
    const path = oversized('huge.yaml', 50 * 1024 * 1024);
    const result = await runCli(['validate', path], { timeoutMs: HANG_LIMIT_MS });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error[E_FILE_TOO_LARGE]: cannot read ${path}: at 50 MiB it is larger than 5 MiB, the most gauntlet reads from one file`);
    expect(result.peakRssMiB).toBeLessThan(300);
  });

  it('one byte over the limit is refused; a profile and a ${file:...} secret too', async () => {
    const scenario = oversized('just-over.yaml', MAX_INPUT_FILE_BYTES + 1);
    expect((await runCli(['validate', scenario])).stderr).toContain('error[E_FILE_TOO_LARGE]');

    const profile = oversized('huge-profile.yaml', MAX_INPUT_FILE_BYTES + 1);
    const small = dir.file('small.yaml', SCENARIO);
    const asProfile = await runCli(['validate', small, '-p', profile]);
    expect(asProfile.code).toBe(2);
    expect(asProfile.stderr).toContain(`error[E_FILE_TOO_LARGE]: cannot read target profile ${profile}`);

    writeFileSync(join(dir.path, 'secret-profile.yaml'), 'target: http://127.0.0.1:9\nkeys: { a: "${file:just-over.yaml}" }\n');
    const secret = await runCli(['validate', small, '-p', join(dir.path, 'secret-profile.yaml')]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/secret-profile\.yaml:2:\d+: error\[E_FILE_TOO_LARGE\]/);
  });
});
