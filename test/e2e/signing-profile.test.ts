import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../src/reference/server/create-server.js';
import type { RunResult } from '../../src/results/model.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const SECRET = 'sig-secret-Zq8wX3vN5mK1pL7rT2yU';
const SCENARIO = join(ROOT, 'scenarios/signing.yaml');
/** What the built-in scenario needs to know of the route it signs. */
const PATHS = 'vars: { signedPath: /api/users/3, tamperedPath: /api/users/2 }\n';

describe('signing kind with the secret from the target profile', () => {
  let server: ReferenceServer;
  let dir: TempDir;
  beforeAll(async () => {
    server = await createReferenceServer({ signing: { keys: { 'client-9': SECRET } }, validation: {} });
    dir = tempDir();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('passes every case with ${env:} or { file } secrets, and the secret appears in no output', async () => {
    dir.file('signing.secret', `${SECRET}\n`);
    const profiles = {
      env: dir.file('env.yaml', `target: ${server.url}\nsigning:\n  keyId: client-9\n  secret: \${env:SIGN_SECRET}\n${PATHS}`),
      file: dir.file('file.yaml', `target: ${server.url}\nsigning:\n  keyId: client-9\n  secret: { file: signing.secret }\n${PATHS}`),
    };
    for (const [form, profile] of Object.entries(profiles)) {
      const out = join(dir.path, form);
      const cli = await runCli(['run', SCENARIO, '-p', profile, '-r', 'console,json,junit,html', '-o', out, '--verbose'], { env: { SIGN_SECRET: SECRET } });
      const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
      const checks = run.scenarios.flatMap((s) => s.checks);
      expect(checks.map((c) => `${c.id} ${c.status}`)).toEqual(
        ['valid', 'unsigned', 'tampered-body', 'tampered-path', 'tampered-query', 'stale-timestamp', 'future-timestamp', 'replayed-nonce'].map((n) => `signing.user-update.${n} passed`),
      );
      expect(cli.code, cli.stdout).toBe(0);
      // Each signature is a credential for its request while fresh: shown only as a fingerprint.
      const signatures = checks.flatMap((c) => c.evidence.exchanges ?? []).map((e) => e.request.headers['X-Signature']).filter((v) => v !== undefined);
      expect(signatures.length).toBeGreaterThanOrEqual(7);
      for (const value of signatures) expect(value).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
      for (const text of [cli.stdout, cli.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))]) expect(text).not.toContain(SECRET);
    }
  });

  it('fails the valid case when the profile holds the wrong secret', async () => {
    const profile = dir.file('wrong.yaml', `target: ${server.url}\nsigning:\n  keyId: client-9\n  secret: \${env:SIGN_SECRET}\n${PATHS}`);
    const out = join(dir.path, 'wrong');
    await runCli(['run', SCENARIO, '-p', profile, '-r', 'json', '-o', out], { env: { SIGN_SECRET: 'not-the-secret-at-all' } });
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    const checks = new Map(run.scenarios.flatMap((s) => s.checks).map((c) => [c.id, c]));
    expect(checks.get('signing.user-update.valid')).toMatchObject({ status: 'failed', message: 'accepted: expected 2xx, got 401' });
    expect(checks.get('signing.user-update.replayed-nonce')).toMatchObject({ status: 'errored', message: expect.stringContaining('nothing to replay') });
  });

  it('refuses an inline secret without echoing it, and a profile without a signing section', async () => {
    const inline = dir.file('inline.yaml', `target: ${server.url}\nsigning:\n  keyId: client-9\n  secret: ${SECRET}\n${PATHS}`);
    const refused = await runCli(['run', SCENARIO, '-p', inline]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('E_INLINE_SECRET');
    expect(refused.stderr).toContain('the secret signing.secret is written inline');
    expect(refused.stdout + refused.stderr).not.toContain(SECRET);

    // The built-in scenario requires a signing section: without one it does not fit the target and is skipped.
    const none = dir.file('none.yaml', `target: ${server.url}\n`);
    const skipped = await runCli(['run', SCENARIO, '-p', none, '-r', 'json', '-o', join(dir.path, 'none')]);
    const run: RunResult = JSON.parse(readFileSync(join(dir.path, 'none', 'gauntlet-report.json'), 'utf8'));
    expect(new Set(run.scenarios.flatMap((s) => s.checks).map((c) => `${c.status}: ${c.message}`))).toEqual(
      new Set(['skipped: not run: it needs a signing section, vars.signedPath, vars.tamperedPath in the target profile (gauntlet init --target <url> writes one to fill in)']),
    );
    expect(skipped.code).toBe(2);
    // A signing check of one's own, with no requirement written, is refused at load.
    const own = dir.file('own.yaml', 'name: own\nchecks:\n  - { id: own, kind: signing, severity: high, request: { method: PUT, path: /api/users/3, body: { json: {} } } }\n');
    const missing = await runCli(['validate', own, '-p', none]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('E_NO_SIGNING_PROFILE');
  });
});
