import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { startClosesAfterHandshake, type HostileServer } from '../helpers/hostile-servers.js';
import { testPki, type TestPki } from '../helpers/pki.js';

/** A server that ends every connection after the handshake looks, at the TLS layer, like one refusing certificates. */
describe('mtls rejections at the TLS layer need a served control, even when the selection leaves it out', () => {
  let pki: TestPki;
  let server: HostileServer;
  beforeAll(async () => {
    pki = await testPki();
    server = await startClosesAfterHandshake({ key: pki.read('server.key'), cert: pki.read('server.crt') });
  });
  afterAll(async () => {
    await server.close();
    pki.dir.remove();
  });

  async function negatives(name: string, identities: string[]): Promise<CheckResult[]> {
    const lines = identities.map((role) => `    ${role}: { cert: client-${role}.crt, key: client-${role}.key }`).join('\n');
    const profile = pki.dir.file(`${name}.yaml`, `target: ${server.url}\ntls:\n  ca: ca.crt\n  identities:\n${lines}\n`);
    const scenario = pki.dir.file(`${name}-s.yaml`, 'name: n\nchecks:\n  - { id: m, kind: mtls, severity: high, path: /x, cases: [expired, revoked] }\n');
    const out = join(pki.dir.path, name);
    await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    const run: RunResult = JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));
    return run.scenarios[0]!.checks;
  }

  it('runs the valid identity unreported, and errors the rejections when it is not served either', async () => {
    const checks = await negatives('with-valid', ['valid', 'expired', 'revoked']);
    expect(checks.map((c) => c.id)).toEqual(['m.expired', 'm.revoked']);
    for (const c of checks) expect(c).toMatchObject({ status: 'errored', message: expect.stringMatching(/^TLSv1\.2, TLSv1\.3: rejected at the TLS layer .*, but no allowed identity was served over this TLS version either: this rejection proves nothing/) });
  });

  it('errors them, saying why, when the profile has no valid identity to try', async () => {
    const checks = await negatives('without-valid', ['expired', 'revoked']);
    for (const c of checks) expect(c).toMatchObject({ status: 'errored', message: expect.stringContaining("the profile has no 'valid' identity") });
  });
});
