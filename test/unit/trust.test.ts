import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { RunResult } from '../../src/results/model.js';
import { mergeTrust } from '../../src/results/trust.js';
import { profileFromTarget } from '../../src/scenario/load-profile.js';
import { withTrustOptions } from '../../src/scenario/trust-options.js';
import { testPki, type TestPki } from '../helpers/pki.js';
import { sarifSchema } from '../helpers/sarif-schema.js';

const base: RunResult = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/runs/charts-run.json'), 'utf8'));
const insecureRun: RunResult = { ...base, trust: { insecure: true, insecureBy: ['--insecure'] } };

describe('--cacert and --insecure on a profile', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await testPki();
  });
  afterAll(() => pki.dir.remove());

  it('--cacert trusts the file beside the profile tls.ca and names both', () => {
    const profile = { ...profileFromTarget('https://127.0.0.1:8443'), file: 'p.yaml' };
    profile.tls = { ...profile.tls, ca: pki.read('intermediate-ca.crt'), caPath: pki.path('intermediate-ca.crt') };
    const { profile: trusted, trust } = withTrustOptions(profile, { cacert: pki.path('ca.crt') });
    expect(trusted.tls.ca).toContain(pki.read('intermediate-ca.crt').trim());
    expect(trusted.tls.ca).toContain(pki.read('ca.crt').trim());
    expect(trusted.tls.insecure).toBe(false);
    expect(trust).toEqual({ insecure: false, caFiles: [`${pki.path('intermediate-ca.crt')} (tls.ca)`, `${pki.path('ca.crt')} (--cacert)`] });
  });

  it('--insecure and tls.insecure both say where verification was turned off', () => {
    const profile = { ...profileFromTarget('https://127.0.0.1:8443'), file: 'p.yaml' };
    expect(withTrustOptions(profile, { insecure: true })).toMatchObject({ profile: { tls: { insecure: true } }, trust: { insecure: true, insecureBy: ['--insecure'] } });
    profile.tls = { ...profile.tls, insecure: true };
    expect(withTrustOptions(profile, {}).trust).toEqual({ insecure: true, insecureBy: ['tls.insecure in p.yaml'] });
    expect(withTrustOptions(profileFromTarget('https://x.test'), {}).trust).toBeUndefined();
  });

  it('refuses a --cacert that is missing or not a certificate, as a usage error, without quoting it', () => {
    const profile = profileFromTarget('https://127.0.0.1:8443');
    expect(() => withTrustOptions(profile, { cacert: pki.path('nope.crt') })).toThrow(/--cacert: cannot read .*nope\.crt: ENOENT/);
    const key = pki.read('server.key');
    let message = '';
    try {
      withTrustOptions(profile, { cacert: pki.path('server.key') });
    } catch (error) {
      message = (error as Error).message;
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
    expect(message).toContain('is not a PEM X.509 certificate');
    expect(message).not.toContain(key.split('\n')[1]);
  });
});

describe('verification off is marked in every report', () => {
  it('SARIF: a warning notification and a run property, still valid SARIF', () => {
    const sarif = JSON.parse(renderSarif(insecureRun));
    expect(sarifSchema()(sarif)).toBe(true);
    const run = sarif.runs[0];
    expect(run.properties.trust).toEqual({ insecure: true, insecureBy: ['--insecure'] });
    expect(run.invocations[0].toolExecutionNotifications[0]).toEqual({ level: 'warning', message: { text: expect.stringMatching(/^TLS VERIFICATION OFF \(--insecure\): /) } });
    expect(JSON.parse(renderSarif(base)).runs[0].properties.trust).toBeUndefined();
  });

  it('JUnit: properties on every testsuite', () => {
    const xml = renderJunit(insecureRun);
    const suites = xml.match(/<testsuite /g)!.length;
    expect(xml.match(/<property name="gauntlet\.tls\.insecure" value="true"\/>/g)).toHaveLength(suites);
    expect(xml).toContain('<property name="gauntlet.tls.warning" value="TLS VERIFICATION OFF (--insecure)');
    expect(renderJunit(base)).not.toContain('gauntlet.tls');
  });

  it('HTML: a banner in the header; CA files as a quiet note', () => {
    expect(renderHtml(insecureRun)).toMatch(/<div class="banner insecure" id="trust-warning" role="alert">TLS VERIFICATION OFF \(--insecure\): /);
    const withCa = renderHtml({ ...base, trust: { insecure: false, caFiles: ['ca.crt (--cacert)'] } });
    expect(withCa).not.toContain('id="trust-warning"');
    expect(withCa).toContain("TLS: the target&#x27;s certificate was verified against ca.crt (--cacert)");
    expect(renderHtml(base)).not.toContain('trust-');
  });

  it('a merge of shards is insecure when any shard was', () => {
    expect(mergeTrust([undefined, { insecure: true, insecureBy: ['--insecure'] }, { insecure: false, caFiles: ['ca.crt (--cacert)'] }])).toEqual({
      insecure: true,
      insecureBy: ['--insecure'],
      caFiles: ['ca.crt (--cacert)'],
    });
    expect(mergeTrust([undefined, undefined])).toBeUndefined();
  });
});
