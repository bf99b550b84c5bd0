import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/model.js';
import { runCli } from '../helpers/cli.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { tempDir, type TempDir } from '../helpers/temp.js';

const ALL_REPORTS = 'console,json,junit,sarif,html,ndjson';

/** An HTTPS target whose certificate chains to the test PKI's private CA, which nothing trusts by default. */
describe('--cacert, --insecure and the unknown-issuer hint', () => {
  let dir: TempDir;
  let pki: TestPki;
  let server: Server;
  let url: string;
  let scenario: string;
  beforeAll(async () => {
    dir = tempDir();
    pki = await testPki();
    server = createServer({ key: pki.read('server.key'), cert: pki.read('server.crt') }, (_req, res) => res.end('{}'));
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    scenario = dir.file(
      'trust.yaml',
      `name: trust
checks:
  - { id: t.one, kind: http, severity: low, request: { path: /a }, expect: { status: 200 } }
  - { id: t.two, kind: http, severity: low, request: { path: /b }, expect: { status: 200 } }
`,
    );
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    pki.dir.remove();
    dir.remove();
  });

  const readRun = (out: string): RunResult => JSON.parse(readFileSync(join(out, 'gauntlet-report.json'), 'utf8'));

  it('without trust: the checks error with tls-verify-failed and a hint to set tls.ca or pass --cacert', async () => {
    const out = join(dir.path, 'untrusted');
    const cli = await runCli(['run', scenario, '--target', url, '-r', 'console,json', '-o', out]);
    expect(cli.code).toBe(3);
    const checks = readRun(out).scenarios.flatMap((s) => s.checks);
    for (const check of checks) {
      expect(check).toMatchObject({ status: 'errored', transport: 'tls-verify-failed' });
      expect(check.message).toContain('set tls.ca in the profile or pass --cacert <file>');
    }
    expect(cli.stdout).toContain('set tls.ca in the profile or pass --cacert <file>');
    expect(readRun(out).trust).toBeUndefined();
  });

  it('--cacert trusts the CA: the checks pass, and the reports name the CA file without alarm', async () => {
    const out = join(dir.path, 'cacert');
    const cli = await runCli(['run', scenario, '--target', url, '--cacert', pki.path('ca.crt'), '-r', ALL_REPORTS, '-o', out]);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    const run = readRun(out);
    expect(run.totals.byStatus.passed).toBe(2);
    expect(run.trust).toEqual({ insecure: false, caFiles: [`${pki.path('ca.crt')} (--cacert)`] });
    expect(cli.stdout).toContain(`TLS: the target's certificate was verified against ${pki.path('ca.crt')} (--cacert)`);
    expect(cli.stdout).not.toContain('TLS VERIFICATION OFF');
    expect(readFileSync(join(out, 'gauntlet-report.html'), 'utf8')).not.toContain('id="trust-warning"');
  });

  it('--insecure skips verification: the checks pass, and every report says so loudly', async () => {
    const out = join(dir.path, 'insecure');
    const cli = await runCli(['run', scenario, '--target', url, '--insecure', '-r', ALL_REPORTS, '-o', out]);
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    const warning = "TLS VERIFICATION OFF (--insecure): the target's certificate was not checked";
    // Console: at the start and again by the verdict.
    expect(cli.stdout.split(warning).length - 1).toBe(2);
    const run = readRun(out);
    expect(run.totals.byStatus.passed).toBe(2);
    expect(run.trust).toEqual({ insecure: true, insecureBy: ['--insecure'] });
    const read = (file: string) => readFileSync(join(out, file), 'utf8');
    expect(read('gauntlet-report.html')).toContain('id="trust-warning" role="alert">TLS VERIFICATION OFF (--insecure)');
    expect(read('gauntlet-junit.xml')).toContain('<property name="gauntlet.tls.insecure" value="true"/>');
    const sarif = JSON.parse(read('gauntlet.sarif')).runs[0];
    expect(sarif.properties.trust.insecure).toBe(true);
    expect(sarif.invocations[0].toolExecutionNotifications[0].message.text).toContain(warning);
    const events = read('gauntlet-events.ndjson').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events[0].trust).toEqual({ insecure: true, insecureBy: ['--insecure'] });
    expect(events.at(-1).trust).toEqual({ insecure: true, insecureBy: ['--insecure'] });
  });

  it("the profile's tls.insecure is reported the same way, naming the profile; the summary line says it too", async () => {
    const profile = dir.file('insecure-profile.yaml', `target: ${url}\ntls:\n  insecure: true\n`);
    const out = join(dir.path, 'profile-insecure');
    const cli = await runCli(['run', scenario, '-p', profile, '-r', 'json', '-o', out]);
    expect(cli.code).toBe(0);
    expect(readRun(out).trust).toEqual({ insecure: true, insecureBy: [`tls.insecure in ${profile}`] });
    expect(cli.stdout).toMatch(/^gauntlet: 2 passed, .*; TLS VERIFICATION WAS OFF\n$/);
  });

  it('a --cacert that is not a certificate is refused with exit 2 before anything is sent', async () => {
    const cli = await runCli(['run', scenario, '--target', url, '--cacert', scenario, '-r', 'json', '-o', join(dir.path, 'bad')]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`--cacert: ${scenario} is not a PEM X.509 certificate`);
  });
});
